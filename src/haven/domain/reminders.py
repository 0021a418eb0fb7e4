"""Check-in reminders on a schedule the member chooses: days of the week and an hour of
their own day, or off.

Regular self-monitoring is part of CBT (Beck 2011, ch. 4) and adherence to mood check-ins
falls off without prompts (mindLAMP and Beiwe adherence reports), but prompts a person did
not choose are ignored or resented, so the member picks when, and may turn them off. One
e-mail goes out per scheduled slot at most; a slot missed by more than ``GRACE`` (the
reminder run was down) is skipped rather than sent late in the night.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from haven.domain.errors import InvalidInput
from haven.domain.text import N_

__all__ = [
    "DAY_NAMES",
    "GRACE",
    "WEEKDAYS",
    "CheckInReminder",
    "check_reminder",
    "due_slot",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
DAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
GRACE = timedelta(hours=3)


@dataclass(frozen=True, slots=True)
class CheckInReminder:
    """When a member wants to be reminded: ``weekdays`` (0 = Monday) at ``hour`` (0-23) in
    the time zone ``zone`` (IANA name). No weekdays means reminders are off."""

    member_id: UUID
    weekdays: frozenset[int]
    hour: int
    zone: str
    updated_at: datetime
    last_sent_at: datetime | None = None

    @property
    def on(self) -> bool:
        return bool(self.weekdays)


def check_reminder(
    *, weekdays: Iterable[str], hour: int | None, zone: str
) -> tuple[frozenset[int], int, str]:
    """The schedule as stored from what a form gives: day names (``WEEKDAYS``), an hour and a
    time-zone name; raises ``InvalidInput`` naming the field that is wrong."""
    days: set[int] = set()
    for name in weekdays:
        if name not in WEEKDAYS:
            raise InvalidInput(N_("Choose days of the week from the list."), field="days")
        days.add(WEEKDAYS.index(name))
    if hour is None or not 0 <= hour <= 23:
        raise InvalidInput(N_("Choose an hour from 0 to 23."), field="hour")
    zone = zone.strip()
    try:
        if not zone or len(zone) > 64:
            raise ValueError(zone)
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidInput(
            N_("Give a time zone by its name, such as Europe/Madrid or America/New_York."),
            field="zone",
        ) from None
    return frozenset(days), hour, zone


def _slot(day: date, reminder: CheckInReminder) -> datetime:
    return datetime.combine(day, time(reminder.hour), tzinfo=ZoneInfo(reminder.zone))


def due_slot(reminder: CheckInReminder, *, now: datetime) -> datetime | None:
    """The scheduled moment a reminder is owed for now, or None.

    A slot is owed when it has passed by less than ``GRACE``, came after the member set the
    schedule (changing it is not a reason to remind at once), and no reminder was sent at or
    after it (once per slot).
    """
    if not reminder.on:
        return None
    today = now.astimezone(ZoneInfo(reminder.zone)).date()
    for day in (today, today - timedelta(days=1)):
        slot = _slot(day, reminder)
        if day.weekday() not in reminder.weekdays or slot > now:
            continue
        if now - slot >= GRACE or slot < reminder.updated_at:
            return None
        if reminder.last_sent_at is not None and reminder.last_sent_at >= slot:
            return None
        return slot
    return None
