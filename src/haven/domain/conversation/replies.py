"""The companion's words, as reviewed data (``content/companion/replies.yaml``).

Every reply exists in English and Spanish, in several variants so the companion does not
repeat itself; ``Voice`` picks the next variant of each kind in turn. Placeholders are
checked at load: a reflection ``with_topic`` must quote ``{topic}`` (the member's own words,
turned to address them), a plain one must quote nothing.
"""

from __future__ import annotations

import re
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from haven.domain.conversation.analysis import DISTORTIONS, EMOTIONS
from haven.domain.conversation.flows import LANGUAGES
from haven.domain.conversation.state import DialogueState

__all__ = ["CheckInReplies", "Replies", "Voice", "addressed"]

Text = dict[str, str]
Variants = dict[str, list[str]]
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_RED_FLAGS = (
    "psychosis",
    "mania",
    "reassurance_seeking",
    "disordered_eating",
    "danger_from_others",
    "harm_to_others",
)
_ADDRESSED = {
    "en": ((re.compile(r"\bmy\b"), "your"), (re.compile(r"\bme\b"), "you")),
    "es": ((re.compile(r"\bmis\b"), "tus"), (re.compile(r"\bmi\b"), "tu")),
}


def addressed(phrase: str, lang: str) -> str:
    """A phrase the member wrote about themselves, turned to speak to them ("my exams" gives
    "your exams")."""
    for pattern, replacement in _ADDRESSED.get(lang, ()):
        phrase = pattern.sub(replacement, phrase)
    return phrase


def _check(texts: list[str], where: str, allowed: set[str], *, required: set[str]) -> None:
    for text in texts:
        used = set(_PLACEHOLDER.findall(text))
        if used - allowed or required - used:
            raise ValueError(f"{where}: {text!r} must quote {sorted(required) or 'nothing'}")


def _check_variants(variants: Variants, where: str, placeholders: set[str], minimum: int) -> None:
    for lang in LANGUAGES:
        texts = variants.get(lang, [])
        if len(texts) < minimum:
            raise ValueError(f"{where}: needs {minimum} {lang} variants")
        _check(texts, f"{where} ({lang})", placeholders, required=placeholders)


def _check_text(text: Text, where: str, placeholders: set[str]) -> None:
    for lang in LANGUAGES:
        if not text.get(lang, "").strip():
            raise ValueError(f"{where}: missing {lang} text")
        _check([text[lang]], f"{where} ({lang})", placeholders, required=placeholders)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reflections(_Frozen):
    plain: Variants
    with_topic: Variants


class Intents(_Frozen):
    greeting: Variants
    goodbye: Variants
    gratitude: Variants
    ask_about_haven: Variants
    off_topic: Variants
    report_mood: Variants


class Disclosure(_Frozen):
    first: Text
    returning: Text
    asked: Text


class Control(_Frozen):
    paused: Text
    resumed: Text
    nothing_to_resume: Text
    rating_invalid: Text
    choice_invalid: Text
    yes_no_invalid: Text
    flow_finished: Text
    mood_better: Text
    mood_same_or_worse: Text


class MemoryReplies(_Frozen):
    recall: Variants
    follow_up_plan: Text


class CrisisOpening(_Frozen):
    moderate: Text
    high: Text
    imminent: Text


class CrisisReplies(_Frozen):
    opening: CrisisOpening
    ask: Text
    ask_plan: Text
    emergency: Text
    resources_intro: Text
    abuse_resources_intro: Text
    safety_plan_offer: Text
    no_safety_plan: Text
    team_alerted: Text
    team_not_alerted: Text
    staying: Variants


class DistortionReplies(_Frozen):
    name: Text
    explain: Text
    question: Text


# The changes the companion may name when it checks in after a deterioration alert
# (``haven.domain.deterioration``); those with an amount quote ``{hours}``.
_CHECK_IN_CHANGES = {
    "sleep_shorter": {"hours"},
    "sleep_longer": {"hours"},
    "sleep_a_little_shorter": set(),
    "sleep_a_little_longer": set(),
    "sleep_later": set(),
    "sleep_irregular": set(),
    "mood_lower": set(),
    "less_active": set(),
    "questionnaire": set(),
}


class CheckInReplies(_Frozen):
    """The companion reaching out when the monitoring notices a member getting worse."""

    opening: Text  # quotes {changes}: one or two of ``changes`` joined by ``joiner``
    general: Text  # when no change is one to name to the member
    joiner: Text
    team_told: Text
    changes: dict[str, Text]

    def check(self) -> None:
        _check_text(self.opening, "check_in.opening", {"changes"})
        for name in ("general", "joiner", "team_told"):
            _check_text(getattr(self, name), f"check_in.{name}", set())
        if set(self.changes) != set(_CHECK_IN_CHANGES):
            raise ValueError(f"check_in.changes: need exactly {', '.join(_CHECK_IN_CHANGES)}")
        for name, text in self.changes.items():
            _check_text(text, f"check_in.changes.{name}", _CHECK_IN_CHANGES[name])


class Replies(_Frozen):
    source: str = Field(min_length=20)
    reflections: dict[str, Reflections]
    unclear: Variants
    questions: Variants
    intents: Intents
    offer: Variants
    offer_declined: Variants
    disclosure: Disclosure
    control: Control
    memory: MemoryReplies
    crisis: CrisisReplies
    red_flags: dict[str, Text]
    distortions: dict[str, DistortionReplies]
    check_in: CheckInReplies

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if set(self.reflections) != set(EMOTIONS):
            raise ValueError(f"reflections: need exactly {', '.join(EMOTIONS)}")
        for emotion, reflection in self.reflections.items():
            _check_variants(reflection.plain, f"reflections.{emotion}.plain", set(), 4)
            _check_variants(reflection.with_topic, f"{emotion}.with_topic", {"topic"}, 3)
        _check_variants(self.unclear, "unclear", set(), 4)
        _check_variants(self.questions, "questions", set(), 4)
        for name in Intents.model_fields:
            _check_variants(getattr(self.intents, name), f"intents.{name}", set(), 2)
        _check_variants(self.offer, "offer", {"title", "offer"}, 2)
        _check_variants(self.offer_declined, "offer_declined", set(), 2)
        for name in Disclosure.model_fields:
            _check_text(getattr(self.disclosure, name), f"disclosure.{name}", set())
        control = {
            "paused": {"title"},
            "resumed": {"title"},
            "rating_invalid": {"min", "max"},
            "choice_invalid": {"options"},
            "mood_better": {"before", "after"},
            "mood_same_or_worse": {"before", "after"},
        }
        for name in Control.model_fields:
            _check_text(getattr(self.control, name), f"control.{name}", control.get(name, set()))
        _check_variants(self.memory.recall, "memory.recall", {"item"}, 2)
        _check_text(self.memory.follow_up_plan, "memory.follow_up_plan", {"plan"})
        for level in CrisisOpening.model_fields:
            _check_text(getattr(self.crisis.opening, level), f"crisis.opening.{level}", set())
        crisis = {
            "emergency": {"emergency"},
            "resources_intro": {"country"},
            "abuse_resources_intro": {"country"},
        }
        for name in CrisisReplies.model_fields:
            if name not in {"opening", "staying"}:
                where = f"crisis.{name}"
                _check_text(getattr(self.crisis, name), where, crisis.get(name, set()))
        _check_variants(self.crisis.staying, "crisis.staying", set(), 3)
        if set(self.red_flags) != set(_RED_FLAGS):
            raise ValueError(f"red_flags: need exactly {', '.join(_RED_FLAGS)}")
        for name, text in self.red_flags.items():
            _check_text(text, f"red_flags.{name}", set())
        if set(self.distortions) != set(DISTORTIONS) - {"none"}:
            raise ValueError("distortions: need each distortion except none")
        for name, replies in self.distortions.items():
            for part in ("name", "explain", "question"):
                _check_text(getattr(replies, part), f"distortions.{name}.{part}", set())
        self.check_in.check()
        return self


class Voice:
    """Picks the words of one turn in the member's language, each kind of reply in turn."""

    def __init__(self, replies: Replies, *, lang: str, state: DialogueState) -> None:
        self.replies = replies
        self.lang = lang if lang in LANGUAGES else "en"
        self._state = state

    def text(self, text: Text, **values: str | int) -> str:
        return text[self.lang].format(**values)

    def pick(self, kind: str, variants: Variants, **values: str | int) -> str:
        """The next variant of ``kind``, never the one said last time."""
        options = variants[self.lang]
        index = (self._state.said.get(kind, -1) + 1 + self._state.turns) % len(options)
        if index == self._state.said.get(kind):
            index = (index + 1) % len(options)
        self._state.said[kind] = index
        return options[index].format(**values)
