"""The generic CSV (docs/monitoring.md): header ``timestamp,metric,value,unit``, one reading
per row, ``metric`` and ``unit`` a pair of the monitoring vocabulary and ``value`` in its
range. The same format as a cohort directory's member files, so a simulated member can be
imported as is.

A ``sleep`` row is a session starting at ``timestamp`` and lasting ``value`` minutes (its
end is stored as start + value); every other row is an instant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO
from uuid import UUID

from haven.adapters.wearables._common import Reading, csv_rows, number
from haven.domain.monitoring import Observation

__all__ = ["HEADER", "read_generic_csv"]

HEADER = ["timestamp", "metric", "value", "unit"]
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_EXAMPLE = "a time with its UTC offset like 2024-03-01T23:12:00+01:00"


def _timestamp(text: str) -> datetime | None:
    if not _TIMESTAMP.match(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def read_generic_csv(stream: IO[bytes], *, member_id: UUID, file: str) -> Iterator[Observation]:
    """The readings of one generic CSV, streamed row by row."""
    reading = Reading(member_id=member_id, source="csv", file=file)
    rows = csv_rows(reading, stream)
    first = next(rows, None)
    if first is None:
        raise reading.fail("line 1", "the file is empty")
    if [cell.strip().lower() for cell in first[1]] != HEADER:
        raise reading.fail(first[0], "the header must be timestamp,metric,value,unit")
    for where, row in rows:
        if len(row) != len(HEADER):
            raise reading.fail(where, "expected 4 columns: timestamp,metric,value,unit")
        stamp, metric, text, unit = (cell.strip() for cell in row)
        start = _timestamp(stamp)
        if start is None:
            raise reading.fail(where, f"timestamp is not {_EXAMPLE}")
        value = number(text)
        if value is None:
            raise reading.fail(where, "value is not a number")
        end = start
        if metric == "sleep" and 0 <= value <= 1440:
            end = start + timedelta(minutes=value)
        yield reading(where, metric=metric, start=start, end=end, value=value, unit=unit)
