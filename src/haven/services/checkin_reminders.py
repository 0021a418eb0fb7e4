"""Check-in reminders: the member chooses days and an hour (or off) on the check-in page, and
the hourly reminder run (``haven reminders send``) e-mails them when a chosen slot comes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from haven.domain.access import Purpose
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import PermissionDenied
from haven.domain.notifications import DeliveryFailed, OutgoingEmail
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, Mailer, UnitOfWork, UnitOfWorkFactory
from haven.domain.reminders import CheckInReminder, check_reminder, due_slot
from haven.domain.text import N_
from haven.i18n import translations
from haven.services import _audit
from haven.services._access import open_member_record

__all__ = [
    "CheckInReminderRun",
    "checkin_reminder",
    "send_checkin_reminders",
    "set_checkin_reminder",
]

logger = logging.getLogger(__name__)

Documents = Mapping[ConsentKind, ConsentDocument]


@dataclass(frozen=True, slots=True)
class CheckInReminderRun:
    sent: int
    failed: int


def _own(uow: UnitOfWork, actor: Account, documents: Documents) -> Purpose:
    if actor.role is not Role.MEMBER:
        raise PermissionDenied(N_("Only members set check-in reminders."))
    return open_member_record(uow, actor=actor, member_id=actor.id, documents=documents)


def checkin_reminder(
    uow: UnitOfWork, *, actor: Account, documents: Documents
) -> CheckInReminder | None:
    """The member's own reminder schedule, None if they never set one."""
    with uow:
        _own(uow, actor, documents)
        return uow.checkin_reminders.get(actor.id)


def set_checkin_reminder(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    weekdays: Iterable[str],
    hour: int | None,
    zone: str,
    documents: Documents,
) -> CheckInReminder:
    """Replace the member's schedule: ``weekdays`` as names (``mon``..``sun``; none turns the
    reminders off), ``hour`` 0-23 and ``zone`` an IANA time-zone name."""
    days, hour_of_day, zone_name = check_reminder(weekdays=weekdays, hour=hour, zone=zone)
    now = clock.now()
    with uow:
        purpose = _own(uow, actor, documents)
        earlier = uow.checkin_reminders.get(actor.id)
        reminder = CheckInReminder(
            member_id=actor.id,
            weekdays=days,
            hour=hour_of_day,
            zone=zone_name,
            updated_at=now,
            last_sent_at=earlier.last_sent_at if earlier else None,
        )
        uow.checkin_reminders.save(reminder)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="checkin_reminder.set",
            purpose=purpose,
            subject_id=actor.id,
        )
        uow.commit()
    return reminder


def send_checkin_reminders(
    uows: UnitOfWorkFactory, *, clock: Clock, mailer: Mailer
) -> CheckInReminderRun:
    """E-mail every member whose chosen slot has come, once per slot; each is marked in its
    own transaction after it is sent, so a mail server failing half-way leaves the rest to
    the next run instead of sending twice."""
    now = clock.now()
    with uows() as uow:
        pending = [r.member_id for r in uow.checkin_reminders.switched_on() if due_slot(r, now=now)]
    sent = failed = 0
    for member_id in pending:
        with uows() as uow:
            member = uow.accounts.get(member_id)
            if member is None:
                continue
            try:
                mailer.send(_reminder_for(member))
            except DeliveryFailed:
                failed += 1
                continue
            uow.checkin_reminders.mark_sent(member_id, at=now)
            _audit.record(
                uow,
                at=now,
                actor=None,
                action="checkin_reminder.send",
                purpose=Purpose.SELF_CARE,
                subject_id=member_id,
            )
            uow.commit()
            sent += 1
    if failed:
        logger.warning("check-in reminders: %d sent, %d failed", sent, failed)
    return CheckInReminderRun(sent=sent, failed=failed)


def _reminder_for(member: Account) -> OutgoingEmail:
    # Names no mood, rating or feeling: an e-mail may be read over a shoulder.
    _ = translations(member.locale).gettext
    return OutgoingEmail(
        to=member.email,
        subject=_("Your reminder from Haven"),
        body=_(
            "Hello,\n\nThis is the reminder you asked for: a moment to check in with "
            "yourself in Haven. It takes a few seconds.\n\n"
            "You can change the days and time, or turn these reminders off, on the check-in "
            "page.\n\nIf you are in crisis, call your local emergency number now.\n\nHaven"
        ),
    )
