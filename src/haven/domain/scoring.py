"""Scoring questionnaires exactly as their authors publish them.

Sum-scored instruments (PHQ-9, PHQ-2, GAD-7, GAD-2, WHO-5, PCL-5, AUDIT): the total is the
sum of the item values, times the instrument's multiplier (WHO-5: raw 0-25 times 4 gives the
0-100 percentage score), and the severity is the band holding the total. The C-SSRS screener
has no total: its triage level is the most urgent level among the answers that raise a flag
(Posner et al. 2011; the screener's triage colours). Item flags are raised whatever the total,
because one dangerous answer matters more than a reassuring sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.errors import InvalidInput
from haven.domain.instruments import Band, Instrument, Item, ItemFlag, ScoringMethod
from haven.domain.text import N_

__all__ = ["Assessment", "Score", "asked_items", "score"]


@dataclass(frozen=True, slots=True)
class Score:
    instrument_id: str
    raw_total: int | None  # the plain sum of item values; None for triage instruments
    total: int | None  # the published total (raw x multiplier)
    band: Band
    flags: tuple[ItemFlag, ...]

    @property
    def severity(self) -> str:
        return self.band.code


@dataclass(frozen=True, slots=True)
class Assessment:
    """A member's completed questionnaire: the answers as given and the score they earned."""

    id: UUID
    member_id: UUID
    instrument_id: str
    instrument_version: int
    answers: Mapping[str, int]
    raw_total: int | None
    total: int | None
    severity: str
    flags: tuple[str, ...]
    submitted_at: datetime
    source: str = "haven"  # or "fhir" when imported from a health record


def asked_items(instrument: Instrument, answers: Mapping[str, int]) -> list[Item]:
    """The items a person is asked given their earlier answers (skip logic applied)."""
    asked: list[Item] = []
    for item in instrument.items:
        condition = item.ask_if
        if condition is None or (
            any(a.id == condition.item for a in asked)
            and answers.get(condition.item) == condition.equals
        ):
            asked.append(item)
    return asked


def score(*, instrument: Instrument, answers: Mapping[str, int]) -> Score:
    """Check ``answers`` (item id to option value) and score them.

    Raises ``InvalidInput`` naming the first item that is missing, unknown, out of range or
    answered although skip logic says it is not asked.
    """
    asked = asked_items(instrument, answers)
    _check(instrument, answers, asked)
    effective = dict(answers)
    for item in asked:
        if item.id not in effective:
            # An optional follow-up left blank counts as its most cautious answer, so a
            # missing "how recent?" can never lower a suicide-risk triage.
            effective[item.id] = max(o.value for o in instrument.options_for(item))
    flags = tuple(
        flag
        for flag in instrument.flags
        if flag.item in effective and effective[flag.item] >= flag.at_least
    )
    if instrument.scoring is ScoringMethod.CSSRS_TRIAGE:
        rank = max((flag.level.rank + 1 for flag in flags), default=0)
        return Score(instrument.id, None, None, _band_for(instrument, rank), flags)
    raw = sum(effective[item.id] for item in asked if item.scored)
    total = raw * instrument.multiplier
    return Score(instrument.id, raw, total, _band_for(instrument, total), flags)


def _check(instrument: Instrument, answers: Mapping[str, int], asked: list[Item]) -> None:
    """Name the first problem in question order, so a form can point at the question."""
    for item_id in answers:
        if instrument.item(item_id) is None:
            raise InvalidInput(
                N_("{instrument} has no item {item}."),
                field=item_id,
                instrument=instrument.short_name,
                item=item_id,
            )
    asked_ids = {item.id for item in asked}
    for item in instrument.items:
        if item.id not in answers:
            if item.id in asked_ids and item.required:
                raise InvalidInput(N_("Item {item} needs an answer."), field=item.id, item=item.id)
            continue
        allowed = [o.value for o in instrument.options_for(item)]
        value = answers[item.id]
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise InvalidInput(
                N_("Item {item} takes one of {allowed}; {value} is not one of them."),
                field=item.id,
                item=item.id,
                allowed=", ".join(str(v) for v in allowed),
                value=value,
            )
        if item.id not in asked_ids:
            condition = item.ask_if
            assert condition is not None
            raise InvalidInput(
                N_("Item {item} is asked only when item {condition} is answered {value}."),
                field=item.id,
                item=item.id,
                condition=condition.item,
                value=condition.equals,
            )


def _band_for(instrument: Instrument, value: int) -> Band:
    for band in instrument.bands:
        if band.min <= value <= band.max:
            return band
    raise AssertionError(f"{instrument.id}: no band holds {value}")  # ruled out at load
