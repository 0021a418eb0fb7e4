"""A CBT exercise done as a form instead of in chat: the flow's labelled steps become the
questions, every answer is checked at once, and the completed exercise is written up as a
journal entry with the questions as headings.

The questions, their order and their wording come from the flow's reviewed YAML (a step's
``label`` and ``hint``), so the form and the chat version of an exercise never drift apart.
For the thought record (Beck 2011, ch. 12) the first and last 0-100 ratings are the
intensity of the feeling before and after the balanced thought; their change is what the
member is shown as a reflection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from haven.domain.conversation.flows import Flow, Step, StepKind
from haven.domain.errors import InvalidInput
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.domain.text import N_

__all__ = ["InvalidAnswers", "WrittenExercise", "form_steps", "read_answers"]


class InvalidAnswers(InvalidInput):
    """One or more answers of a form are missing or out of range; ``problems`` has each."""

    def __init__(self, problems: list[InvalidInput]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field, **first.params)
        self.problems = problems


def form_steps(flow: Flow) -> list[Step]:
    """The steps asked on the form, in the flow's order: those with a ``label``."""
    return [step for step in flow.steps if step.label is not None and step.store is not None]


@dataclass(frozen=True, slots=True)
class WrittenExercise:
    """A completed form: each labelled step's answer (text, or a whole-number rating)."""

    flow: Flow
    answers: Mapping[str, str | int]

    def as_text(self, lang: str) -> str:
        """The exercise as journal text: its title, then each question and answer."""
        title = self.flow.title.get(lang) or self.flow.title["en"]
        parts = [title]
        for step in form_steps(self.flow):
            label = step.label or {}
            heading = label.get(lang) or label["en"]
            parts.append(f"{heading}\n{self.answers[step.id]}")
        return "\n\n".join(parts)

    def rating_change(self) -> tuple[int, int] | None:
        """The first and the last rating on the same scale (before and after), if any."""
        ratings = [s for s in form_steps(self.flow) if s.kind is StepKind.RATING]
        if len(ratings) < 2 or (ratings[0].min, ratings[0].max) != (
            ratings[-1].min,
            ratings[-1].max,
        ):
            return None
        before, after = self.answers[ratings[0].id], self.answers[ratings[-1].id]
        if not isinstance(before, int) or not isinstance(after, int):
            return None
        return before, after


def read_answers(flow: Flow, form: Mapping[str, str]) -> WrittenExercise:
    """Check every answer (all are required); raise ``InvalidAnswers`` naming each problem."""
    answers: dict[str, str | int] = {}
    problems: list[InvalidInput] = []
    for step in form_steps(flow):
        raw = form.get(step.id, "")
        if step.kind is StepKind.RATING:
            # A rating step always has both bounds (checked when the flow loads).
            low, high = step.min or 0, step.max or 0
            value = raw.strip()
            if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
                problems.append(
                    InvalidInput(
                        N_("Enter a whole number from {min} to {max}."),
                        field=step.id,
                        min=low,
                        max=high,
                    )
                )
                continue
            answers[step.id] = int(value)
        elif not raw.strip():
            problems.append(InvalidInput(N_("Write an answer to this question."), field=step.id))
        elif "\x00" in raw:
            problems.append(
                InvalidInput(
                    N_("The text contains a character that cannot be stored."), field=step.id
                )
            )
        elif len(raw) > MAX_FREE_TEXT_LENGTH // 4:
            problems.append(
                InvalidInput(
                    N_("Keep this answer under {maximum} characters."),
                    field=step.id,
                    maximum=MAX_FREE_TEXT_LENGTH // 4,
                )
            )
        else:
            answers[step.id] = raw.strip()
    if problems:
        raise InvalidAnswers(problems)
    return WrittenExercise(flow=flow, answers=answers)
