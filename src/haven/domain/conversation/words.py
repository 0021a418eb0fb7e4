"""Words the companion reads by rule: yes and no, ratings, pause and resume, "are you human?",
and the people, stressors and goals a member names (kept as session memory in their own words).

The patterns are reviewed data (``content/companion/words.yaml``). Rules rather than the
classifier decide these because a misread "no" or a missed "are you a person?" costs more
than an unusual phrasing left to the classifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Mentions", "Words"]

Patterns = dict[str, list[str]]
_NUMBER = re.compile(r"(?<![\d.])(-?\d{1,3})(?:\s*(?:/|out of|de|sobre)\s*\d{1,3})?(?![\d.])")
_MAX_MEMORY_WORDS = 6


def _compile(patterns: Patterns) -> dict[str, re.Pattern[str]]:
    return {
        lang: re.compile("|".join(f"(?:{p})" for p in found), re.IGNORECASE)
        for lang, found in patterns.items()
        if found
    }


@dataclass(frozen=True, slots=True)
class Mentions:
    """What one message names, in the member's words (lower case, a few words each)."""

    people: tuple[str, ...] = ()
    stressors: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()


class MemoryPatterns(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    people: Patterns
    stressors: Patterns
    goals: Patterns


class Words(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    yes: Patterns
    no: Patterns
    pause: Patterns
    resume: Patterns
    skip: Patterns
    acknowledge: Patterns
    numbers: dict[str, list[str]] = Field(min_length=1)
    ask_if_human: Patterns
    memory: MemoryPatterns

    @cached_property
    def _compiled(self) -> dict[str, dict[str, re.Pattern[str]]]:
        return {
            name: _compile(getattr(self, name))
            for name in ("yes", "no", "pause", "resume", "skip", "acknowledge", "ask_if_human")
        }

    @cached_property
    def _memory(self) -> dict[str, dict[str, re.Pattern[str]]]:
        return {
            name: _compile(getattr(self.memory, name)) for name in ("people", "stressors", "goals")
        }

    def _matches(self, name: str, text: str, lang: str) -> bool:
        pattern = self._compiled[name].get(lang) or self._compiled[name]["en"]
        return bool(pattern.search(text))

    def is_yes(self, text: str, lang: str) -> bool:
        return self._matches("yes", text, lang) and not self._matches("no", text, lang)

    def is_no(self, text: str, lang: str) -> bool:
        return self._matches("no", text, lang)

    def is_pause(self, text: str, lang: str) -> bool:
        return self._matches("pause", text, lang)

    def is_resume(self, text: str, lang: str) -> bool:
        return self._matches("resume", text, lang)

    def is_acknowledgement(self, text: str, lang: str) -> bool:
        return self._matches("acknowledge", text, lang)

    def is_skip(self, text: str, lang: str) -> bool:
        return self._matches("skip", text, lang)

    def asks_if_human(self, text: str) -> bool:
        """Whether ``text`` asks if the companion is a person, in any language read."""
        return any(pattern.search(text) for pattern in self._compiled["ask_if_human"].values())

    def rating(self, text: str, lang: str, *, low: int, high: int) -> int | None:
        """The whole number in ``text`` ("7", "7/10", "seven") if it lies in [low, high]."""
        found = _NUMBER.search(text)
        value: int | None = int(found.group(1)) if found else None
        if value is None:
            words = self.numbers.get(lang, self.numbers["en"])
            tokens = re.findall(r"\w+", text.casefold())
            value = next((words.index(t) for t in tokens if t in words), None)
        if value is None or not low <= value <= high:
            return None
        return value

    def mentions(self, text: str, lang: str) -> Mentions:
        """The people, stressors and goals ``text`` names."""

        def found(name: str) -> tuple[str, ...]:
            pattern = self._memory[name].get(lang)
            if pattern is None:
                return ()
            phrases: list[str] = []
            for match in pattern.finditer(text):
                phrase = next((g for g in match.groups() if g), match.group(0))
                phrase = " ".join(phrase.casefold().split()[:_MAX_MEMORY_WORDS]).strip(" .,!?")
                if phrase and phrase not in phrases:
                    phrases.append(phrase)
            return tuple(phrases)

        return Mentions(people=found("people"), stressors=found("stressors"), goals=found("goals"))
