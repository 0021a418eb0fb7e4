"""In-memory check-in reminder schedules."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from haven.adapters.memory.store import Tables
from haven.domain.reminders import CheckInReminder

__all__ = ["InMemoryCheckInReminders"]


class InMemoryCheckInReminders:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def get(self, member_id: UUID) -> CheckInReminder | None:
        return self._t.checkin_reminders.get(member_id)

    def save(self, reminder: CheckInReminder) -> None:
        self._t.checkin_reminders[reminder.member_id] = reminder

    def switched_on(self) -> list[CheckInReminder]:
        return [r for r in self._t.checkin_reminders.values() if r.on]

    def mark_sent(self, member_id: UUID, *, at: datetime) -> None:
        found = self._t.checkin_reminders.get(member_id)
        if found is not None:
            self._t.checkin_reminders[member_id] = replace(found, last_sent_at=at)
