"""Google Fit (Google Takeout, ``Fit/Daily activity metrics``): the daily summary
``Daily activity metrics.csv`` and the per-day files ``YYYY-MM-DD.csv``.

- ``Daily activity metrics.csv``: ``Date``, ``Step count``, ``Move Minutes count`` ->
  ``steps`` and ``active_minutes`` per day;
- ``2024-01-05.csv``: ``Start time`` and ``End time`` ("00:15:00.000+01:00", with the UTC
  offset) and the same two columns -> ``steps`` and ``active_minutes`` per interval.

Empty cells are days or intervals without data and are skipped; the other columns
(calories, distance, heart points, speeds) are not read. The summary's dates carry no UTC
offset and are kept as the local day (see ``day_interval``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import IO
from uuid import UUID

from haven.adapters.wearables._common import Reading, csv_rows, day_interval, number
from haven.domain.monitoring import Observation

__all__ = ["SUMMARY", "google_kind", "read_google_fit"]

SUMMARY = "Daily activity metrics.csv"
_PER_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")
_VALUES = {"Step count": ("steps", "count"), "Move Minutes count": ("active_minutes", "min")}
_CLOCK = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def google_kind(name: str) -> str | None:
    """``summary`` or ``day`` for the Google Fit files Haven reads (by base name), else None."""
    if name == SUMMARY:
        return "summary"
    return "day" if _PER_DAY.match(name) else None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _moment(day: date, text: str) -> datetime | None:
    if not _CLOCK.match(text):
        return None
    try:
        clock = time.fromisoformat(text)
    except ValueError:
        return None
    return datetime.combine(day, clock)


def read_google_fit(
    stream: IO[bytes], *, member_id: UUID, file: str, kind: str
) -> Iterator[Observation]:
    """Steps and move minutes from one Google Fit CSV (``kind`` from ``google_kind``)."""
    reading = Reading(member_id=member_id, source="google", file=file)
    file_day = None
    if kind == "day":
        file_day = _date(file.rsplit("/", 1)[-1].removesuffix(".csv"))
        if file_day is None:
            raise reading.fail("the file name", "a per-day file is named like 2024-01-05.csv")
    rows = csv_rows(reading, stream)
    first = next(rows, None)
    if first is None:
        raise reading.fail("line 1", "the file is empty")
    header = [cell.strip() for cell in first[1]]
    keys = ["Date"] if file_day is None else ["Start time", "End time"]
    wanted = [column for column in _VALUES if column in header]
    if any(key not in header for key in keys) or not wanted:
        needed = ", ".join(keys)
        raise reading.fail(first[0], f"the header needs {needed} and Step count or Move Minutes")
    columns = {name: header.index(name) for name in keys + wanted}
    for where, row in rows:
        if len(row) != len(header):
            raise reading.fail(where, f"expected {len(header)} columns")
        if file_day is None:
            day = _date(row[columns["Date"]].strip())
            if day is None:
                raise reading.fail(where, "Date is not a date like 2024-01-05")
            start, end = day_interval(day)
        else:
            start_at = _moment(file_day, row[columns["Start time"]].strip())
            end_at = _moment(file_day, row[columns["End time"]].strip())
            if start_at is None or end_at is None:
                which = "Start time" if start_at is None else "End time"
                raise reading.fail(where, f"{which} is not a time like 00:15:00.000+01:00")
            if end_at < start_at:  # the last interval ends at midnight, the next day
                end_at += timedelta(days=1)
            start, end = start_at, end_at
        for column in wanted:
            cell = row[columns[column]].strip()
            if not cell:
                continue
            value = number(cell)
            if value is None:
                raise reading.fail(where, f"{column} is not a number")
            metric, unit = _VALUES[column]
            yield reading(where, metric=metric, start=start, end=end, value=value, unit=unit)
