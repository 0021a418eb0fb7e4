"""Accounts, care teams and consent records."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import (
    accounts,
    alert_notes,
    alerts,
    assessment_schedules,
    assessments,
    bandit_states,
    care_team,
    checkin_reminders,
    clinician_notes,
    consents,
    conversation_messages,
    conversations,
    credentials,
    exercise_assignments,
    journal_entries,
    mood_checkins,
    safety_plans,
    wearable_observations,
)
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.people import Account, Role
from haven.domain.ports import Clock

__all__ = ["SqlAccounts", "SqlCareTeams", "SqlConsents"]


class SqlAccounts:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def _seal_name(self, account: Account) -> bytes:
        return self._cipher.encrypt(
            account.display_name,
            owner_id=account.id,
            table="accounts",
            column="display_name_ct",
            row_id=account.id,
        )

    def _from_row(self, row: Any) -> Account:
        name = self._cipher.decrypt(
            row.display_name_ct,
            owner_id=row.id,
            table="accounts",
            column="display_name_ct",
            row_id=row.id,
        )
        return Account(
            id=row.id,
            email=row.email,
            role=Role(row.role),
            display_name=name,
            locale=row.locale,
            password_hash=row.password_hash,
            created_at=row.created_at,
        )

    def add(self, account: Account) -> None:
        self._session.execute(
            insert(accounts).values(
                id=account.id,
                email=account.email,
                role=account.role.value,
                display_name_ct=self._seal_name(account),
                locale=account.locale,
                password_hash=account.password_hash,
                created_at=account.created_at,
            )
        )

    def get(self, account_id: UUID) -> Account | None:
        row = self._session.execute(
            select(accounts).where(accounts.c.id == account_id)
        ).one_or_none()
        return None if row is None else self._from_row(row)

    def by_email(self, email: str) -> Account | None:
        row = self._session.execute(select(accounts).where(accounts.c.email == email)).one_or_none()
        return None if row is None else self._from_row(row)

    def list(self, *, role: Role | None = None) -> list[Account]:
        query = select(accounts).order_by(accounts.c.created_at, accounts.c.email)
        if role is not None:
            query = query.where(accounts.c.role == role.value)
        return [self._from_row(row) for row in self._session.execute(query)]

    def update(self, account: Account) -> None:
        self._session.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(
                display_name_ct=self._seal_name(account),
                locale=account.locale,
                password_hash=account.password_hash,
            )
        )

    def delete(self, account_id: UUID) -> None:
        # Explicit rather than trusting ON DELETE CASCADE, which SQLite honours only when the
        # foreign_keys pragma is on for that connection.
        for table, column in (
            (journal_entries, journal_entries.c.member_id),
            (mood_checkins, mood_checkins.c.member_id),
            (checkin_reminders, checkin_reminders.c.member_id),
            (wearable_observations, wearable_observations.c.member_id),
            (conversation_messages, conversation_messages.c.member_id),
            (conversations, conversations.c.member_id),
            (bandit_states, bandit_states.c.member_id),
            (assessments, assessments.c.member_id),
            (assessment_schedules, assessment_schedules.c.member_id),
            (alert_notes, alert_notes.c.member_id),
            (alerts, alerts.c.member_id),
            (safety_plans, safety_plans.c.member_id),
            (clinician_notes, clinician_notes.c.member_id),
            (exercise_assignments, exercise_assignments.c.member_id),
            (consents, consents.c.account_id),
            (credentials, credentials.c.account_id),
            (care_team, care_team.c.member_id),
            (care_team, care_team.c.clinician_id),
        ):
            self._session.execute(delete(table).where(column == account_id))
        self._session.execute(
            update(clinician_notes)
            .where(clinician_notes.c.author_id == account_id)
            .values(author_id=None)
        )
        self._session.execute(
            update(assessment_schedules)
            .where(assessment_schedules.c.assigned_by == account_id)
            .values(assigned_by=None)
        )
        self._session.execute(
            update(exercise_assignments)
            .where(exercise_assignments.c.assigned_by == account_id)
            .values(assigned_by=None)
        )
        self._session.execute(
            update(alerts)
            .where(alerts.c.acknowledged_by == account_id)
            .values(acknowledged_by=None)
        )
        self._session.execute(
            update(alert_notes).where(alert_notes.c.author_id == account_id).values(author_id=None)
        )
        self._session.execute(delete(accounts).where(accounts.c.id == account_id))


class SqlCareTeams:
    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def assign(self, *, clinician_id: UUID, member_id: UUID) -> None:
        if self.is_assigned(clinician_id=clinician_id, member_id=member_id):
            return
        self._session.execute(
            insert(care_team).values(
                clinician_id=clinician_id, member_id=member_id, assigned_at=self._clock.now()
            )
        )

    def unassign(self, *, clinician_id: UUID, member_id: UUID) -> bool:
        result = self._session.execute(
            delete(care_team).where(
                care_team.c.clinician_id == clinician_id, care_team.c.member_id == member_id
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def is_assigned(self, *, clinician_id: UUID, member_id: UUID) -> bool:
        row = self._session.execute(
            select(care_team.c.member_id).where(
                care_team.c.clinician_id == clinician_id, care_team.c.member_id == member_id
            )
        ).first()
        return row is not None

    def members_of(self, clinician_id: UUID) -> list[UUID]:
        rows = self._session.execute(
            select(care_team.c.member_id)
            .where(care_team.c.clinician_id == clinician_id)
            .order_by(care_team.c.assigned_at)
        )
        return [row[0] for row in rows]

    def clinicians_of(self, member_id: UUID) -> list[UUID]:
        rows = self._session.execute(
            select(care_team.c.clinician_id)
            .where(care_team.c.member_id == member_id)
            .order_by(care_team.c.assigned_at)
        )
        return [row[0] for row in rows]


class SqlConsents:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, record: ConsentRecord) -> None:
        self._session.execute(
            insert(consents).values(
                id=record.id,
                account_id=record.account_id,
                kind=record.kind.value,
                version=record.version,
                granted_at=record.granted_at,
                revoked_at=record.revoked_at,
            )
        )

    def for_account(self, account_id: UUID) -> list[ConsentRecord]:
        rows = self._session.execute(
            select(consents)
            .where(consents.c.account_id == account_id)
            .order_by(consents.c.granted_at)
        )
        return [
            ConsentRecord(
                id=row.id,
                account_id=row.account_id,
                kind=ConsentKind(row.kind),
                version=row.version,
                granted_at=row.granted_at,
                revoked_at=row.revoked_at,
            )
            for row in rows
        ]

    def revoke(self, *, account_id: UUID, kind: ConsentKind, at: datetime) -> int:
        result = self._session.execute(
            update(consents)
            .where(
                consents.c.account_id == account_id,
                consents.c.kind == kind.value,
                consents.c.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
