"""The care team's alert queue and the clinicians' notes on alerts (encrypted)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import alert_notes, alerts
from haven.domain.alerts import Alert, AlertNote, AlertSource
from haven.domain.instruments import RiskLevel

__all__ = ["SqlAlerts"]


class SqlAlerts:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, alert: Alert) -> None:
        self._session.execute(
            insert(alerts).values(
                id=alert.id,
                member_id=alert.member_id,
                source=alert.source.value,
                source_id=alert.source_id,
                level=alert.level.value,
                signals=",".join(alert.signals),
                created_at=alert.created_at,
                acknowledged_at=alert.acknowledged_at,
                acknowledged_by=alert.acknowledged_by,
                notified_at=alert.notified_at,
                escalated_at=alert.escalated_at,
            )
        )

    def get(self, alert_id: UUID) -> Alert | None:
        found = self._select(alerts.c.id == alert_id)
        return found[0] if found else None

    def for_members(self, member_ids: list[UUID], *, open_only: bool = True) -> list[Alert]:
        if not member_ids:
            return []
        conditions = [alerts.c.member_id.in_(member_ids)]
        if open_only:
            conditions.append(alerts.c.acknowledged_at.is_(None))
        return self._select(*conditions)

    def open_alerts(self) -> list[Alert]:
        return self._select(alerts.c.acknowledged_at.is_(None))

    def acknowledge(self, alert_id: UUID, *, by: UUID, at: datetime) -> None:
        self._set(alert_id, acknowledged_at=at, acknowledged_by=by)

    def mark_notified(self, alert_id: UUID, *, at: datetime) -> None:
        self._set(alert_id, notified_at=at)

    def mark_escalated(self, alert_id: UUID, *, at: datetime) -> None:
        self._set(alert_id, escalated_at=at)

    def add_note(self, note: AlertNote) -> None:
        body = self._cipher.encrypt(
            note.body,
            owner_id=note.member_id,
            table="alert_notes",
            column="body_ct",
            row_id=note.id,
        )
        self._session.execute(
            insert(alert_notes).values(
                id=note.id,
                alert_id=note.alert_id,
                member_id=note.member_id,
                author_id=note.author_id,
                body_ct=body,
                created_at=note.created_at,
            )
        )

    def notes(self, alert_id: UUID) -> list[AlertNote]:
        rows = self._session.execute(
            select(alert_notes)
            .where(alert_notes.c.alert_id == alert_id)
            .order_by(alert_notes.c.created_at, alert_notes.c.id)
        )
        return [
            AlertNote(
                id=row.id,
                alert_id=row.alert_id,
                member_id=row.member_id,
                author_id=row.author_id,
                body=self._cipher.decrypt(
                    row.body_ct,
                    owner_id=row.member_id,
                    table="alert_notes",
                    column="body_ct",
                    row_id=row.id,
                ),
                created_at=row.created_at,
            )
            for row in rows
        ]

    def _set(self, alert_id: UUID, **values: Any) -> None:
        self._session.execute(update(alerts).where(alerts.c.id == alert_id).values(**values))

    def _select(self, *conditions: Any) -> list[Alert]:
        rows = self._session.execute(
            select(alerts).where(*conditions).order_by(alerts.c.created_at.desc(), alerts.c.id)
        )
        return [
            Alert(
                id=row.id,
                member_id=row.member_id,
                source=AlertSource(row.source),
                source_id=row.source_id,
                level=RiskLevel(row.level),
                signals=tuple(code for code in row.signals.split(",") if code),
                created_at=row.created_at,
                acknowledged_at=row.acknowledged_at,
                acknowledged_by=row.acknowledged_by,
                notified_at=row.notified_at,
                escalated_at=row.escalated_at,
            )
            for row in rows
        ]
