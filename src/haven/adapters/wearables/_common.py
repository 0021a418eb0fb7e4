"""What every wearable parser shares: building a checked reading, the day of a date written
without an offset, and a byte-counting reader for progress bars."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any
from uuid import UUID

from haven.domain.monitoring import Observation
from haven.domain.wearables import WearableFileError, reading_problem

__all__ = ["CountingReader", "Progress", "Reading", "csv_rows", "day_interval", "number"]

Progress = Callable[[int], None]  # called with the bytes of the file read so far


def number(text: Any) -> float | None:
    """A finite number from a JSON or CSV field ("12", 12, " 61.2 "), or None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = float(text)
    elif isinstance(text, str):
        try:
            value = float(text.strip())
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def day_interval(day: date) -> tuple[datetime, datetime]:
    """A whole local day for files that give daily totals without a UTC offset.

    Such files (Fitbit, Google's daily summary) are written in the member's local time, so
    the times are kept as written and marked +00:00: the day they count for stays the day
    the member lived, which is all the daily features read.
    """
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


class Reading:
    """Builds checked observations for one member, one source and one file, so that a bad
    value raises ``WearableFileError`` naming the file and the record."""

    def __init__(self, *, member_id: UUID, source: str, file: str) -> None:
        self.member_id = member_id
        self.source = source
        self.file = file

    def fail(self, where: str, problem: str) -> WearableFileError:
        return WearableFileError(file=self.file, where=where, problem=problem)

    def __call__(
        self,
        where: str,
        *,
        metric: str,
        start: datetime,
        end: datetime,
        value: float,
        unit: str,
        device: str = "",
    ) -> Observation:
        problem = reading_problem(metric, value, unit)
        if problem is not None:
            raise self.fail(where, problem)
        if end < start:
            raise self.fail(where, "the end comes before the start")
        return Observation(
            member_id=self.member_id,
            metric=metric,
            start_at=start,
            end_at=end,
            value=value,
            unit=unit,
            source=self.source,
            device=device,
        )


class CountingReader(io.RawIOBase):
    """A seekable binary file that reports its read position, for a progress bar of the
    bytes read (zip members are read through it too, so the bar follows compressed bytes)."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        super().__init__()
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._progress is not None:
            self._progress(self._raw.tell())
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()


def csv_rows(reading: Reading, stream: IO[bytes]) -> Iterator[tuple[str, list[str]]]:
    """The rows of a UTF-8 CSV stream, each with its place ("line 12"), header included,
    blank lines skipped. Undecodable bytes or a broken row raise ``WearableFileError``."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    rows = csv.reader(text)
    try:
        for row in rows:
            if any(cell.strip() for cell in row):
                yield f"line {rows.line_num:,}", row
    except UnicodeDecodeError:
        raise reading.fail(f"line {rows.line_num + 1:,}", "not UTF-8 text") from None
    except csv.Error:
        raise reading.fail(f"line {rows.line_num:,}", "not a readable CSV row") from None
    finally:
        # Hand the stream back to its owner open (a wrapper closes what it wraps when it
        # goes); it may already be closed when the generator is collected late.
        if not text.closed:
            text.detach()
