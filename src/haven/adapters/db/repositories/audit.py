"""The hash-chained audit log, append-only through this interface."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.db.tables import audit_head, audit_log
from haven.domain.audit import AuditEntry, AuditEvent, ChainHead, chain_entry

__all__ = ["SqlAuditLog"]

_HEAD_ROW = 1
_PAGE = 1000


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _locked_head(self) -> ChainHead | None:
        # FOR UPDATE serialises appenders on PostgreSQL; SQLite transactions already hold the
        # write lock from BEGIN IMMEDIATE (see engine.py).
        row = self._session.execute(
            select(audit_head.c.seq, audit_head.c.hash)
            .where(audit_head.c.id == _HEAD_ROW)
            .with_for_update()
        ).one()
        return None if row.seq == 0 else ChainHead(seq=row.seq, hash=row.hash)

    def append(self, event: AuditEvent) -> AuditEntry:
        entry = chain_entry(event, head=self._locked_head())
        self._session.execute(
            insert(audit_log).values(
                seq=entry.seq,
                at=event.at,
                actor_id=event.actor_id,
                actor_role=event.actor_role,
                action=event.action,
                purpose=event.purpose,
                subject_id=event.subject_id,
                target_id=event.target_id,
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        self._session.execute(
            update(audit_head)
            .where(audit_head.c.id == _HEAD_ROW)
            .values(seq=entry.seq, hash=entry.hash)
        )
        return entry

    def head(self) -> ChainHead | None:
        row = self._session.execute(
            select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == _HEAD_ROW)
        ).one()
        return None if row.seq == 0 else ChainHead(seq=row.seq, hash=row.hash)

    def entries(self) -> Iterator[AuditEntry]:
        # Keyset pages rather than a server-side cursor: a reader that stops early (at the
        # first break) leaves no cursor open behind it.
        after = 0
        while True:
            rows = self._session.execute(
                select(audit_log)
                .where(audit_log.c.seq > after)
                .order_by(audit_log.c.seq)
                .limit(_PAGE)
            ).all()
            yield from (_entry(row) for row in rows)
            if len(rows) < _PAGE:
                return
            after = rows[-1].seq

    def about(self, subject_id: UUID) -> list[AuditEntry]:
        rows = self._session.execute(
            select(audit_log).where(audit_log.c.subject_id == subject_id).order_by(audit_log.c.seq)
        )
        return [_entry(row) for row in rows]

    def newest(self, *, at_most: int, limit: int) -> list[AuditEntry]:
        # Keyset, not OFFSET: a page deep in a long trail costs the same as the first.
        rows = self._session.execute(
            select(audit_log)
            .where(audit_log.c.seq <= at_most)
            .order_by(audit_log.c.seq.desc())
            .limit(limit)
        )
        return [_entry(row) for row in rows]


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        event=AuditEvent(
            at=row.at,
            actor_id=row.actor_id,
            actor_role=row.actor_role,
            action=row.action,
            purpose=row.purpose,
            subject_id=row.subject_id,
            target_id=row.target_id,
        ),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
