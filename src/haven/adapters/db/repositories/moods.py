"""Mood check-ins: the rating and tags in the clear (a chart reads them without a key), the
note encrypted under the member's data key."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import mood_checkins
from haven.domain.mood import MoodCheckIn

__all__ = ["SqlMoods"]

_TABLE, _NOTE = "mood_checkins", "note_ct"


class SqlMoods:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, checkin: MoodCheckIn) -> None:
        note = None
        if checkin.note is not None:
            note = self._cipher.encrypt(
                checkin.note,
                owner_id=checkin.member_id,
                table=_TABLE,
                column=_NOTE,
                row_id=checkin.id,
            )
        self._session.execute(
            insert(mood_checkins).values(
                id=checkin.id,
                member_id=checkin.member_id,
                rating=checkin.rating,
                tags=json.dumps(list(checkin.tags)),
                note_ct=note,
                created_at=checkin.created_at,
            )
        )

    def for_member(self, member_id: UUID, *, since: datetime | None = None) -> list[MoodCheckIn]:
        query = self._mine(select(mood_checkins), member_id, since).order_by(
            mood_checkins.c.created_at, mood_checkins.c.id
        )
        return [self._checkin(row) for row in self._session.execute(query)]

    def latest(self, member_id: UUID, *, count: int) -> list[MoodCheckIn]:
        if count <= 0:
            return []
        query = (
            self._mine(select(mood_checkins), member_id, None)
            .order_by(mood_checkins.c.created_at.desc(), mood_checkins.c.id.desc())
            .limit(count)
        )
        return [self._checkin(row) for row in self._session.execute(query)][::-1]

    def ratings(
        self, member_id: UUID, *, since: datetime | None = None
    ) -> list[tuple[datetime, int]]:
        query = self._mine(
            select(mood_checkins.c.created_at, mood_checkins.c.rating), member_id, since
        ).order_by(mood_checkins.c.created_at, mood_checkins.c.id)
        return [(row.created_at, row.rating) for row in self._session.execute(query)]

    @staticmethod
    def _mine(query: Select[Any], member_id: UUID, since: datetime | None) -> Select[Any]:
        query = query.where(mood_checkins.c.member_id == member_id)
        if since is not None:
            query = query.where(mood_checkins.c.created_at >= since)
        return query

    def _checkin(self, row: Any) -> MoodCheckIn:
        note = None
        if row.note_ct is not None:
            note = self._cipher.decrypt(
                row.note_ct, owner_id=row.member_id, table=_TABLE, column=_NOTE, row_id=row.id
            )
        return MoodCheckIn(
            id=row.id,
            member_id=row.member_id,
            rating=row.rating,
            tags=tuple(json.loads(row.tags)),
            note=note,
            created_at=row.created_at,
        )
