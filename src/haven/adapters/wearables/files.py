"""Recognising a wearable file and reading it: the one entry point the CLI and the service's
callers use.

- ``*.zip``: every member Haven recognises is read: Apple's ``export.xml`` (in
  ``apple_health_export/`` or anywhere), Fitbit files, Google Fit files. A zip with none of
  them is refused.
- ``export.xml`` or any ``*.xml``: an Apple Health export.
- ``*.json``: a Fitbit file, by its name (``steps-2024-01-01.json``...).
- ``*.csv``: a generic CSV, a Fitbit HRV summary or a Google Fit file, by name and header.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import IO
from uuid import UUID

from haven.adapters.wearables._common import CountingReader, Progress
from haven.adapters.wearables.apple_health import read_apple_health
from haven.adapters.wearables.fitbit import FitbitReader, fitbit_kind
from haven.adapters.wearables.generic_csv import HEADER, read_generic_csv
from haven.adapters.wearables.google import google_kind, read_google_fit
from haven.domain.monitoring import Observation
from haven.domain.wearables import WearableFileError

__all__ = ["read_wearable_file"]

_KNOWN = (
    "an Apple Health export (export.zip or export.xml), Fitbit files (steps-*.json, "
    "sleep-*.json, ...), Google Fit daily activity CSVs, or the generic CSV "
    "(timestamp,metric,value,unit)"
)


def _kind(name: str, head: bytes) -> str | None:
    """What a file is, from its base name and first bytes: apple, fitbit:<kind>,
    google:<kind>, csv, or None."""
    lower = name.lower()
    if lower.endswith(".xml"):
        return "apple" if lower != "export_cda.xml" else None
    fitbit = fitbit_kind(name)
    if fitbit is not None:
        return f"fitbit:{fitbit}"
    google = google_kind(name)
    if google is not None:
        return f"google:{google}"
    if lower.endswith(".csv"):
        first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
        columns = [c.strip().lower() for c in first[0].split(",")] if first else []
        if columns == HEADER:
            return "csv"
        if "start time" in columns and "end time" in columns:
            return "google:day"
        if "date" in columns and ("step count" in columns or "move minutes count" in columns):
            return "google:summary"
        return "csv"  # the generic reader names what the header lacks
    return None


def _read(
    kind: str, name: str, stream: IO[bytes], *, member_id: UUID, fitbit: FitbitReader
) -> Iterator[Observation]:
    if kind == "apple":
        return read_apple_health(stream, member_id=member_id, file=name)
    if kind == "csv":
        return read_generic_csv(stream, member_id=member_id, file=name)
    family, _, detail = kind.partition(":")
    if family == "fitbit":
        return fitbit.read(name, detail, stream)
    return read_google_fit(stream, member_id=member_id, file=name, kind=detail)


def _zip_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """The members Haven reads, with their kind, in archive order."""
    chosen = []
    for info in archive.infolist():
        base = PurePosixPath(info.filename).name
        lower = base.lower()
        # a damaged central directory can give a member no name, which ZipInfo.is_dir()
        # cannot read; a name ending in "/" is a folder
        if not base or info.filename.endswith("/"):
            continue
        if lower.endswith(".xml") and lower != "export.xml":
            continue  # export_cda.xml, workout routes: not read
        head = b""
        if lower.endswith(".csv"):
            with archive.open(info) as member:
                head = member.read(4096)
        kind = _kind(base, head)
        if kind == "csv" and head.split(b"\n", 1)[0].strip().lower() != b",".join(
            c.encode() for c in HEADER
        ):
            kind = None  # any other CSV in an archive (Fitbit's many) is passed over
        if kind is not None:
            chosen.append((info.filename, kind))
    return chosen


def read_wearable_file(
    path: Path, *, member_id: UUID, progress: Progress | None = None
) -> Iterator[Observation]:
    """Every reading in the file at ``path`` for ``member_id``, streamed.

    ``progress`` is called with the bytes of the file read so far. Raises
    ``WearableFileError`` naming the file (or zip member) and the record that is wrong.
    """
    fitbit = FitbitReader(member_id=member_id)
    with ExitStack() as stack:
        try:
            raw = stack.enter_context(path.open("rb"))
        except OSError as error:
            raise WearableFileError(
                file=path.name, where="opening it", problem=error.strerror or "cannot be read"
            ) from None
        stream = CountingReader(raw, progress)
        if zipfile.is_zipfile(stream):
            yield from _read_zip(path.name, stream, member_id=member_id, fitbit=fitbit)
        else:
            stream.seek(0)
            kind = _kind(path.name, stream.read(4096))
            stream.seek(0)
            if path.suffix.lower() == ".zip":
                raise WearableFileError(
                    file=path.name, where="the archive", problem="a damaged or truncated zip"
                )
            if kind is None:
                raise WearableFileError(
                    file=path.name, where="the file name", problem=f"not one of {_KNOWN}"
                )
            buffered = stack.enter_context(io.BufferedReader(stream, 1 << 20))
            yield from _read(kind, path.name, buffered, member_id=member_id, fitbit=fitbit)
        yield from fitbit.finish()


# What zipfile and zlib raise on a damaged archive: bad headers, offsets past the end, a
# failed CRC, a stream cut short.
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    OSError,
    ValueError,
    OverflowError,
    struct.error,
)


def _read_zip(
    name: str, stream: CountingReader, *, member_id: UUID, fitbit: FitbitReader
) -> Iterator[Observation]:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = _zip_members(archive)
            if not members:
                raise WearableFileError(
                    file=name, where="the archive", problem=f"holds none of {_KNOWN}"
                )
            for member_name, kind in members:
                with archive.open(member_name) as member:
                    yield from _read(kind, member_name, member, member_id=member_id, fitbit=fitbit)
    except _DAMAGED_ZIP as error:
        raise WearableFileError(
            file=name, where="the archive", problem=f"a damaged zip ({_reason(error)})"
        ) from None


def _reason(error: Exception) -> str:
    # Worded here rather than passed on: zipfile's own messages can quote header bytes.
    if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
        return "a member's checksum does not match its data"
    if isinstance(error, zlib.error | EOFError):
        return "compressed data cut short or garbled"
    if isinstance(error, NotImplementedError):
        return "compressed or encrypted in a way that cannot be read"
    return "its directory or headers are broken"
