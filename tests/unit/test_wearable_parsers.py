"""Wearable parsers: each format read from small hand-made files, and damaged files (cut
short, garbled, wrong types, missing columns, bad dates) always refused with a
``WearableFileError`` that names the record, never a crash."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.adapters.wearables.files import read_wearable_file
from haven.domain.monitoring import Observation
from haven.domain.wearables import WearableFileError

MEMBER = uuid.UUID("00000000-0000-4000-8000-000000000001")
PARIS = timezone(timedelta(hours=1))
WATCH = (
    "&lt;&lt;HKDevice: 0x2837e1c70&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,1, software:10.1&gt;"
)


def _record(
    kind: str, start: str, end: str, value: str, unit: str = "", device: bool = True
) -> str:
    unit_attr = f' unit="{unit}"' if unit else ""
    device_attr = f' device="{WATCH}"' if device else ""
    return (
        f'  <Record type="{kind}" sourceName="Ana’s Apple Watch" sourceVersion="10.1"'
        f'{device_attr}{unit_attr} creationDate="{end}" startDate="{start}" endDate="{end}"'
        f' value="{value}"/>\n'
    )


def apple_xml(*records: str) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!DOCTYPE HealthData [\n"
        "<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n"
        "<!ATTLIST HealthData locale CDATA #REQUIRED>\n"
        "<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>\n"
        "<!ATTLIST Record type CDATA #REQUIRED unit CDATA #IMPLIED value CDATA #IMPLIED>\n"
        "]>\n"
        '<HealthData locale="en_GB">\n'
        ' <ExportDate value="2024-01-07 09:00:00 +0100"/>\n'
        ' <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n'
    )
    return (head + "".join(records) + "</HealthData>\n").encode()


STEPS = "HKQuantityTypeIdentifierStepCount"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
APPLE_RECORDS = (
    _record(STEPS, "2024-01-05 08:00:00 +0100", "2024-01-05 08:10:00 +0100", "812", "count"),
    _record(
        "HKQuantityTypeIdentifierHeartRate",
        "2024-01-05 08:00:00 +0100",
        "2024-01-05 08:00:00 +0100",
        "74",
        "count/min",
    ),
    _record(
        "HKQuantityTypeIdentifierRestingHeartRate",
        "2024-01-05 07:00:00 +0100",
        "2024-01-05 07:00:00 +0100",
        "58",
        "count/min",
    ),
    _record(
        "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
        "2024-01-05 03:00:00 +0100",
        "2024-01-05 03:01:00 +0100",
        "41.5",
        "ms",
    ),
    _record(
        "HKQuantityTypeIdentifierAppleExerciseTime",
        "2024-01-05 18:00:00 +0100",
        "2024-01-05 18:01:00 +0100",
        "1",
        "min",
    ),
    # A night in stages: in bed, core, awake (5 min), REM, deep; one session of 7 h asleep.
    _record(
        SLEEP,
        "2024-01-04 22:50:00 +0100",
        "2024-01-05 07:00:00 +0100",
        "HKCategoryValueSleepAnalysisInBed",
    ),
    _record(
        SLEEP,
        "2024-01-04 23:00:00 +0100",
        "2024-01-05 02:00:00 +0100",
        "HKCategoryValueSleepAnalysisAsleepCore",
    ),
    _record(
        SLEEP,
        "2024-01-05 02:00:00 +0100",
        "2024-01-05 02:05:00 +0100",
        "HKCategoryValueSleepAnalysisAwake",
    ),
    _record(
        SLEEP,
        "2024-01-05 02:05:00 +0100",
        "2024-01-05 04:05:00 +0100",
        "HKCategoryValueSleepAnalysisAsleepREM",
    ),
    _record(
        SLEEP,
        "2024-01-05 04:05:00 +0100",
        "2024-01-05 06:05:00 +0100",
        "HKCategoryValueSleepAnalysisAsleepDeep",
    ),
    # A nap from an app without a device attribute: its own session.
    _record(
        SLEEP,
        "2024-01-05 14:00:00 +0100",
        "2024-01-05 14:30:00 +0100",
        "HKCategoryValueSleepAnalysisAsleepUnspecified",
        device=False,
    ),
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _zip(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def read(path: Path) -> list[Observation]:
    return list(read_wearable_file(path, member_id=MEMBER))


def _by_metric(observations: list[Observation]) -> dict[str, list[Observation]]:
    grouped: dict[str, list[Observation]] = {}
    for o in observations:
        grouped.setdefault(o.metric, []).append(o)
    return grouped


def test_a_zip_member_with_no_name_is_passed_over(tmp_path: Path) -> None:
    # a damaged central directory can leave a member without a name; it must not crash the
    # import of the export beside it
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(""), b"junk")
        archive.writestr("apple_health_export/", b"")
        archive.writestr("apple_health_export/export.xml", apple_xml(*APPLE_RECORDS))
    assert "steps" in _by_metric(read(path))


# --- Apple Health ---------------------------------------------------------------------------


def test_an_apple_export_zip_gives_the_stored_types_and_merges_a_nights_stages(
    tmp_path: Path,
) -> None:
    members = {
        "apple_health_export/export.xml": apple_xml(*APPLE_RECORDS),
        "apple_health_export/export_cda.xml": b"<junk",  # not read
    }
    path = _zip(tmp_path, "export.zip", members)
    got = _by_metric(read(path))
    assert set(got) == {"steps", "resting_heart_rate", "hrv_sdnn", "active_minutes", "sleep"}
    (steps,) = got["steps"]
    assert (steps.value, steps.unit, steps.source) == (812, "count", "apple_health")
    assert steps.start_at == datetime(2024, 1, 5, 8, 0, tzinfo=PARIS)
    assert steps.start_at.utcoffset() == timedelta(hours=1)
    # The device model, never the name the owner gave it ("Ana's Apple Watch").
    assert steps.device == "Apple Watch (Watch6,1)"
    assert got["resting_heart_rate"][0].unit == "bpm"
    night, nap = got["sleep"]
    assert night.start_at == datetime(2024, 1, 4, 23, 0, tzinfo=PARIS)
    assert night.end_at == datetime(2024, 1, 5, 6, 5, tzinfo=PARIS)
    assert night.value == 7 * 60  # the 5 minutes awake and the time in bed do not count
    assert (nap.value, nap.device) == (30, "Ana’s Apple Watch")


def test_a_bare_export_xml_is_read_too(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.xml", apple_xml(*APPLE_RECORDS[:2]))
    assert [o.metric for o in read(path)] == ["steps"]


def test_an_entity_declaration_in_the_doctype_is_refused(tmp_path: Path) -> None:
    laughs = apple_xml().replace(
        b"<!ELEMENT HealthData",
        b'<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;"><!ELEMENT HealthData',
    )
    with pytest.raises(WearableFileError, match=r"export\.xml, line 3: .*entity"):
        read(_write(tmp_path, "export.xml", laughs))


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (_record(STEPS, "05/01/2024 08:00", "2024-01-05 08:10:00 +0100", "1", "count"),
         "startDate is not a date"),
        (_record(STEPS, "2024-01-05 08:00:00 +0100", "2024-01-05 08:10:00", "1", "count"),
         "endDate is not a date"),
        (_record(STEPS, "2024-01-05 08:00:00 +0100", "2024-01-05 07:00:00 +0100", "1", "count"),
         "endDate comes before"),
        (_record(STEPS, "2024-01-05 08:00:00 +0100", "2024-01-05 08:10:00 +0100", "many", "count"),
         "value is not a number"),
        (_record(STEPS, "2024-01-05 08:00:00 +0100", "2024-01-05 08:10:00 +0100", "1", "km"),
         "unit of HKQuantityTypeIdentifierStepCount must be count"),
        (_record(STEPS, "2024-01-05 08:00:00 +0100", "2024-01-05 08:10:00 +0100", "1e9", "count"),
         "steps must lie between 0 and 100000"),
    ],
)  # fmt: skip
def test_a_bad_apple_record_is_named_by_its_line(tmp_path: Path, record: str, problem: str) -> None:
    path = _write(tmp_path, "export.xml", apple_xml(APPLE_RECORDS[0], record))
    with pytest.raises(WearableFileError) as caught:
        read(path)
    assert caught.value.where == "line 12"
    assert problem in caught.value.problem
    assert str(caught.value).startswith("export.xml, line 12: ")


def test_an_export_declaring_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    damaged = apple_xml(*APPLE_RECORDS).replace(b'encoding="UTF-8"', b'encoding="aTF-8"', 1)
    assert b"aTF-8" in damaged
    with pytest.raises(WearableFileError, match=r"line 1: not well-formed XML .*aTF-8"):
        read(_write(tmp_path, "export.xml", damaged))


def test_a_cut_off_apple_export_is_refused_at_the_line_where_it_stops(tmp_path: Path) -> None:
    whole = apple_xml(*APPLE_RECORDS)
    path = _write(tmp_path, "export.xml", whole[: len(whole) // 2])
    with pytest.raises(WearableFileError, match=r"line \d+: not well-formed XML"):
        read(path)


def test_xml_that_is_not_an_apple_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WearableFileError, match="not an Apple Health export"):
        read(_write(tmp_path, "export.xml", b"<rss><Record/></rss>"))


# --- Fitbit ---------------------------------------------------------------------------------


def fitbit_files() -> dict[str, bytes]:
    steps = [
        {"dateTime": "01/05/24 07:31:00", "value": "12"},
        {"dateTime": "01/05/24 07:45:00", "value": "30"},
        {"dateTime": "01/05/24 08:02:00", "value": 8},
        {"dateTime": "01/05/24 09:00:00", "value": "0"},
    ]
    resting = [
        {"dateTime": f"01/0{d}/24 00:00:00", "value": {"date": f"01/0{d}/24", "value": bpm}}
        for d, bpm in ((5, 61.2), (6, 0.0))
    ]
    sleep = [
        {
            "logId": 1,
            "dateOfSleep": "2024-01-05",
            "startTime": "2024-01-04T23:10:30.000",
            "endTime": "2024-01-05T07:02:30.000",
            "minutesAsleep": 430,
            "minutesAwake": 42,
            "type": "stages",
            "mainSleep": True,
        }
    ]
    return {
        "Takeout/Fitbit/Global Export Data/steps-2024-01-05.json": json.dumps(steps).encode(),
        "Takeout/Fitbit/Global Export Data/resting_heart_rate-2024-01-05.json": json.dumps(
            resting
        ).encode(),
        "Takeout/Fitbit/Global Export Data/sleep-2024-01-05.json": json.dumps(sleep).encode(),
        "Takeout/Fitbit/Global Export Data/very_active_minutes-2024-01-05.json": json.dumps(
            [{"dateTime": "01/05/24 00:00:00", "value": "23"}]
        ).encode(),
        "Takeout/Fitbit/Global Export Data/moderately_active_minutes-2024-01-05.json": json.dumps(
            [{"dateTime": "01/05/24 00:00:00", "value": "10"}]
        ).encode(),
        "Takeout/Fitbit/Heart Rate Variability/Daily Heart Rate Variability Summary - "
        "2024-01-05.csv": b"timestamp,rmssd,nremhr,entropy\n2024-01-05T00:00:00,38.4,55.1,2.6\n",
        "Takeout/Fitbit/Global Export Data/calories-2024-01-05.json": b"[]",
        "Takeout/Fitbit/Other/some_other.csv": b"a,b\n1,2\n",
    }


def test_a_fitbit_takeout_zip_gives_hourly_steps_daily_values_and_sleep_sessions(
    tmp_path: Path,
) -> None:
    got = _by_metric(read(_zip(tmp_path, "takeout.zip", fitbit_files())))
    assert [(o.start_at.hour, o.value) for o in got["steps"]] == [(7, 42), (8, 8)]
    assert got["steps"][0].start_at == datetime(2024, 1, 5, 7, tzinfo=UTC)  # local, as written
    assert [o.value for o in got["resting_heart_rate"]] == [61.2]  # 0 means not computed
    (night,) = got["sleep"]
    assert (night.value, night.start_at.hour, night.end_at.day) == (430, 23, 5)
    assert [o.value for o in got["active_minutes"]] == [33]  # very + moderately active
    assert [o.value for o in got["hrv_rmssd"]] == [38.4]
    assert {o.source for readings in got.values() for o in readings} == {"fitbit"}


def test_one_fitbit_json_file_alone_is_read(tmp_path: Path) -> None:
    name, data = next((k, v) for k, v in fitbit_files().items() if "/sleep-" in k)
    assert [o.metric for o in read(_write(tmp_path, name.rsplit("/", 1)[1], data))] == ["sleep"]


@pytest.mark.parametrize(
    ("entries", "where", "problem"),
    [
        ('[{"dateTime": "2024-01-05", "value": "1"}]', "element 1", "dateTime is not a date"),
        ('[{"dateTime": "01/05/24 07:31:00", "value": "1"}, {"dateTime": "01/05/24 07:32:00"}]',
         "element 2", "value is not a step count"),
        ('[{"dateTime": "13/45/24 07:31:00", "value": "1"}]', "element 1", "not a date"),
        ('{"dateTime": "01/05/24 07:31:00"}', "the whole file", "not a JSON list"),
        ('[{"dateTime": "01/05/24 07:31:00",\n "value": ', "line 2", "not valid JSON"),
        ("[3]", "element 1", "not a JSON object"),
    ],
)  # fmt: skip
def test_a_bad_fitbit_entry_is_named_by_its_place(
    tmp_path: Path, entries: str, where: str, problem: str
) -> None:
    with pytest.raises(WearableFileError) as caught:
        read(_write(tmp_path, "steps-2024-01-05.json", entries.encode()))
    assert (caught.value.file, caught.value.where) == ("steps-2024-01-05.json", where)
    assert problem in caught.value.problem


# --- Google Fit -----------------------------------------------------------------------------

GOOGLE_SUMMARY = (
    b"Date,Move Minutes count,Calories (kcal),Distance (m),Heart Points,Average heart rate (bpm),"
    b"Step count\n2024-01-05,41,1800.5,5230.1,12,71.2,6120\n2024-01-06,,1700,,,,\n"
    b"2024-01-07,12,1650,1200,2,,1530\n"
)
GOOGLE_DAY = (
    b"Start time,End time,Move Minutes count,Calories (kcal),Step count\n"
    b"08:00:00.000+01:00,08:15:00.000+01:00,9,40.1,1204\n"
    b"23:45:00.000+01:00,00:00:00.000+01:00,,12.0,30\n"
)


def test_google_fit_daily_metrics_give_steps_and_move_minutes_per_day(tmp_path: Path) -> None:
    path = _zip(tmp_path, "takeout-fit.zip", {
        "Takeout/Fit/Daily activity metrics/Daily activity metrics.csv": GOOGLE_SUMMARY,
        "Takeout/Fit/Daily activity metrics/2024-01-05.csv": GOOGLE_DAY,
    })  # fmt: skip
    got = _by_metric(read(path))
    steps = [(o.start_at.date().isoformat(), o.value) for o in got["steps"]]
    assert steps == [("2024-01-05", 6120), ("2024-01-07", 1530), ("2024-01-05", 1204),
                     ("2024-01-05", 30)]  # fmt: skip
    assert [o.value for o in got["active_minutes"]] == [41, 12, 9]
    last = got["steps"][-1]
    assert last.start_at == datetime(2024, 1, 5, 23, 45, tzinfo=PARIS)
    assert last.end_at == datetime(2024, 1, 6, 0, 0, tzinfo=PARIS)


def test_a_bad_google_row_is_named_by_its_line(tmp_path: Path) -> None:
    damaged = GOOGLE_SUMMARY.replace(b"2024-01-07,12", b"07/01/2024,12")
    with pytest.raises(WearableFileError, match=r"line 4: Date is not a date"):
        read(_write(tmp_path, "Daily activity metrics.csv", damaged))
    damaged = GOOGLE_SUMMARY.replace(b",6120", b",lots")
    with pytest.raises(WearableFileError, match=r"line 2: Step count is not a number"):
        read(_write(tmp_path, "Daily activity metrics.csv", damaged))


# --- Generic CSV ----------------------------------------------------------------------------

GENERIC = (
    b"timestamp,metric,value,unit\n"
    b"2024-03-01T23:12:00+01:00,sleep,452,min\n"
    b"2024-03-02T04:00:00+01:00,hrv_rmssd,41.5,ms\n"
    b"2024-03-02T08:00:00-05:00,resting_heart_rate,61.0,bpm\n"
    b"2024-03-02T12:00Z,steps,2310,count\n"
    b"\n"
    b"2024-03-02T20:00:00+01:00,mood,6,score\n"
)


def test_the_generic_csv_keeps_offsets_and_gives_sleep_its_end(tmp_path: Path) -> None:
    got = read(_write(tmp_path, "ana.csv", GENERIC))
    assert [o.metric for o in got] == ["sleep", "hrv_rmssd", "resting_heart_rate", "steps", "mood"]
    sleep = got[0]
    assert sleep.end_at - sleep.start_at == timedelta(minutes=452)
    assert got[2].start_at.utcoffset() == timedelta(hours=-5)
    assert got[3].start_at == got[3].end_at == datetime(2024, 3, 2, 12, tzinfo=UTC)
    assert {o.source for o in got} == {"csv"}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2024-03-02 08:00,steps,1,count", "timestamp is not a time with its UTC offset"),
        ("2024-03-02T08:00:00,steps,1,count", "timestamp is not"),
        ("2024-02-30T08:00:00Z,steps,1,count", "timestamp is not"),
        ("2024-03-02T08:00:00Z,steps,a few,count", "value is not a number"),
        ("2024-03-02T08:00:00Z,steps,nan,count", "value is not a number"),
        ("2024-03-02T08:00:00Z,steps,-3,count", "steps must lie between 0 and 100000"),
        ("2024-03-02T08:00:00Z,steps,10,min", "unit of steps must be count"),
        ("2024-03-02T08:00:00Z,heart_rate,70,bpm", "unknown metric"),
        ("2024-03-02T08:00:00Z,steps,10", "expected 4 columns"),
        ("2024-03-02T08:00:00Z,sleep,1500,min", "sleep must lie between 0 and 1440"),
    ],
)
def test_a_bad_generic_row_is_named_by_its_line(tmp_path: Path, row: str, problem: str) -> None:
    data = GENERIC + row.encode() + b"\n"
    with pytest.raises(WearableFileError) as caught:
        read(_write(tmp_path, "ana.csv", data))
    assert caught.value.where == "line 8"
    assert problem in caught.value.problem


def test_a_csv_without_the_generic_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WearableFileError, match=r"line 1: the header must be"):
        read(_write(tmp_path, "ana.csv", b"time,what,value\n2024-03-02T08:00Z,steps,1\n"))


def test_a_file_of_no_known_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WearableFileError, match="not one of an Apple Health export"):
        read(_write(tmp_path, "notes.txt", b"hello"))
    with pytest.raises(WearableFileError, match="holds none of"):
        read(_zip(tmp_path, "photos.zip", {"a.jpg": b"\xff\xd8"}))


# --- Fuzzing: damaged files -----------------------------------------------------------------


def _valid_files() -> dict[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", apple_xml(*APPLE_RECORDS))
    fitbit = io.BytesIO()
    with zipfile.ZipFile(fitbit, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in fitbit_files().items():
            archive.writestr(name, data)
    return {
        "export.zip": buffer.getvalue(),
        "export.xml": apple_xml(*APPLE_RECORDS),
        "fitbit.zip": fitbit.getvalue(),
        "sleep-2024-01-05.json": next(v for k, v in fitbit_files().items() if "/sleep-" in k),
        "Daily activity metrics.csv": GOOGLE_SUMMARY,
        "2024-01-05.csv": GOOGLE_DAY,
        "ana.csv": GENERIC,
    }


VALID = _valid_files()


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file of each kind, then cut short, overwritten with random bytes in a few
    places, or with a stretch deleted or repeated."""
    name = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[name])
    how = draw(st.sampled_from(["truncate", "garble", "delete", "insert"]))
    at = draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        del data[at:]
    elif how == "garble":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    elif how == "delete":
        del data[at : at + draw(st.integers(1, 64))]
    else:
        data[at:at] = draw(st.binary(min_size=1, max_size=32))
    return name, bytes(data)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=damaged())
def test_a_damaged_file_is_read_or_refused_with_a_named_record_never_a_crash(
    tmp_path: Path, case: tuple[str, bytes]
) -> None:
    name, data = case
    path = tmp_path / name
    path.write_bytes(data)
    refused: WearableFileError | None = None
    observations: list[Observation] = []
    try:
        observations = read(path)
    except WearableFileError as error:
        refused = error
    if refused is not None:
        assert refused.file
        assert refused.where
        assert refused.problem
        assert str(refused) == f"{refused.file}, {refused.where}: {refused.problem}"
    # A damage that left a readable file (a digit changed, say) gives valid readings only.
    for o in observations:
        assert o.end_at >= o.start_at
        assert o.start_at.utcoffset() is not None
