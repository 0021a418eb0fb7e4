"""Questionnaire schedules: a clinician assigns an instrument with a cadence; the member
sees what is due in the app and gets an e-mail reminder when it falls due."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, NotFound
from haven.domain.instruments import Instrument
from haven.domain.notifications import DeliveryFailed, OutgoingEmail
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, Mailer, UnitOfWork, UnitOfWorkFactory
from haven.domain.schedules import (
    Schedule,
    ScheduleStatus,
    check_cadence,
    needs_reminder,
    status_of,
)
from haven.domain.text import N_
from haven.i18n import translations
from haven.services import _audit
from haven.services._access import open_member_record
from haven.services.assessments import find_instrument
from haven.services.checkin_reminders import send_checkin_reminders

__all__ = ["ReminderRun", "assign_schedule", "end_schedule", "schedule_statuses", "send_reminders"]

logger = logging.getLogger(__name__)

Documents = Mapping[ConsentKind, ConsentDocument]
Instruments = Mapping[str, Instrument]

# A start more than a day back is almost certainly a typo for a future date.
_EARLIEST_START = timedelta(days=1)
_LATEST_START = timedelta(days=365)


def assign_schedule(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    instrument_id: str,
    every_days: int,
    starts_at: datetime | None,
    instruments: Instruments,
    documents: Documents,
) -> Schedule:
    """Assign ``instrument_id`` every ``every_days`` days from ``starts_at`` (default now).

    Assigning an instrument the member already has replaces the old cadence; the old
    schedule is kept, ended, for the record.
    """
    require_role(actor, Role.CLINICIAN)
    instrument = find_instrument(instruments, instrument_id)
    check_cadence(every_days)
    now = clock.now()
    start = starts_at or now
    if start.tzinfo is None:
        raise InvalidInput(N_("Give the start time with its time zone."), field="starts_at")
    if not now - _EARLIEST_START <= start <= now + _LATEST_START:
        raise InvalidInput(
            N_("The start must be between yesterday and a year from now."), field="starts_at"
        )
    schedule = Schedule(
        id=uuid.uuid4(),
        member_id=member_id,
        instrument_id=instrument.id,
        every_days=every_days,
        starts_at=start,
        assigned_by=actor.id,
        created_at=now,
    )
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        for existing in uow.schedules.for_member(member_id):
            if existing.instrument_id == instrument.id:
                uow.schedules.end(existing.id, at=now)
        uow.schedules.add(schedule)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="schedule.assign",
            purpose=purpose,
            subject_id=member_id,
            target_id=schedule.id,
        )
        uow.commit()
    return schedule


def end_schedule(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    schedule_id: UUID,
    documents: Documents,
) -> None:
    require_role(actor, Role.CLINICIAN)
    now = clock.now()
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        schedule = uow.schedules.get(member_id=member_id, schedule_id=schedule_id)
        if schedule is None or not schedule.active:
            raise NotFound(N_("No active schedule with that id."))
        uow.schedules.end(schedule_id, at=now)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="schedule.end",
            purpose=purpose,
            subject_id=member_id,
            target_id=schedule_id,
        )
        uow.commit()


def schedule_statuses(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> list[ScheduleStatus]:
    """Each active schedule with its next due time and whether it is due or overdue."""
    now = clock.now()
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        latest = uow.assessments.latest(member_id)
        statuses = [
            status_of(s, last_completed_at=latest.get(s.instrument_id), now=now)
            for s in uow.schedules.for_member(member_id)
        ]
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="schedule.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return sorted(statuses, key=lambda s: s.due_at)


@dataclass(frozen=True, slots=True)
class ReminderRun:
    sent: int
    failed: int
    # Check-in reminders on the member's own schedule (services/checkin_reminders.py).
    checkins_sent: int = 0
    checkins_failed: int = 0


def send_reminders(uows: UnitOfWorkFactory, *, clock: Clock, mailer: Mailer) -> ReminderRun:
    """E-mail every member whose questionnaire has fallen due or overdue since their last
    reminder, and every member whose chosen check-in reminder slot has come. Each reminder
    is marked in its own transaction after it is sent, so a mail server failing half-way
    leaves the rest to the next run instead of sending twice."""
    now = clock.now()
    with uows() as uow:
        pending = [
            (schedule.id, schedule.member_id)
            for schedule in uow.schedules.active()
            if needs_reminder(
                status_of(
                    schedule,
                    last_completed_at=uow.assessments.latest(schedule.member_id).get(
                        schedule.instrument_id
                    ),
                    now=now,
                )
            )
        ]
    sent = failed = 0
    for schedule_id, member_id in pending:
        with uows() as uow:
            member = uow.accounts.get(member_id)
            if member is None:
                continue
            try:
                mailer.send(_reminder_for(member))
            except DeliveryFailed:
                failed += 1
                continue
            uow.schedules.mark_reminded(schedule_id, at=now)
            _audit.record(
                uow,
                at=now,
                actor=None,
                action="schedule.remind",
                purpose=Purpose.SELF_CARE,
                subject_id=member_id,
                target_id=schedule_id,
            )
            uow.commit()
            sent += 1
    if failed:
        logger.warning("questionnaire reminders: %d sent, %d failed", sent, failed)
    checkins = send_checkin_reminders(uows, clock=clock, mailer=mailer)
    return ReminderRun(
        sent=sent, failed=failed, checkins_sent=checkins.sent, checkins_failed=checkins.failed
    )


def _reminder_for(member: Account) -> OutgoingEmail:
    # The e-mail names no questionnaire and no score: it may be read over a shoulder.
    _ = translations(member.locale).gettext
    return OutgoingEmail(
        to=member.email,
        subject=_("A check-in is waiting for you in Haven"),
        body=_(
            "Hello,\n\nYour care team asked you to answer a short check-in, and it is ready "
            "now. Sign in to Haven to answer it; it takes a few minutes.\n\n"
            "If you are in crisis, call your local emergency number now.\n\nHaven"
        ),
    )
