"""A sliding-window rate limit per client address, in process memory.

Enough for one server process; several processes behind a load balancer will share a
Redis-backed window (see docs/architecture.md, scale-out plan). Account lock-out, which
is stored in the database, holds across processes already.
"""

from __future__ import annotations

import threading
import time
from collections import deque

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    def __init__(
        self, *, limit: int, window_seconds: float = 60.0, max_keys: int = 100_000
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Record an attempt; 0 if allowed, else the seconds to wait before the next one."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return self.window - (now - hits[0])
            hits.append(now)
            if len(self._hits) > self._max_keys:
                self._hits = {
                    k: v for k, v in self._hits.items() if v and now - v[-1] < self.window
                }
            return 0.0
