"""In-memory adapters for every port: tests and demos that run without a database.

``InMemoryStore`` plays the database. A unit of work copies the committed tables when it is
entered, writes only to its copy, and swaps the copy in on ``commit()``; leaving without a
commit discards everything, as a rolled-back transaction would. A commit made on top of a
store that another unit of work has changed since this one began is refused, where the SQL
adapter would have serialised the two.

Free text is kept as plain strings, but every read and write of an owner's encrypted fields
(display name, journal body, note body) checks that the owner still has a data key, so that
crypto-shredding behaves as it does with the SQL adapter: ``DataKeyDestroyed``.
"""

from __future__ import annotations

from haven.adapters.memory.clock import ManualClock
from haven.adapters.memory.passwords import FakePasswordHasher
from haven.adapters.memory.store import InMemoryStore, Tables
from haven.adapters.memory.unit_of_work import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = [
    "FakePasswordHasher",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "InMemoryUnitOfWorkFactory",
    "ManualClock",
    "Tables",
]
