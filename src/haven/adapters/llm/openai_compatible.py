"""The ``ReflectionDrafter`` port over any OpenAI-compatible chat endpoint (Ollama, vLLM, the
llama.cpp server): ``POST {base_url}/chat/completions``.

Only messages the risk check rated ``none`` reach it (the service decides that), and only the
message itself, never the member's name or history. Any failure (timeout, refused
connection, an HTTP error, a malformed or empty answer, an over-long one) returns None and
the companion sends its deterministic reply. The standard library's HTTP client keeps this
adapter free of dependencies.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from typing import Any

from haven.config import Settings

__all__ = ["MAX_DRAFT_CHARACTERS", "OpenAICompatibleDrafter"]

log = logging.getLogger(__name__)

MAX_DRAFT_CHARACTERS = 320  # a reflection is one or two sentences
_ECHO_SHARE = 0.7  # above this share of the member's own words, a draft is a parrot
_LANGUAGE = {"en": "English", "es": "Spanish"}
_SYSTEM = (
    "You are Haven, an AI self-help companion (not a person, not a therapist). Write ONE or "
    "two short, warm sentences in {language} that reflect back the feeling in the user's "
    "message ({emotion}). Do not give advice, facts, diagnoses, medication or numbers. Do not "
    "ask more than one question. Do not say you are human. Example of the tone: {example}"
)
# Replies that reveal the model talking about itself or its instructions are refused.
_REFUSED = re.compile(
    r"\b(as an ai language model|i am a (real )?(person|human)|soy (una )?persona|system prompt)\b",
    re.IGNORECASE,
)


class OpenAICompatibleDrafter:
    def __init__(
        self, *, base_url: str, model: str, api_key: str | None = None, timeout: float = 4.0
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._api_key = api_key
        self._timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAICompatibleDrafter:
        assert settings.llm_base_url is not None
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=key,
            timeout=settings.llm_timeout_seconds,
        )

    def reflect(self, text: str, *, lang: str, emotion: str, fallback: str) -> str | None:
        body = {
            "model": self._model,
            "temperature": 0.3,
            "max_tokens": 80,
            "messages": [
                {
                    "role": "system",
                    "content": _SYSTEM.format(
                        language=_LANGUAGE.get(lang, "English"),
                        emotion=emotion.replace("_", " / "),
                        example=fallback,
                    ),
                },
                {"role": "user", "content": text},
            ],
        }
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            self._url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                answer: Any = json.loads(response.read())
            draft = answer["choices"][0]["message"]["content"]
        except (OSError, urllib.error.URLError, ValueError, KeyError, IndexError, TypeError) as e:
            # The exception type only: the request held the member's words.
            log.warning("llm draft failed: %s", type(e).__name__)
            return None
        if not isinstance(draft, str):
            return None
        draft = " ".join(draft.split()).strip("\"' ")
        # A reflection needs no numbers: refusing any digit keeps doses, heights and phone
        # numbers a model might invent out of what it sends.
        if (
            not draft
            or len(draft) > MAX_DRAFT_CHARACTERS
            or _REFUSED.search(draft)
            or any(ch.isdigit() for ch in draft)
            or _echoes(draft, text)
        ):
            return None
        return draft


def _echoes(draft: str, text: str) -> bool:
    """Whether the draft mostly repeats the member's own words (a reflection paraphrases)."""
    said = set(re.findall(r"\w+", text.casefold()))
    drafted = re.findall(r"\w+", draft.casefold())
    if not drafted:
        return True
    return sum(word in said for word in drafted) / len(drafted) > _ECHO_SHARE
