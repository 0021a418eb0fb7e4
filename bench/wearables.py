"""Wearable import benchmark: a 1 GB Apple Health export imported into SQLite through the
service, in at most 60 s with peak memory under 300 MB (the issue's targets).

The export is generated here, streamed into a zip (``apple_health_export/export.xml``) the
way Apple writes it: a DOCTYPE with its internal DTD, then records dominated, as real
exports are, by types Haven passes over (heart-rate samples every few minutes, active and
basal energy, walking distance), with the types it stores among them: step counts,
exercise minutes, a resting heart rate and a few HRV readings a day, and each night in
sleep stages. The import runs in a child process, so its peak RSS (``VmHWM``) is the
importer's own, not the generator's. Run alone with ``python -m bench.wearables``
(``--mb 200`` for a smaller export).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

TARGET_BYTES = 1_000_000_000
DEVICE = (
    "&lt;&lt;HKDevice: 0x283f2e6c0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,1, software:10.1&gt;"
)
_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate value CDATA #REQUIRED>
<!ELEMENT Me EMPTY>
<!ATTLIST Me HKCharacteristicTypeIdentifierDateOfBirth CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry key CDATA #REQUIRED value CDATA #REQUIRED>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-11-01 09:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-04-02"/>
"""
_RECORD = (
    ' <Record type="HKQuantityTypeIdentifier%s" sourceName="Bench’s Apple Watch" '
    'sourceVersion="10.1" device="' + DEVICE + '" unit="%s" creationDate="%s" '
    'startDate="%s" endDate="%s" value="%s"/>\n'
)
_SLEEP = (
    ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Bench’s Apple Watch" '
    'sourceVersion="10.1" device="' + DEVICE + '" creationDate="%s" startDate="%s" '
    'endDate="%s" value="HKCategoryValueSleepAnalysis%s"/>\n'
)
_STAGES = ("AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake")


def _day(day: date, rng: random.Random, clock: list[str]) -> tuple[str, int]:
    """One day of records as Apple writes them, and how many of them Haven stores."""
    d = day.isoformat() + " "
    records: list[str] = []
    kept = 0
    for minute in range(0, 1440, 5):  # heart rate every ~5 minutes: passed over
        at = d + clock[minute + rng.randrange(3)]
        records.append(_RECORD % ("HeartRate", "count/min", at, at, at, rng.randrange(52, 120)))
    for minute in range(0, 1440, 4):  # energy and distance: passed over
        start, end = d + clock[minute], d + clock[minute + 3]
        energy = f"{rng.random() * 3:.3f}"
        records.append(_RECORD % ("ActiveEnergyBurned", "kcal", end, start, end, energy))
        if minute % 8 == 0:
            basal = f"{rng.random() * 6 + 4:.3f}"
            records.append(_RECORD % ("BasalEnergyBurned", "kcal", end, start, end, basal))
        if 420 <= minute < 1320 and minute % 12 == 0:
            distance = f"{rng.random() * 0.2:.4f}"
            records.append(_RECORD % ("DistanceWalkingRunning", "km", end, start, end, distance))
    for minute in range(420, 1320, 6):  # steps through the waking day: stored
        start, end = d + clock[minute], d + clock[minute + 5]
        records.append(_RECORD % ("StepCount", "count", end, start, end, rng.randrange(0, 700)))
        kept += 1
    for minute in range(1020, 1080, 2):  # an hour's exercise in the evening: stored
        start, end = d + clock[minute], d + clock[minute + 1]
        records.append(_RECORD % ("AppleExerciseTime", "min", end, start, end, 1))
        kept += 1
    morning = d + clock[480]
    rhr = rng.randrange(52, 68)
    records.append(_RECORD % ("RestingHeartRate", "count/min", morning, morning, morning, rhr))
    kept += 1
    for minute in (120, 240, 600, 900):
        start, end = d + clock[minute], d + clock[minute + 1]
        hrv = f"{rng.random() * 40 + 25:.2f}"
        records.append(_RECORD % ("HeartRateVariabilitySDNN", "ms", end, start, end, hrv))
        kept += 1
    # The night ending this morning: 00:00-06:40 in 20-minute stages (one session stored).
    for n, minute in enumerate(range(0, 400, 20)):
        start, end = d + clock[minute], d + clock[minute + 20]
        records.append(_SLEEP % (end, start, end, _STAGES[n % len(_STAGES)]))
    return "".join(records), kept + 1


def generate(path: Path, *, target_bytes: int = TARGET_BYTES, seed: int = 6) -> dict[str, int]:
    """Write a zipped export of about ``target_bytes`` of XML; its size and records stored."""
    rng = random.Random(seed)
    clock = [f"{m // 60 % 24:02d}:{m % 60:02d}:00 +0100" for m in range(1500)]
    written = kept = days = 0
    day = date(2019, 1, 1)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("apple_health_export/export.xml", "w", force_zip64=True) as xml,
    ):
        for text in (_HEAD,):
            written += xml.write(text.encode())
        while written < target_bytes:
            text, stored = _day(day, rng, clock)
            written += xml.write(text.encode())
            kept += stored
            days += 1
            day += timedelta(days=1)
        written += xml.write(b"</HealthData>\n")
    return {"xml_bytes": written, "days": days, "stored_records": kept}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across fork and exec,
    so a child started by a process that already holds gigabytes (make bench runs the
    features benchmark first) would report the parent's peak; ``VmHWM`` is the new process's
    own high-water mark."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(export: Path, data_dir: Path) -> None:
    """The child: bootstrap a fresh SQLite Haven, then time the import of ``export``."""
    from haven.adapters.crypto.passwords import Argon2PasswordHasher
    from haven.adapters.wearables.files import read_wearable_file
    from haven.bootstrap import bootstrap
    from haven.config import Settings
    from haven.domain.people import Role
    from haven.services.accounts import create_account
    from haven.services.wearables import import_wearables

    container = bootstrap(
        Settings(_env_file=None, data_dir=data_dir),  # type: ignore[call-arg]
        hasher=Argon2PasswordHasher(time_cost=1, memory_cost=8 * 1024),
    )
    member = create_account(
        container.uow(),
        hasher=container.hasher,
        clock=container.clock,
        actor=None,
        email="bench@example.org",
        password="benchmark password",
        role=Role.MEMBER,
        display_name="Bench",
    )
    before_mb = _peak_rss_mb()
    started = time.perf_counter()
    summary = import_wearables(
        container.uow(),
        clock=container.clock,
        actor=None,
        member_id=member.id,
        observations=read_wearable_file(export, member_id=member.id),
        documents=container.documents,
    )
    import_s = time.perf_counter() - started
    peak_mb = _peak_rss_mb()
    started = time.perf_counter()
    again = import_wearables(
        container.uow(),
        clock=container.clock,
        actor=None,
        member_id=member.id,
        observations=read_wearable_file(export, member_id=member.id),
        documents=container.documents,
    )
    reimport_s = time.perf_counter() - started
    container.close()
    print(
        json.dumps(
            {
                "import_s": round(import_s, 1),
                "added": summary.added,
                "reimport_s": round(reimport_s, 1),
                "reimport_added": again.added,
                "rss_before_import_mb": round(before_mb),
                "peak_rss_mb": round(peak_mb),
                "peak_rss_with_reimport_mb": round(_peak_rss_mb()),
            }
        )
    )


def run(target_bytes: int = TARGET_BYTES) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.zip"
        started = time.perf_counter()
        made = generate(export, target_bytes=target_bytes)
        generate_s = time.perf_counter() - started
        child = subprocess.run(
            [sys.executable, "-m", "bench.wearables", "--child", str(export), str(Path(tmp))],
            check=True,
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
        )
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        zip_bytes = export.stat().st_size
    assert measured["added"] == made["stored_records"], (measured, made)
    assert measured["reimport_added"] == 0
    return {
        "wearables_xml_mb": round(made["xml_bytes"] / 1e6),
        "wearables_zip_mb": round(zip_bytes / 1e6),
        "wearables_days": made["days"],
        "wearables_generate_s": round(generate_s, 1),
        "wearables_import_s": measured["import_s"],
        "wearables_stored": measured["added"],
        "wearables_peak_rss_mb": measured["peak_rss_mb"],
        "wearables_rss_before_import_mb": measured["rss_before_import_mb"],
        "wearables_reimport_s": measured["reimport_s"],
        "wearables_reimport_added": measured["reimport_added"],
    }


def describe(figures: dict[str, float | int]) -> str:
    return (
        f"import a {figures['wearables_xml_mb']} MB Apple Health export "
        f"({figures['wearables_zip_mb']} MB zipped, {figures['wearables_stored']:,} readings "
        f"stored) into SQLite: {figures['wearables_import_s']} s (target 60 s), peak RSS "
        f"{figures['wearables_peak_rss_mb']} MB (target 300 MB); re-import "
        f"{figures['wearables_reimport_s']} s, {figures['wearables_reimport_added']} added"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _import(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        megabytes = int(sys.argv[2]) if sys.argv[1:2] == ["--mb"] else TARGET_BYTES // 10**6
        figures = run(megabytes * 10**6)
        print(describe(figures))
        print(json.dumps(figures))
