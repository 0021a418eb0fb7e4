"""CBT flows as data: the steps of an exercise, a check-in or a psychoeducation talk.

Each flow is a reviewed YAML file in ``content/flows/`` that cites its clinical source. A
step either only speaks (``say``) or speaks and then waits for the member's answer, which is
kept under ``store`` and may be quoted back in later steps as ``{name}``. Steps with a
``role`` feed the engine: the mood ratings before and after an exercise and the "was this
helpful?" answer are the bandit's reward; the automatic thought is checked for distortions.
Everything is checked when the file loads, so a broken flow never reaches a member.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["LANGUAGES", "Flow", "FlowKind", "Option", "Step", "StepKind", "StepRole"]

LANGUAGES = ("en", "es")
Text = dict[str, str]
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_ID = r"^[a-z][a-z0-9_]*$"


def _check_text(text: Text, where: str) -> set[str]:
    """Every language present and non-empty; returns the placeholders used."""
    missing = [lang for lang in LANGUAGES if not text.get(lang, "").strip()]
    if missing:
        raise ValueError(f"{where}: missing text in {', '.join(missing)}")
    extra = set(text) - set(LANGUAGES)
    if extra:
        raise ValueError(f"{where}: unknown language {', '.join(sorted(extra))}")
    used = {name for value in text.values() for name in _PLACEHOLDER.findall(value)}
    placeholders_per_language = {frozenset(_PLACEHOLDER.findall(value)) for value in text.values()}
    if len(placeholders_per_language) > 1:
        raise ValueError(f"{where}: the languages quote different answers")
    return used


class FlowKind(StrEnum):
    CHECK_IN = "check_in"
    EXERCISE = "exercise"
    PSYCHOEDUCATION = "psychoeducation"


class StepKind(StrEnum):
    SAY = "say"  # speaks and moves straight on
    CONTINUE = "continue"  # speaks and waits for any reply (pages of psychoeducation)
    TEXT = "text"  # waits for free text
    RATING = "rating"  # waits for a whole number in [min, max]
    CHOICE = "choice"  # waits for one of the options
    YES_NO = "yes_no"


class StepRole(StrEnum):
    MOOD_BEFORE = "mood_before"  # 0-10 rating at the start (reward baseline)
    MOOD_AFTER = "mood_after"  # 0-10 rating at the end (reward)
    HELPFUL = "helpful"  # yes/no "was this helpful?" (reward)
    AUTOMATIC_THOUGHT = "automatic_thought"  # checked for cognitive distortions
    DISTORTIONS = "distortions"  # a say step the engine fills with the distortion found
    PLAN = "plan"  # an activity the member plans, followed up next time


_WAITING = {StepKind.CONTINUE, StepKind.TEXT, StepKind.RATING, StepKind.CHOICE, StepKind.YES_NO}
_STORING = {StepKind.TEXT, StepKind.RATING, StepKind.CHOICE, StepKind.YES_NO}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Frozen):
    id: str = Field(pattern=_ID)
    label: Text
    # Words that choose this option when typed (besides its number and label), per language.
    words: dict[str, list[str]] = Field(default_factory=dict)


class Step(_Frozen):
    id: str = Field(pattern=_ID)
    kind: StepKind
    say: Text
    store: str | None = Field(default=None, pattern=_ID)
    role: StepRole | None = None
    min: int | None = None
    max: int | None = None
    options: list[Option] = Field(default_factory=list)
    # A short heading and an optional hint for the step when the exercise is done as a form
    # (the Tools page) rather than in chat; steps without a label are left out of the form.
    label: Text | None = None
    hint: Text | None = None

    @property
    def waits(self) -> bool:
        return self.kind in _WAITING

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.kind in _STORING) != (self.store is not None):
            raise ValueError(f"step {self.id}: `store` is required for answers and only for them")
        if (self.kind is StepKind.RATING) != (self.min is not None and self.max is not None):
            raise ValueError(f"step {self.id}: a rating needs min and max, nothing else does")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"step {self.id}: min must be below max")
        if (self.kind is StepKind.CHOICE) != bool(self.options):
            raise ValueError(f"step {self.id}: options belong to choice steps, which need them")
        ratings = {StepRole.MOOD_BEFORE, StepRole.MOOD_AFTER}
        if self.role in ratings and (self.kind, self.min, self.max) != (StepKind.RATING, 0, 10):
            raise ValueError(f"step {self.id}: a mood rating is a 0-10 rating")
        if self.role is StepRole.HELPFUL and self.kind is not StepKind.YES_NO:
            raise ValueError(f"step {self.id}: `helpful` is a yes/no question")
        if self.role in {StepRole.AUTOMATIC_THOUGHT, StepRole.PLAN} and self.kind is not (
            StepKind.TEXT
        ):
            raise ValueError(f"step {self.id}: `{self.role}` is a free-text answer")
        if self.role is StepRole.DISTORTIONS and self.kind is not StepKind.SAY:
            raise ValueError(f"step {self.id}: `distortions` is a say step")
        for option in self.options:
            _check_text(option.label, f"step {self.id} option {option.id}")
        for name, text in (("label", self.label), ("hint", self.hint)):
            # A form shows every question at once, so nothing earlier can be quoted.
            if text is not None and _check_text(text, f"step {self.id} {name}"):
                raise ValueError(f"step {self.id}: a {name} quotes no answer")
        if self.label is not None and self.store is None:
            raise ValueError(f"step {self.id}: only a step that stores an answer has a label")
        return self


class Flow(_Frozen):
    id: str = Field(pattern=_ID)
    kind: FlowKind
    title: Text
    offer: Text  # one sentence saying what it is, used when the companion offers it
    # Words or phrases that ask for this flow by name, per language ("breathing", "respirar").
    aliases: dict[str, list[str]]
    source: str = Field(min_length=20)  # the published technique this follows
    minutes: int = Field(ge=1, le=30)
    # Emotions (codes of the NLU emotion classifier) it is clinically sensible to offer this for:
    # the bandit's prior leans towards these on cold start.
    suits: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_text(self.title, f"{self.id} title")
        _check_text(self.offer, f"{self.id} offer")
        for lang in LANGUAGES:
            if not self.aliases.get(lang):
                raise ValueError(f"{self.id}: needs aliases in {lang}")
        seen_steps: set[str] = set()
        stored: set[str] = set()
        for step in self.steps:
            if step.id in seen_steps:
                raise ValueError(f"{self.id}: step {step.id} appears twice")
            seen_steps.add(step.id)
            used = _check_text(step.say, f"{self.id} step {step.id}")
            unknown = used - stored
            if unknown:
                raise ValueError(
                    f"{self.id} step {step.id} quotes {', '.join(sorted(unknown))} "
                    "before any step stores it"
                )
            if step.store is not None:
                if step.store in stored:
                    raise ValueError(f"{self.id}: two steps store {step.store}")
                stored.add(step.store)
        roles = [step.role for step in self.steps if step.role is not None]
        if len(roles) != len(set(roles)):
            raise ValueError(f"{self.id}: a role appears on two steps")
        if StepRole.DISTORTIONS in roles and StepRole.AUTOMATIC_THOUGHT not in roles:
            raise ValueError(f"{self.id}: `distortions` needs an automatic thought before it")
        if self.steps[-1].waits and self.steps[-1].kind is not StepKind.YES_NO:
            raise ValueError(f"{self.id}: the last step must close the flow, not wait for text")
        return self
