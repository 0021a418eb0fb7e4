"""In-memory mood check-ins."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from haven.adapters.memory.store import Tables, require_data_key
from haven.domain.mood import MoodCheckIn

__all__ = ["InMemoryMoods"]


class InMemoryMoods:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, checkin: MoodCheckIn) -> None:
        # Only the note is sealed under the member's key, as in the database.
        if checkin.note is not None:
            require_data_key(self._t, checkin.member_id)
        self._t.moods.append(checkin)

    def for_member(self, member_id: UUID, *, since: datetime | None = None) -> list[MoodCheckIn]:
        mine = sorted(
            (
                c
                for c in self._t.moods
                if c.member_id == member_id and (since is None or c.created_at >= since)
            ),
            key=lambda c: (c.created_at, c.id),
        )
        if any(c.note is not None for c in mine):
            require_data_key(self._t, member_id)
        return mine

    def latest(self, member_id: UUID, *, count: int) -> list[MoodCheckIn]:
        return self.for_member(member_id)[-count:] if count > 0 else []

    def ratings(
        self, member_id: UUID, *, since: datetime | None = None
    ) -> list[tuple[datetime, int]]:
        return [
            (c.created_at, c.rating)
            for c in sorted(self._t.moods, key=lambda c: (c.created_at, c.id))
            if c.member_id == member_id and (since is None or c.created_at >= since)
        ]
