"""Check-in reminders on the member's own schedule: checking the form's values, when a slot
is owed (in the member's time zone, once, never late in the night), and the e-mail, which
names no mood."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from tests.unit.conftest import PASSWORD

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.adapters.memory.mailer import RecordingMailer
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, PermissionDenied
from haven.domain.people import Account
from haven.domain.reminders import CheckInReminder, check_reminder, due_slot
from haven.services.checkin_reminders import checkin_reminder, set_checkin_reminder
from haven.services.data_rights import delete_member
from haven.services.schedules import ReminderRun, send_reminders

Documents = dict[ConsentKind, ConsentDocument]
MONDAY_9_UTC = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # 10:00 in Madrid


def reminder(**changes: object) -> CheckInReminder:
    values: dict[str, object] = {
        "member_id": uuid4(),
        "weekdays": frozenset({0}),
        "hour": 10,
        "zone": "Europe/Madrid",
        "updated_at": MONDAY_9_UTC - timedelta(days=7),
    }
    values.update(changes)
    return CheckInReminder(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "hour", "zone", "field"),
    [
        (["monday"], 9, "UTC", "days"),
        (["mon"], 24, "UTC", "hour"),
        (["mon"], None, "UTC", "hour"),
        (["mon"], 9, "Mars/Olympus", "zone"),
        (["mon"], 9, "", "zone"),
    ],
)
def test_a_bad_schedule_is_refused_naming_its_field(
    days: list[str], hour: int | None, zone: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_reminder(weekdays=days, hour=hour, zone=zone)
    assert raised.value.field == field


def test_a_slot_is_owed_at_the_members_local_hour_and_only_once() -> None:
    chosen = reminder()
    slot = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # Monday 10:00 in Madrid
    assert due_slot(chosen, now=slot - timedelta(minutes=1)) is None
    assert due_slot(chosen, now=slot + timedelta(minutes=30)) == slot
    assert due_slot(reminder(last_sent_at=slot), now=slot + timedelta(minutes=30)) is None
    # A run that was down for hours does not send it late.
    assert due_slot(chosen, now=slot + timedelta(hours=4)) is None
    # Not on a day the member did not choose, nor for a slot before they chose it.
    assert due_slot(reminder(weekdays=frozenset({1})), now=slot) is None
    assert (
        due_slot(reminder(updated_at=slot + timedelta(minutes=5)), now=slot + timedelta(minutes=10))
        is None
    )
    assert due_slot(reminder(weekdays=frozenset()), now=slot) is None


def test_a_member_chooses_a_schedule_and_the_run_sends_one_email_per_slot(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    clock.set(MONDAY_9_UTC - timedelta(days=1))
    set_checkin_reminder(
        uow(), clock=clock, actor=sam, weekdays=["mon", "thu"], hour=10, zone="Europe/Madrid",
        documents=documents,
    )  # fmt: skip
    assert checkin_reminder(uow(), actor=sam, documents=documents) == CheckInReminder(
        sam.id, frozenset({0, 3}), 10, "Europe/Madrid", clock.now()
    )
    mailer = RecordingMailer()
    clock.set(MONDAY_9_UTC + timedelta(minutes=5))
    assert send_reminders(uow, clock=clock, mailer=mailer) == ReminderRun(0, 0, 1, 0)
    assert send_reminders(uow, clock=clock, mailer=mailer) == ReminderRun(0, 0, 0, 0)
    [email] = mailer.sent
    assert email.to == sam.email
    assert email.subject == "Your reminder from Haven"
    for word in ("mood", "rating", "feel", "score"):
        assert word not in email.body.lower()
    clock.set(MONDAY_9_UTC + timedelta(days=3, minutes=5))  # Thursday
    assert send_reminders(uow, clock=clock, mailer=mailer).checkins_sent == 1


def test_turning_reminders_off_stops_them_and_a_failed_send_is_retried(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    clock.set(MONDAY_9_UTC - timedelta(days=1))
    set_checkin_reminder(
        uow(), clock=clock, actor=sam, weekdays=["mon"], hour=10, zone="Europe/Madrid",
        documents=documents,
    )  # fmt: skip
    clock.set(MONDAY_9_UTC)
    failing = RecordingMailer(fail=True)
    assert send_reminders(uow, clock=clock, mailer=failing).checkins_failed == 1
    working = RecordingMailer()
    assert send_reminders(uow, clock=clock, mailer=working).checkins_sent == 1
    set_checkin_reminder(
        uow(), clock=clock, actor=sam, weekdays=[], hour=10, zone="Europe/Madrid",
        documents=documents,
    )  # fmt: skip
    clock.advance(timedelta(days=7))
    assert send_reminders(uow, clock=clock, mailer=working).checkins_sent == 0


def test_only_the_member_sets_reminders_and_erasure_removes_them(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    hasher: FakePasswordHasher,
    sam: Account,
    carmen: Account,
) -> None:
    with pytest.raises(PermissionDenied):
        set_checkin_reminder(
            uow(), clock=clock, actor=carmen, weekdays=["mon"], hour=9, zone="UTC",
            documents=documents,
        )  # fmt: skip
    set_checkin_reminder(
        uow(), clock=clock, actor=sam, weekdays=["mon"], hour=9, zone="UTC", documents=documents
    )
    delete_member(uow(), hasher=hasher, clock=clock, actor=sam, member_id=sam.id, password=PASSWORD)
    assert uow.store.committed.checkin_reminders == {}
