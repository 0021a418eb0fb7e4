"""Members' check-in reminder schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.db.tables import checkin_reminders
from haven.domain.reminders import CheckInReminder

__all__ = ["SqlCheckInReminders"]

_T = checkin_reminders


class SqlCheckInReminders:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, member_id: UUID) -> CheckInReminder | None:
        row = self._session.execute(select(_T).where(_T.c.member_id == member_id)).one_or_none()
        return None if row is None else _reminder(row)

    def save(self, reminder: CheckInReminder) -> None:
        # Replace in one transaction: delete then insert works alike on SQLite and PostgreSQL.
        self._session.execute(delete(_T).where(_T.c.member_id == reminder.member_id))
        self._session.execute(
            insert(_T).values(
                member_id=reminder.member_id,
                weekdays=",".join(str(day) for day in sorted(reminder.weekdays)),
                hour=reminder.hour,
                zone=reminder.zone,
                updated_at=reminder.updated_at,
                last_sent_at=reminder.last_sent_at,
            )
        )

    def switched_on(self) -> list[CheckInReminder]:
        rows = self._session.execute(select(_T).where(_T.c.weekdays != "").order_by(_T.c.member_id))
        return [_reminder(row) for row in rows]

    def mark_sent(self, member_id: UUID, *, at: datetime) -> None:
        self._session.execute(update(_T).where(_T.c.member_id == member_id).values(last_sent_at=at))


def _reminder(row: Any) -> CheckInReminder:
    return CheckInReminder(
        member_id=row.member_id,
        weekdays=frozenset(int(day) for day in row.weekdays.split(",") if day),
        hour=row.hour,
        zone=row.zone,
        updated_at=row.updated_at,
        last_sent_at=row.last_sent_at,
    )
