"""Members' written records: journal entries and clinician notes, encrypted per field."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import clinician_notes, journal_entries
from haven.domain.journal import JournalEntry
from haven.domain.notes import ClinicianNote

__all__ = ["SqlJournal", "SqlNotes"]


class SqlJournal:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, entry: JournalEntry) -> None:
        body = self._cipher.encrypt(
            entry.body,
            owner_id=entry.member_id,
            table="journal_entries",
            column="body_ct",
            row_id=entry.id,
        )
        self._session.execute(
            insert(journal_entries).values(
                id=entry.id, member_id=entry.member_id, body_ct=body, created_at=entry.created_at
            )
        )

    def get(self, *, member_id: UUID, entry_id: UUID) -> JournalEntry | None:
        rows = self._select(member_id, entry_id)
        return rows[0] if rows else None

    def for_member(self, member_id: UUID) -> list[JournalEntry]:
        return self._select(member_id, None)

    def latest(self, member_id: UUID, *, count: int) -> list[JournalEntry]:
        return self._select(member_id, None, newest=count)[::-1]

    def _select(
        self, member_id: UUID, entry_id: UUID | None, *, newest: int | None = None
    ) -> list[JournalEntry]:
        query = select(journal_entries).where(journal_entries.c.member_id == member_id)
        if newest is None:
            query = query.order_by(journal_entries.c.created_at, journal_entries.c.id)
        else:
            query = query.order_by(
                journal_entries.c.created_at.desc(), journal_entries.c.id.desc()
            ).limit(newest)
        if entry_id is not None:
            query = query.where(journal_entries.c.id == entry_id)
        return [
            JournalEntry(
                id=row.id,
                member_id=row.member_id,
                body=self._cipher.decrypt(
                    row.body_ct,
                    owner_id=row.member_id,
                    table="journal_entries",
                    column="body_ct",
                    row_id=row.id,
                ),
                created_at=row.created_at,
            )
            for row in self._session.execute(query)
        ]


class SqlNotes:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, note: ClinicianNote) -> None:
        body = self._cipher.encrypt(
            note.body,
            owner_id=note.member_id,
            table="clinician_notes",
            column="body_ct",
            row_id=note.id,
        )
        self._session.execute(
            insert(clinician_notes).values(
                id=note.id,
                member_id=note.member_id,
                author_id=note.author_id,
                body_ct=body,
                created_at=note.created_at,
            )
        )

    def for_member(self, member_id: UUID) -> list[ClinicianNote]:
        rows = self._session.execute(
            select(clinician_notes)
            .where(clinician_notes.c.member_id == member_id)
            .order_by(clinician_notes.c.created_at, clinician_notes.c.id)
        )
        return [
            ClinicianNote(
                id=row.id,
                member_id=row.member_id,
                author_id=row.author_id,
                body=self._cipher.decrypt(
                    row.body_ct,
                    owner_id=row.member_id,
                    table="clinician_notes",
                    column="body_ct",
                    row_id=row.id,
                ),
                created_at=row.created_at,
            )
            for row in rows
        ]
