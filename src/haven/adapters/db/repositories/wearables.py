"""Imported wearable readings. Device readings, not words a person wrote: stored in the
clear, like questionnaire totals, so features can be computed across members without keys.

New readings go in with ``INSERT ... ON CONFLICT DO NOTHING`` on the identity index, in
multi-row statements, so a re-import costs one round trip per batch and adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from haven.adapters.db.tables import wearable_observations as table
from haven.domain.monitoring import Observation

__all__ = ["SqlWearables"]

_IDENTITY = ["member_id", "metric", "start_at", "end_at", "source", "device"]
_BATCH = 2_000  # rows per statement: well under SQLite's 32,766 bound parameters


@lru_cache(maxsize=64)
def _zone(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("wearable timestamps must be timezone-aware")
    return int(offset.total_seconds() // 60)


class SqlWearables:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_new(self, observations: Sequence[Observation]) -> int:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=_IDENTITY)
            .returning(table.c.member_id)  # only the rows actually inserted come back
        )
        added = 0
        for first in range(0, len(observations), _BATCH):
            rows = [
                {
                    "member_id": o.member_id,
                    "metric": o.metric,
                    "start_at": o.start_at,
                    "end_at": o.end_at,
                    "utc_offset_min": _offset_minutes(o.start_at),
                    "value": o.value,
                    "unit": o.unit,
                    "source": o.source,
                    "device": o.device,
                }
                for o in observations[first : first + _BATCH]
            ]
            added += len(self._session.execute(statement, rows).all())
        return added

    def for_members(self, member_ids: Sequence[UUID], *, since: datetime) -> list[Observation]:
        if not member_ids:
            return []
        query = (
            select(table)
            .where(table.c.member_id.in_(list(member_ids)), table.c.start_at >= since)
            .order_by(table.c.member_id, table.c.start_at, table.c.metric)
        )
        return [self._observation(row) for row in self._session.execute(query)]

    @staticmethod
    def _observation(row: Any) -> Observation:
        zone = _zone(row.utc_offset_min)
        return Observation(
            member_id=row.member_id,
            metric=row.metric,
            start_at=row.start_at.astimezone(zone),
            end_at=row.end_at.astimezone(zone),
            value=row.value,
            unit=row.unit,
            source=row.source,
            device=row.device,
        )
