"""In-memory wearable readings, deduplicated on their identity as the database does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from haven.adapters.memory.store import Tables
from haven.domain.monitoring import Observation

__all__ = ["InMemoryWearables", "identity"]

Identity = tuple[UUID, str, datetime, datetime, str, str]


def identity(observation: Observation) -> Identity:
    """What makes two readings the same reading (instants compared in UTC)."""
    o = observation
    return (
        o.member_id,
        o.metric,
        o.start_at.astimezone(UTC),
        o.end_at.astimezone(UTC),
        o.source,
        o.device,
    )


class InMemoryWearables:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add_new(self, observations: Sequence[Observation]) -> int:
        stored = self._t.wearables  # this transaction's copy (see ``Tables.snapshot``)
        added = 0
        for observation in observations:
            key = identity(observation)
            if key not in stored:
                stored[key] = observation
                added += 1
        return added

    def for_members(self, member_ids: Sequence[UUID], *, since: datetime) -> list[Observation]:
        wanted = set(member_ids)
        return sorted(
            (
                o
                for o in self._t.wearables.values()
                if o.member_id in wanted and o.start_at >= since
            ),
            key=lambda o: (str(o.member_id), o.start_at, o.metric),
        )
