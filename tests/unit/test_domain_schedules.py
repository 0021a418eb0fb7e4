"""When a scheduled questionnaire is due, overdue, and worth a reminder."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import instants

from haven.domain.errors import InvalidInput
from haven.domain.schedules import (
    MAX_CADENCE_DAYS,
    DueState,
    Schedule,
    check_cadence,
    needs_reminder,
    status_of,
)

CREATED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


def schedule(
    every_days: int = 14,
    *,
    starts_at: datetime = CREATED,
    created_at: datetime = CREATED,
    ended_at: datetime | None = None,
    last_reminded_at: datetime | None = None,
) -> Schedule:
    return Schedule(
        id=uuid.uuid4(),
        member_id=uuid.uuid4(),
        instrument_id="phq9",
        every_days=every_days,
        starts_at=starts_at,
        assigned_by=uuid.uuid4(),
        created_at=created_at,
        ended_at=ended_at,
        last_reminded_at=last_reminded_at,
    )


def days(n: float) -> timedelta:
    return timedelta(days=n)


# --- When it is due -------------------------------------------------------------------------


def test_the_first_administration_is_due_at_the_start() -> None:
    starts = CREATED + days(2)

    status = status_of(schedule(starts_at=starts), last_completed_at=None, now=CREATED)

    assert status.due_at == starts
    assert status.state is DueState.UPCOMING
    assert status.last_completed_at is None


def test_the_next_administration_is_due_a_cadence_after_the_last_completion() -> None:
    completed = CREATED + days(1) + timedelta(hours=5)

    status = status_of(schedule(14), last_completed_at=completed, now=completed)

    assert status.due_at == completed + days(14)
    assert status.state is DueState.UPCOMING
    assert status.last_completed_at == completed


def test_a_completion_from_before_the_schedule_was_made_does_not_count() -> None:
    last_month = CREATED - days(30)

    status = status_of(schedule(14), last_completed_at=last_month, now=CREATED)

    assert status.due_at == CREATED
    assert status.state is DueState.DUE
    assert status.last_completed_at is None


def test_a_completion_at_the_moment_the_schedule_was_made_counts() -> None:
    status = status_of(schedule(7), last_completed_at=CREATED, now=CREATED + days(1))

    assert status.last_completed_at == CREATED
    assert status.due_at == CREATED + days(7)


def test_a_completion_just_before_the_schedule_was_made_does_not_count() -> None:
    status = status_of(schedule(7), last_completed_at=CREATED - TICK, now=CREATED)

    assert status.last_completed_at is None
    assert status.due_at == CREATED


def test_an_early_completion_never_brings_the_start_forward() -> None:
    # Assigned today to start in 10 days; a completion tomorrow puts the next one 7 days on
    # from it, which is still before the start.
    plan = schedule(7, starts_at=CREATED + days(10))

    status = status_of(plan, last_completed_at=CREATED + days(1), now=CREATED + days(2))

    assert status.due_at == CREATED + days(10)


@pytest.mark.parametrize(
    ("every_days", "grace"),
    [
        (1, timedelta(hours=12)),
        (2, days(1)),
        (5, days(2.5)),
        (6, days(3)),
        (7, days(3)),
        (14, days(3)),
        (MAX_CADENCE_DAYS, days(3)),
    ],
)
def test_grace_is_half_the_cadence_but_never_more_than_three_days(
    every_days: int, grace: timedelta
) -> None:
    plan = schedule(every_days)
    status = status_of(plan, last_completed_at=None, now=CREATED)

    assert plan.grace == grace
    assert status.overdue_at == status.due_at + grace


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (-TICK, DueState.UPCOMING),
        (timedelta(0), DueState.DUE),
        (days(3) - TICK, DueState.DUE),
        (days(3), DueState.OVERDUE),
        (days(40), DueState.OVERDUE),
    ],
)
def test_an_administration_is_due_from_its_due_time_and_overdue_after_the_grace(
    offset: timedelta, state: DueState
) -> None:
    completed = CREATED + days(1)
    due = completed + days(14)

    status = status_of(schedule(14), last_completed_at=completed, now=due + offset)

    assert status.state is state


def test_a_daily_diary_is_overdue_the_same_day() -> None:
    plan = schedule(1)

    assert status_of(plan, last_completed_at=None, now=CREATED + timedelta(hours=11)).state is (
        DueState.DUE
    )
    assert status_of(plan, last_completed_at=None, now=CREATED + timedelta(hours=12)).state is (
        DueState.OVERDUE
    )


@given(
    every_days=st.integers(min_value=1, max_value=MAX_CADENCE_DAYS),
    completed_after=st.none() | st.timedeltas(min_value=-days(60), max_value=days(400)),
    now=instants,
)
def test_the_state_always_agrees_with_the_due_and_overdue_times(
    every_days: int, completed_after: timedelta | None, now: datetime
) -> None:
    plan = schedule(every_days)
    completed = None if completed_after is None else CREATED + completed_after

    status = status_of(plan, last_completed_at=completed, now=now)

    assert status.due_at >= plan.starts_at
    assert timedelta(0) < status.overdue_at - status.due_at <= days(3)
    assert status.overdue_at - status.due_at <= days(every_days) / 2
    if now < status.due_at:
        assert status.state is DueState.UPCOMING
    elif now < status.overdue_at:
        assert status.state is DueState.DUE
    else:
        assert status.state is DueState.OVERDUE


# --- Reminders ------------------------------------------------------------------------------


def test_no_reminder_while_upcoming() -> None:
    plan = schedule(starts_at=CREATED + days(1))

    assert not needs_reminder(status_of(plan, last_completed_at=None, now=CREATED))


def test_a_reminder_when_it_falls_due() -> None:
    assert needs_reminder(status_of(schedule(), last_completed_at=None, now=CREATED))


def test_no_second_reminder_while_still_only_due() -> None:
    plan = schedule(last_reminded_at=CREATED)

    assert not needs_reminder(status_of(plan, last_completed_at=None, now=CREATED + days(2)))


def test_one_more_reminder_once_overdue() -> None:
    plan = schedule(14, last_reminded_at=CREATED + timedelta(hours=1))

    assert needs_reminder(status_of(plan, last_completed_at=None, now=CREATED + days(3)))


def test_no_third_reminder_once_overdue_has_been_reminded() -> None:
    plan = schedule(14, last_reminded_at=CREATED + days(3))

    assert not needs_reminder(status_of(plan, last_completed_at=None, now=CREATED + days(10)))


def test_a_reminder_from_the_last_round_does_not_silence_the_next() -> None:
    completed = CREATED + days(4)
    plan = schedule(14, last_reminded_at=CREATED + days(3))

    status = status_of(plan, last_completed_at=completed, now=completed + days(14))

    assert status.state is DueState.DUE
    assert needs_reminder(status)


@pytest.mark.parametrize("offset", [timedelta(0), days(5)])
def test_no_reminder_for_an_ended_schedule(offset: timedelta) -> None:
    plan = schedule(ended_at=CREATED + timedelta(hours=1))

    assert not needs_reminder(status_of(plan, last_completed_at=None, now=CREATED + offset))


@pytest.mark.parametrize("every_days", [1, 3, 14, 30])
def test_each_round_sends_exactly_one_due_and_one_overdue_reminder(every_days: int) -> None:
    """Run the hourly reminder job for two rounds, the member completing once in between."""
    plan = schedule(every_days)
    completed: datetime | None = None
    sent: list[tuple[datetime, DueState]] = []
    first_round_end = CREATED + days(every_days)
    now = CREATED
    while now < first_round_end + days(every_days) * 2:
        if completed is None and now >= first_round_end:
            completed = now  # the member fills it in late, at the end of the first round
        status = status_of(plan, last_completed_at=completed, now=now)
        if needs_reminder(status):
            sent.append((now, status.state))
            plan = replace(plan, last_reminded_at=now)
        now += timedelta(hours=1)

    grace = plan.grace
    second_due = first_round_end + days(every_days)
    assert sent == [
        (CREATED, DueState.DUE),
        (CREATED + grace, DueState.OVERDUE),
        (second_due, DueState.DUE),
        (second_due + grace, DueState.OVERDUE),
    ]


# --- Cadence --------------------------------------------------------------------------------


@pytest.mark.parametrize("every_days", [1, 2, 14, 365])
def test_a_cadence_from_one_day_to_a_year_is_accepted(every_days: int) -> None:
    assert check_cadence(every_days) == every_days


@pytest.mark.parametrize("every_days", [0, -1, -14, 366, 10_000, True, False])
def test_a_cadence_outside_one_day_to_a_year_is_refused(every_days: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_cadence(every_days)

    assert caught.value.field == "every_days"
    assert "365" in str(caught.value)
