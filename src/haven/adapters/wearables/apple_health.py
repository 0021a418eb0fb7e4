"""Apple Health exports: ``export.zip`` holding ``apple_health_export/export.xml``, or the
bare ``export.xml``.

The XML is read streaming with expat, in 1 MB chunks, keeping nothing but the readings
Haven stores, so a 1 GB export needs little memory. Every ``Record`` element is looked at;
only these types are kept (the rest, mostly ``HKQuantityTypeIdentifierHeartRate`` samples
and energy burned, are passed over):

- ``HKQuantityTypeIdentifierStepCount`` (count) -> ``steps``
- ``HKQuantityTypeIdentifierAppleExerciseTime`` (min) -> ``active_minutes``
- ``HKQuantityTypeIdentifierRestingHeartRate`` (count/min) -> ``resting_heart_rate``
- ``HKQuantityTypeIdentifierHeartRateVariabilitySDNN`` (ms) -> ``hrv_sdnn``
- ``HKCategoryTypeIdentifierSleepAnalysis`` with an *asleep* value (Asleep, AsleepCore,
  AsleepDeep, AsleepREM, AsleepUnspecified; never InBed or Awake) -> ``sleep``: a night's
  stage intervals from one device are merged into one session (gaps under an hour are
  awakenings within it) whose value is the minutes actually asleep.

The device is the model in the record's ``device`` attribute ("Apple Watch (Watch6,1)"),
never ``sourceName``, which for Apple's own devices is the name the owner gave them
("Ana's iPhone"); records without a ``device`` (third-party apps) use ``sourceName``, the
app's name.

Security: Apple's file opens with a DOCTYPE and an internal DTD. expat never fetches
external entities; an ``<!ENTITY`` declaration (the billion-laughs attack) is refused.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO, Any, NoReturn
from uuid import UUID
from xml.parsers import expat

from haven.adapters.wearables._common import Reading
from haven.domain.monitoring import Observation

__all__ = ["read_apple_health"]

_CHUNK = 1 << 20
# Record type -> (metric, {Apple's unit: the vocabulary's unit}).
_QUANTITIES = {
    "HKQuantityTypeIdentifierStepCount": ("steps", {"count": "count"}),
    "HKQuantityTypeIdentifierAppleExerciseTime": ("active_minutes", {"min": "min"}),
    "HKQuantityTypeIdentifierRestingHeartRate": ("resting_heart_rate", {"count/min": "bpm"}),
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": ("hrv_sdnn", {"ms": "ms"}),
}
_SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
_ASLEEP = frozenset(
    "HKCategoryValueSleepAnalysis" + kind
    for kind in ("Asleep", "AsleepCore", "AsleepDeep", "AsleepREM", "AsleepUnspecified")
)
# Stage intervals closer than this belong to one night: waking for a while is still one
# session, as the daily features expect (one row per sleep session).
_SAME_NIGHT = timedelta(hours=1)
_DATE = "a date like 2024-01-05 23:10:00 +0100"
_FIELD = re.compile(r"(name|hardware):(.*?)(?=, [a-z ]+:|>$|$)")
_WANTED = re.compile(
    b'type="(' + b"|".join(re.escape(kind.encode()) for kind in (*_QUANTITIES, _SLEEP)) + b')"'
)
# A whole Record tag; a quoted ">" does not end it (the loop unrolled, for speed).
_TAG = re.compile(rb'<Record\s[^>"]*(?:"[^"]*"[^>"]*)*>')
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')


def _text(raw: bytes) -> str:
    """An attribute value as text, its character references resolved ("&lt;" -> "<")."""
    text = raw.decode("utf-8", errors="replace")
    return html.unescape(text) if "&" in text else text


class _Stop(Exception):
    """Raised inside an expat handler to abandon the parse with a ready error."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


def _date(text: str | None) -> datetime | None:
    # "2024-01-05 23:10:00 +0100": fromisoformat (C, fast) once the space before the offset
    # is gone; it must come out timezone-aware.
    if text is None or len(text) != 25 or text[19] != " ":
        return None
    try:
        moment = datetime.fromisoformat(text[:19] + text[20:])
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class _Parser:
    """Two passes over each chunk, both in C for the bulk of the file: expat, with no
    per-element handler, checks that the XML is well-formed (and refuses entities); a byte
    regex then finds the few ``Record`` tags of the stored types, whose attributes alone are
    decoded in Python. Handing expat a handler for every element instead would build an
    attribute dict for each of millions of heart-rate samples, five times slower."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.found: list[Observation] = []
        self.nights: list[tuple[str, datetime, datetime, int]] = []  # device, start, end, line
        self.devices: dict[bytes, str] = {}
        self.root_seen = False
        self.expat = expat.ParserCreate()
        self.expat.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.expat.EntityDeclHandler = self._refuse_entity
        self.expat.StartElementHandler = self._root
        self.carry = b""  # the tail of the last chunk, from its last "<" on
        self.line = 1  # the line at ``self.carry``'s start

    def _refuse_entity(self, *_: Any) -> NoReturn:
        where = f"line {self.expat.CurrentLineNumber:,}"
        raise _Stop(self.reading.fail(where, "the DTD declares an entity; refused"))

    def _root(self, name: str, _attrs: dict[str, str]) -> None:
        self.root_seen = True
        self.expat.StartElementHandler = None  # the root was all this handler was for
        if name != "HealthData":
            where = f"line {self.expat.CurrentLineNumber:,}"
            raise _Stop(self.reading.fail(where, "not an Apple Health export"))

    def _device(self, attrs: dict[bytes, bytes]) -> str:
        raw = attrs.get(b"device")
        if raw is None:
            return _text(attrs.get(b"sourceName", b""))[:200]
        device = self.devices.get(raw)
        if device is None:
            fields = dict(_FIELD.findall(_text(raw)))
            name, hardware = fields.get("name", "").strip(), fields.get("hardware", "").strip()
            device = f"{name} ({hardware})" if name and hardware else name or hardware
            self.devices[raw] = device = device[:200]
        return device

    def feed(self, chunk: bytes, *, last: bool) -> None:
        try:
            self.expat.Parse(chunk, last)
        except _Stop as stop:
            raise stop.error from None
        except expat.ExpatError as error:
            message = expat.errors.messages[error.code]
            raise self.reading.fail(
                f"line {error.lineno:,}", f"not well-formed XML ({message})"
            ) from None
        except LookupError as error:
            # The XML declaration names an encoding Python does not know ("aTF-8").
            raise self.reading.fail("line 1", f"not well-formed XML ({error})") from None
        # Only whole tags are searched: everything before the last "<" (which cannot occur
        # inside a well-formed attribute value) is complete; the rest waits for more bytes.
        text = self.carry + chunk
        cut = len(text) if last else text.rfind(b"<")
        cut = max(cut, 0)
        part, self.carry = text[:cut], text[cut:]
        at, line = 0, self.line
        for match in _WANTED.finditer(part):
            begin = part.rfind(b"<", 0, match.start())
            line += part.count(b"\n", at, begin)
            at = max(at, begin)
            self._record(part, begin, match.group(1).decode(), line)
        self.line = line + part.count(b"\n", at)

    def _record(self, part: bytes, begin: int, kind: str, line: int) -> None:
        where = f"line {line:,}"
        tag = _TAG.match(part, begin)
        if tag is None:
            return  # the type text sits outside any Record tag (in a comment, say)
        attrs = dict(_ATTRIBUTE.findall(tag.group(0)))
        start = _date(_text(attrs.get(b"startDate", b"")))
        end = _date(_text(attrs.get(b"endDate", b"")))
        if start is None or end is None:
            which = "startDate" if start is None else "endDate"
            raise self.reading.fail(where, f"Record {which} is not {_DATE}")
        if end < start:
            raise self.reading.fail(where, "Record endDate comes before its startDate")
        value = _text(attrs.get(b"value", b""))
        if kind == _SLEEP:
            if value in _ASLEEP:
                self.nights.append((self._device(attrs), start, end, line))
            return
        metric, units = _QUANTITIES[kind]
        unit = units.get(_text(attrs.get(b"unit", b"")))
        if unit is None:
            expected = ", ".join(units)
            raise self.reading.fail(where, f"Record unit of {kind} must be {expected}")
        try:
            number = float(value)
        except ValueError:
            raise self.reading.fail(where, "Record value is not a number") from None
        self.found.append(
            self.reading(
                where,
                metric=metric,
                start=start,
                end=end,
                value=number,
                unit=unit,
                device=self._device(attrs),
            )
        )

    def sessions(self) -> list[Observation]:
        """The asleep intervals merged into sessions, per device, in time order."""
        return sorted(self._merged(), key=lambda o: (o.start_at, o.device))

    def _merged(self) -> Iterator[Observation]:
        current: list[Any] | None = None  # device, start, end, minutes asleep, line
        for device, start, end, line in sorted(self.nights):
            if current is not None and device == current[0] and start <= current[2] + _SAME_NIGHT:
                # Overlapping intervals (two stages written over each other) count once.
                overlap_from = max(start, current[2])
                if end > overlap_from:
                    current[3] += (end - overlap_from).total_seconds() / 60
                current[2] = max(current[2], end)
                continue
            if current is not None:
                yield self._session(current)
            current = [device, start, end, (end - start).total_seconds() / 60, line]
        if current is not None:
            yield self._session(current)

    def _session(self, night: list[Any]) -> Observation:
        device, start, end, minutes, line = night
        return self.reading(
            f"sleep from line {line:,}",
            metric="sleep",
            start=start,
            end=end,
            value=round(minutes, 2),
            unit="min",
            device=device,
        )


def read_apple_health(stream: IO[bytes], *, member_id: UUID, file: str) -> Iterator[Observation]:
    """The readings of one ``export.xml`` stream, in batches of about a megabyte of XML.

    Raises ``WearableFileError`` naming the line of the first record that is wrong, or of
    the place where the XML breaks off.
    """
    parser = _Parser(Reading(member_id=member_id, source="apple_health", file=file))
    while chunk := stream.read(_CHUNK):
        parser.feed(chunk, last=False)
        if parser.found:
            yield from parser.found
            parser.found = []
    parser.feed(b"", last=True)
    yield from parser.found
    if not parser.root_seen:
        raise parser.reading.fail("line 1", "the file is empty")
    yield from parser.sessions()
