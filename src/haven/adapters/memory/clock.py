"""A clock for tests and demos that moves only when told to (the ``Clock`` port)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["ManualClock"]


class ManualClock:
    """A clock that moves only when told to; ``now()`` is timezone-aware UTC."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        if start is not None:
            self.set(start)

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware time")
        self._now = at.astimezone(UTC)

    def advance(self, by: timedelta) -> datetime:
        self._now += by
        return self._now
