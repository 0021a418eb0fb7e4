"""Reading a list of answers, in item order, into item-keyed answers.

People and scripts give answers in the order the questions are printed
(``haven score phq9 0 1 2 ...``, or a JSON list). With skip logic (the C-SSRS asks items 3-5
only after a "yes" to item 2) a list may hold only the questions actually asked, or one entry
per printed question with the skipped ones answered "no" or "-": both are read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from haven.domain.errors import InvalidInput
from haven.domain.instruments import Instrument
from haven.domain.scoring import asked_items
from haven.domain.text import N_

__all__ = ["SKIPPED", "answers_from_sequence", "parse_answer"]

SKIPPED = None
_YES = {"yes", "y", "true", "si", "sí"}
_NO = {"no", "n", "false"}
_SKIP = {"-", "skip", "skipped", "na", "n/a"}
_INTEGER = re.compile(r"-?[0-9]{1,6}")  # ASCII digits only: "1_0" or "٣" is a typo, not 10 or 3


def parse_answer(token: str, *, position: int) -> int | None:
    """One printed answer: an option value, yes/no (1/0) or ``-`` for a skipped question."""
    word = token.strip().lower()
    if word in _SKIP:
        return SKIPPED
    if word in _YES:
        return 1
    if word in _NO:
        return 0
    if _INTEGER.fullmatch(word):
        return int(word)
    raise InvalidInput(
        N_("Answer {position} ({token}) is not a number, yes, no or '-'."),
        field=f"answers[{position}]",
        position=position,
        token=token[:20],
    )


def answers_from_sequence(instrument: Instrument, values: Sequence[int | None]) -> dict[str, int]:
    """Item-keyed answers from answers in printed order; ``None`` marks a skipped question."""
    compact = _walk_asked(instrument, values)
    if compact is not None:
        return compact
    if len(values) > len(instrument.items):
        raise InvalidInput(
            N_("{instrument} has {count} questions, but {given} answers were given."),
            field="answers",
            instrument=instrument.short_name,
            count=len(instrument.items),
            given=len(values),
        )
    # One answer per printed question: a question that skip logic does not ask may be
    # answered "no" or "-"; anything else there is a contradiction the scorer reports.
    given = {
        item.id: value
        for item, value in zip(instrument.items, values, strict=False)
        if value is not SKIPPED
    }
    asked = {item.id for item in asked_items(instrument, given)}
    return {
        item_id: value
        for item_id, value in given.items()
        if item_id in asked or value != _lowest(instrument, item_id)
    }


def _walk_asked(instrument: Instrument, values: Sequence[int | None]) -> dict[str, int] | None:
    """Answers given only for the questions asked; None when the count does not fit."""
    answers: dict[str, int] = {}
    remaining = list(values)
    for item in instrument.items:
        if item not in asked_items(instrument, answers):
            continue
        if not remaining:
            if item.required:
                raise InvalidInput(
                    N_(
                        "{instrument} has {count} questions, but only {given} answers were "
                        "given: item {item} has no answer."
                    ),
                    field=item.id,
                    instrument=instrument.short_name,
                    count=len(instrument.items),
                    given=len(values),
                    item=item.id,
                )
            break
        value = remaining.pop(0)
        if value is not SKIPPED:
            answers[item.id] = value
    return answers if not remaining else None


def _lowest(instrument: Instrument, item_id: str) -> int:
    item = instrument.item(item_id)
    assert item is not None
    return min(option.value for option in instrument.options_for(item))
