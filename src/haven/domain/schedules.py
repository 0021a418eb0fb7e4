"""Questionnaire schedules: a clinician assigns an instrument with a cadence, and Haven works
out when it is next due, when it is overdue and when the member should be reminded.

A schedule's first administration is due at its start; after each completion the next is due
``every_days`` later (measurement-based care repeats the PHQ-9 and GAD-7 at every contact or
every two weeks). An administration is overdue once half its cadence has passed, at most three
days, so a daily diary is chased the same day and a monthly PCL-5 within three days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from haven.domain.errors import InvalidInput
from haven.domain.text import N_

__all__ = [
    "MAX_CADENCE_DAYS",
    "DueState",
    "Schedule",
    "ScheduleStatus",
    "check_cadence",
    "needs_reminder",
    "status_of",
]

MAX_CADENCE_DAYS = 365
_LONGEST_GRACE = timedelta(days=3)


def check_cadence(every_days: int) -> int:
    if (
        isinstance(every_days, bool)
        or not isinstance(every_days, int)
        or not 1 <= every_days <= MAX_CADENCE_DAYS
    ):
        raise InvalidInput(
            N_("The cadence must be a whole number of days from 1 to {maximum}."),
            field="every_days",
            maximum=MAX_CADENCE_DAYS,
        )
    return every_days


@dataclass(frozen=True, slots=True)
class Schedule:
    id: UUID
    member_id: UUID
    instrument_id: str
    every_days: int
    starts_at: datetime
    assigned_by: UUID | None
    created_at: datetime
    ended_at: datetime | None = None
    last_reminded_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None

    @property
    def grace(self) -> timedelta:
        """How long after its due time an administration becomes overdue."""
        return min(_LONGEST_GRACE, timedelta(days=self.every_days) / 2)


class DueState(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    schedule: Schedule
    due_at: datetime
    overdue_at: datetime
    state: DueState
    last_completed_at: datetime | None


def status_of(
    schedule: Schedule, *, last_completed_at: datetime | None, now: datetime
) -> ScheduleStatus:
    """Where ``schedule`` stands at ``now``, given the member's latest completion of it.

    Completions from before the schedule was made do not count: a clinician who assigns a
    PHQ-9 today wants a fresh one, not last month's.
    """
    counted = (
        last_completed_at
        if last_completed_at and last_completed_at >= schedule.created_at
        else None
    )
    due_at = schedule.starts_at
    if counted is not None:
        due_at = max(due_at, counted + timedelta(days=schedule.every_days))
    overdue_at = due_at + schedule.grace
    if now < due_at:
        state = DueState.UPCOMING
    elif now < overdue_at:
        state = DueState.DUE
    else:
        state = DueState.OVERDUE
    return ScheduleStatus(schedule, due_at, overdue_at, state, counted)


def needs_reminder(status: ScheduleStatus) -> bool:
    """One reminder when an administration falls due, and one more when it becomes overdue."""
    if status.state is DueState.UPCOMING or not status.schedule.active:
        return False
    threshold = status.overdue_at if status.state is DueState.OVERDUE else status.due_at
    last = status.schedule.last_reminded_at
    return last is None or last < threshold
