"""The risk lexicon: reviewed suicide and self-harm signals, validated at load."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from haven.domain.risk import Lexicon

__all__ = ["risk_lexicon"]


@cache
def risk_lexicon() -> Lexicon:
    """The signals, cues and guards of ``lexicon.yaml``; a bad pattern stops the load."""
    resource = files("haven.content.risk") / "lexicon.yaml"
    try:
        return Lexicon.model_validate(yaml.safe_load(resource.read_text(encoding="utf-8")))
    except ValueError as error:
        raise ValueError(f"risk/lexicon.yaml: {error}") from error
