"""Fitbit exports (the Fitbit folder of a Google Takeout, or Fitbit's older account export):
a zip of these files, or any one of them alone. Other files are passed over.

- ``steps-*.json``: ``dateTime`` ("01/05/24 07:31:00", month/day/year), ``value`` ->
  ``steps``, summed per clock hour;
- ``very_active_minutes-*.json`` and ``moderately_active_minutes-*.json``: ``dateTime``,
  ``value`` -> ``active_minutes`` per day, the two summed;
- ``resting_heart_rate-*.json``: ``value.date``, ``value.value`` (0 means "not computed"
  and is skipped) -> ``resting_heart_rate`` per day;
- ``sleep-*.json``: ``startTime``, ``endTime``, ``minutesAsleep`` -> ``sleep``, one session
  per log (naps included);
- ``Daily Heart Rate Variability Summary*.csv``: ``timestamp``, ``rmssd`` -> ``hrv_rmssd``
  per day.

Fitbit writes local clock times without a UTC offset; they are kept as written (see
``day_interval``), so each reading counts on the day the member lived it. Minute step counts
are summed per hour (a year of minutes would be half a million rows, mostly zeros); hours
with no steps are not stored.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any
from uuid import UUID

from haven.adapters.wearables._common import Reading, day_interval, number
from haven.domain.monitoring import Observation

__all__ = ["FitbitReader", "fitbit_kind"]

_MAX_BYTES = 256 << 20  # one Fitbit file covers a day or a month: far below this
_KINDS = {
    "steps": re.compile(r"^steps-.*\.json$"),
    "very_active": re.compile(r"^very_active_minutes-.*\.json$"),
    "moderately_active": re.compile(r"^moderately_active_minutes-.*\.json$"),
    "resting_heart_rate": re.compile(r"^resting_heart_rate-.*\.json$"),
    "sleep": re.compile(r"^sleep-.*\.json$"),
    "hrv": re.compile(r"^Daily Heart Rate Variability Summary.*\.csv$"),
}
_STAMP = re.compile(r"^(\d\d)/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)$")
_DAY = re.compile(r"^(\d\d)/(\d\d)/(\d\d)$")


def fitbit_kind(name: str) -> str | None:
    """Which Fitbit file ``name`` (a base name) is, or None when Haven does not read it."""
    return next((kind for kind, pattern in _KINDS.items() if pattern.match(name)), None)


def _stamp(text: Any) -> datetime | None:
    """ "01/05/24 07:31:00" (month/day/two-digit year), local time kept as written."""
    match = _STAMP.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    month, day, year, hour, minute, second = (int(part) for part in match.groups())
    try:
        return datetime(2000 + year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def _day(text: Any) -> date | None:
    match = _DAY.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(2000 + year, month, day)
    except ValueError:
        return None


def _iso_local(text: Any) -> datetime | None:
    """ "2024-01-04T23:10:30.000", local time kept as written."""
    if not isinstance(text, str) or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else None


class FitbitReader:
    """Reads Fitbit files one after another; ``finish`` yields what needs every file seen
    first (active minutes: the very and moderately active files are summed per day)."""

    def __init__(self, *, member_id: UUID) -> None:
        self.member_id = member_id
        self._active: dict[date, float] = defaultdict(float)
        self._active_where: dict[date, tuple[str, str]] = {}

    def read(self, name: str, kind: str, stream: IO[bytes]) -> Iterator[Observation]:
        reading = Reading(member_id=self.member_id, source="fitbit", file=name)
        data = stream.read(_MAX_BYTES + 1)
        if len(data) > _MAX_BYTES:
            raise reading.fail("the whole file", "too large for a Fitbit file")
        if kind == "hrv":
            yield from _hrv(reading, data)
            return
        entries = _entries(reading, data)
        if kind == "steps":
            yield from _steps(reading, entries)
        elif kind == "resting_heart_rate":
            yield from _resting(reading, entries)
        elif kind == "sleep":
            yield from _sleep(reading, entries)
        else:
            self._add_active(reading, entries)

    def _add_active(self, reading: Reading, entries: list[dict[str, Any]]) -> None:
        for n, entry in enumerate(entries, start=1):
            where = f"element {n:,}"
            moment, value = _stamp(entry.get("dateTime")), number(entry.get("value"))
            if moment is None:
                raise reading.fail(where, "dateTime is not a date like 01/05/24 00:00:00")
            if value is None:
                raise reading.fail(where, "value is not a number")
            day = moment.date()
            self._active[day] += value
            self._active_where.setdefault(day, (reading.file, where))

    def finish(self) -> Iterator[Observation]:
        for day, minutes in sorted(self._active.items()):
            file, where = self._active_where[day]
            start, end = day_interval(day)
            reading = Reading(member_id=self.member_id, source="fitbit", file=file)
            yield reading(
                where, metric="active_minutes", start=start, end=end, value=minutes, unit="min"
            )


def _entries(reading: Reading, data: bytes) -> list[dict[str, Any]]:
    try:
        entries = json.loads(data)
    except UnicodeDecodeError:
        raise reading.fail("the whole file", "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise reading.fail(f"line {error.lineno:,}", "not valid JSON") from None
    if not isinstance(entries, list):
        raise reading.fail("the whole file", "not a JSON list of entries")
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise reading.fail(f"element {n:,}", "not a JSON object")
    return entries


def _steps(reading: Reading, entries: list[dict[str, Any]]) -> Iterator[Observation]:
    hours: dict[datetime, float] = defaultdict(float)
    first: dict[datetime, int] = {}
    for n, entry in enumerate(entries, start=1):
        moment, value = _stamp(entry.get("dateTime")), number(entry.get("value"))
        if moment is None:
            raise reading.fail(f"element {n:,}", "dateTime is not a date like 01/05/24 07:31:00")
        if value is None or value < 0:
            raise reading.fail(f"element {n:,}", "value is not a step count")
        hour = moment.replace(minute=0, second=0)
        hours[hour] += value
        first.setdefault(hour, n)
    for hour, steps in sorted(hours.items()):
        if steps > 0:
            yield reading(
                f"element {first[hour]:,}",
                metric="steps",
                start=hour,
                end=hour + timedelta(hours=1),
                value=steps,
                unit="count",
            )


def _resting(reading: Reading, entries: list[dict[str, Any]]) -> Iterator[Observation]:
    for n, entry in enumerate(entries, start=1):
        where = f"element {n:,}"
        inner = entry.get("value")
        if not isinstance(inner, dict):
            raise reading.fail(where, 'value is not an object like {"date", "value"}')
        day = _day(inner.get("date"))
        if day is None:
            stamped = _stamp(entry.get("dateTime"))
            day = stamped.date() if stamped is not None else None
        bpm = number(inner.get("value"))
        if day is None:
            raise reading.fail(where, "value.date is not a date like 01/05/24")
        if bpm is None:
            raise reading.fail(where, "value.value is not a number")
        if bpm == 0:
            continue  # Fitbit's way of saying "not computed that day"
        start, end = day_interval(day)
        yield reading(
            where, metric="resting_heart_rate", start=start, end=end, value=bpm, unit="bpm"
        )


def _sleep(reading: Reading, entries: list[dict[str, Any]]) -> Iterator[Observation]:
    for n, entry in enumerate(entries, start=1):
        where = f"element {n:,}"
        start, end = _iso_local(entry.get("startTime")), _iso_local(entry.get("endTime"))
        if start is None or end is None:
            which = "startTime" if start is None else "endTime"
            raise reading.fail(where, f"{which} is not a time like 2024-01-04T23:10:30.000")
        minutes = number(entry.get("minutesAsleep"))
        if minutes is None:
            raise reading.fail(where, "minutesAsleep is not a number")
        yield reading(where, metric="sleep", start=start, end=end, value=minutes, unit="min")


def _hrv(reading: Reading, data: bytes) -> Iterator[Observation]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise reading.fail("the whole file", "not UTF-8 text") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(rows, [])]
        if "timestamp" not in header or "rmssd" not in header:
            raise reading.fail("line 1", "the header needs the columns timestamp and rmssd")
        at, rmssd = header.index("timestamp"), header.index("rmssd")
        for row in rows:
            where = f"line {rows.line_num:,}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise reading.fail(where, f"expected {len(header)} columns")
            moment = _iso_local(row[at].strip())
            if moment is None:
                raise reading.fail(where, "timestamp is not a time like 2024-01-05T00:00:00")
            if not row[rmssd].strip():
                continue
            value = number(row[rmssd])
            if value is None:
                raise reading.fail(where, "rmssd is not a number")
            start, end = day_interval(moment.date())
            yield reading(where, metric="hrv_rmssd", start=start, end=end, value=value, unit="ms")
    except csv.Error:
        raise reading.fail(f"line {rows.line_num:,}", "not a readable CSV row") from None
