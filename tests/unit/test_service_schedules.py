"""Questionnaire schedules: a clinician assigns a questionnaire with a cadence, the member
sees when it is due, and Haven e-mails a discreet reminder when it falls due and again when
it is overdue."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.adapters.memory.mailer import RecordingMailer
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, NotFound, PermissionDenied
from haven.domain.instruments import Instrument
from haven.domain.people import Account
from haven.domain.schedules import DueState, Schedule, ScheduleStatus
from haven.domain.scoring import Assessment
from haven.services.accounts import update_profile
from haven.services.schedules import ReminderRun, end_schedule, schedule_statuses, send_reminders

Documents = dict[ConsentKind, ConsentDocument]
Assign = Callable[..., Schedule]
Statuses = Callable[[Account], list[ScheduleStatus]]
Answer = Callable[[str], None]
End = Callable[[Schedule], None]
Remind = Callable[[RecordingMailer], ReminderRun]

ENGLISH_SUBJECT = "A check-in is waiting for you in Haven"


@pytest.fixture
def schedule(
    assign_questionnaire: Assign,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> Assign:
    """``schedule(instrument, every_days=14, starts_at=None, actor=carmen)``: assign Sam a
    questionnaire; Sam is in Carmen's care team and shares with it."""
    assign(carmen, sam)

    def assign_it(
        instrument_id: str,
        every_days: int = 14,
        starts_at: datetime | None = None,
        actor: Account = carmen,
    ) -> Schedule:
        return assign_questionnaire(
            actor, sam, instrument_id, every_days=every_days, starts_at=starts_at
        )

    return assign_it


@pytest.fixture
def end(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    carmen: Account,
) -> End:
    """``end(schedule)``: Carmen ends one of Sam's schedules."""
    return lambda schedule: end_schedule(
        uow(), clock=clock, actor=carmen, member_id=sam.id, schedule_id=schedule.id,
        documents=documents,
    )  # fmt: skip


@pytest.fixture
def statuses(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Statuses:
    def read(actor: Account) -> list[ScheduleStatus]:
        return schedule_statuses(
            uow(), clock=clock, actor=actor, member_id=actor.id, documents=documents
        )

    return read


@pytest.fixture
def answer(
    submit: Callable[..., Assessment], instruments: dict[str, Instrument], sam: Account
) -> Answer:
    """``answer(instrument)``: Sam answers it with every item "not at all"."""

    def not_at_all(instrument_id: str) -> None:
        submit(sam, instrument_id, [0] * len(instruments[instrument_id].items))

    return not_at_all


# --- Assigning and seeing what is due -------------------------------------------------------


def test_a_questionnaire_assigned_from_now_is_due_now(
    schedule: Assign, statuses: Statuses, clock: ManualClock, sam: Account
) -> None:
    assigned = schedule("PHQ-9")

    [status] = statuses(sam)

    assert status.schedule == assigned
    assert (status.state, status.due_at) == (DueState.DUE, clock.now())
    assert status.last_completed_at is None


def test_once_answered_it_is_next_due_a_cadence_later_and_overdue_three_days_after(
    schedule: Assign, statuses: Statuses, answer: Answer, clock: ManualClock, sam: Account
) -> None:
    schedule("phq9", every_days=14)
    clock.advance(timedelta(hours=5))
    answered_at = clock.now()
    answer("phq9")

    [upcoming] = statuses(sam)
    clock.advance(timedelta(days=14))
    [due] = statuses(sam)
    clock.advance(timedelta(days=3))
    [overdue] = statuses(sam)

    assert (upcoming.state, upcoming.due_at) == (
        DueState.UPCOMING,
        answered_at + timedelta(days=14),
    )
    assert upcoming.last_completed_at == answered_at
    assert due.state is DueState.DUE
    assert overdue.state is DueState.OVERDUE


def test_assigning_the_same_questionnaire_again_replaces_the_old_cadence(
    schedule: Assign, statuses: Statuses, uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    old = schedule("phq9", every_days=14)
    new = schedule("PHQ-9", every_days=7)

    assert [s.schedule for s in statuses(sam)] == [new]
    kept = {s.id: s for s in uow.store.committed.schedules}
    assert not kept[old.id].active  # ended, kept for the record
    assert kept[new.id].every_days == 7


def test_each_assigned_questionnaire_has_its_own_status_soonest_first(
    schedule: Assign, statuses: Statuses, clock: ManualClock, sam: Account
) -> None:
    later = schedule("gad7", starts_at=clock.now() + timedelta(days=2))
    now = schedule("phq9")

    assert [s.schedule for s in statuses(sam)] == [now, later]
    assert [s.state for s in statuses(sam)] == [DueState.DUE, DueState.UPCOMING]


def test_a_member_cannot_assign_questionnaires(schedule: Assign, sam: Account) -> None:
    with pytest.raises(PermissionDenied):
        schedule("phq9", actor=sam)


@pytest.mark.parametrize("every_days", [0, -7, 400])
def test_a_cadence_outside_one_day_to_a_year_is_refused(
    schedule: Assign, uow: InMemoryUnitOfWorkFactory, every_days: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        schedule("phq9", every_days=every_days)

    assert refused.value.field == "every_days"
    assert uow.store.committed.schedules == []


@pytest.mark.parametrize("offset", [timedelta(days=-3), timedelta(days=400)])
def test_a_start_days_in_the_past_or_over_a_year_ahead_is_refused(
    schedule: Assign, uow: InMemoryUnitOfWorkFactory, clock: ManualClock, offset: timedelta
) -> None:
    with pytest.raises(InvalidInput) as refused:
        schedule("phq9", starts_at=clock.now() + offset)

    assert refused.value.field == "starts_at"
    assert uow.store.committed.schedules == []


def test_an_ended_schedule_disappears_and_its_questionnaire_is_no_longer_accepted(
    schedule: Assign, end: End, statuses: Statuses, answer: Answer, sam: Account
) -> None:
    assigned = schedule("phq9")

    end(assigned)

    assert statuses(sam) == []
    with pytest.raises(InvalidInput) as refused:
        answer("phq9")
    assert refused.value.field == "instrument"
    with pytest.raises(NotFound):  # ending it twice
        end(assigned)


# --- Reminders ------------------------------------------------------------------------------


@pytest.fixture
def remind(uow: InMemoryUnitOfWorkFactory, clock: ManualClock) -> Remind:
    def run(mailer: RecordingMailer) -> ReminderRun:
        return send_reminders(uow, clock=clock, mailer=mailer)

    return run


def test_a_due_questionnaire_sends_one_discreet_reminder_to_the_member(
    schedule: Assign,
    remind: Remind,
    uow: InMemoryUnitOfWorkFactory,
    instruments: dict[str, Instrument],
    sam: Account,
) -> None:
    schedule("phq9")
    mailer = RecordingMailer()

    assert remind(mailer) == ReminderRun(sent=1, failed=0)
    [email] = mailer.sent
    assert email.to == sam.email
    assert email.subject == ENGLISH_SUBJECT
    text = f"{email.subject}\n{email.body}".lower()
    # Read over a shoulder, it must give nothing away: no questionnaire, no score.
    for instrument in instruments.values():
        assert instrument.short_name.lower() not in text
        assert instrument.id not in text
    assert not re.search(r"\d", text)
    [reminded] = uow.store.committed.schedules
    assert reminded.last_reminded_at is not None


def test_a_spanish_speaking_member_gets_the_reminder_in_spanish(
    schedule: Assign,
    remind: Remind,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    sam: Account,
) -> None:
    update_profile(uow(), clock=clock, actor=sam, locale="es")
    schedule("phq9")
    mailer = RecordingMailer()

    remind(mailer)

    [email] = mailer.sent
    assert email.to == sam.email
    assert email.subject
    assert email.body
    assert email.subject != ENGLISH_SUBJECT
    assert "PHQ" not in email.subject + email.body


def test_a_reminder_is_sent_once_when_due_and_once_more_when_overdue(
    schedule: Assign, remind: Remind, clock: ManualClock
) -> None:
    schedule("phq9", every_days=14)
    mailer = RecordingMailer()

    runs = [remind(mailer)]
    clock.advance(timedelta(hours=1))
    runs.append(remind(mailer))
    clock.advance(timedelta(days=3))  # half the cadence, at most three days: overdue
    runs.append(remind(mailer))
    clock.advance(timedelta(days=1))
    runs.append(remind(mailer))

    assert [run.sent for run in runs] == [1, 0, 1, 0]
    assert len(mailer.sent) == 2


def test_the_next_administration_gets_its_own_reminder_after_the_member_answers(
    schedule: Assign, remind: Remind, answer: Answer, clock: ManualClock
) -> None:
    schedule("phq9", every_days=14)
    mailer = RecordingMailer()
    remind(mailer)
    answer("phq9")

    clock.advance(timedelta(days=13))
    before_due = remind(mailer)
    clock.advance(timedelta(days=1))
    when_due = remind(mailer)

    assert (before_due.sent, when_due.sent) == (0, 1)


def test_when_the_mail_server_fails_nothing_is_marked_and_the_next_run_retries(
    schedule: Assign,
    remind: Remind,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
) -> None:
    schedule("phq9")
    mailer = RecordingMailer(fail=True)

    failed = remind(mailer)

    assert failed == ReminderRun(sent=0, failed=1)
    assert [s.last_reminded_at for s in uow.store.committed.schedules] == [None]
    assert not any(e.event.action == "schedule.remind" for e in uow.store.committed.audit)

    mailer.fail = False
    clock.advance(timedelta(minutes=30))
    assert remind(mailer) == ReminderRun(sent=1, failed=0)
    assert len(mailer.sent) == 1


def test_a_questionnaire_not_yet_due_sends_nothing(
    schedule: Assign, remind: Remind, clock: ManualClock
) -> None:
    schedule("phq9", starts_at=clock.now() + timedelta(days=2))
    mailer = RecordingMailer()

    assert remind(mailer) == ReminderRun(sent=0, failed=0)
    assert mailer.sent == []


def test_an_ended_schedule_sends_no_reminder(schedule: Assign, end: End, remind: Remind) -> None:
    assigned = schedule("phq9")
    end(assigned)
    mailer = RecordingMailer()

    assert remind(mailer).sent == 0
