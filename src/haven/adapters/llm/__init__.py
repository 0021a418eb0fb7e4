"""Generative language models reached through an OpenAI-compatible HTTP API."""

from haven.adapters.llm.openai_compatible import OpenAICompatibleDrafter

__all__ = ["OpenAICompatibleDrafter"]
