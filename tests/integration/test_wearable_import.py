"""Wearable imports into real SQLite and PostgreSQL: stored once, kept with their offsets, a
damaged file commits nothing, and ``haven import`` end to end."""

from __future__ import annotations

import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.integration.conftest import PASSWORD
from tests.unit.test_wearable_parsers import APPLE_RECORDS, STEPS, _record, apple_xml
from typer.testing import CliRunner

from haven.adapters.db.tables import wearable_observations
from haven.adapters.wearables.files import read_wearable_file
from haven.bootstrap import Container
from haven.cli.main import app
from haven.domain.people import Account, Role
from haven.domain.wearables import ImportSummary, WearableFileError
from haven.services.accounts import create_account
from haven.services.wearables import BATCH, import_wearables

SINCE = datetime(2000, 1, 1, tzinfo=UTC)


def _member(container: Container) -> Account:
    return create_account(
        container.uow(),
        hasher=container.hasher,
        clock=container.clock,
        actor=None,
        email=f"m-{uuid.uuid4().hex[:6]}@example.org",
        password=PASSWORD,
        role=Role.MEMBER,
        display_name="Mo",
    )


def _import(container: Container, member: Account, path: Path) -> ImportSummary:
    return import_wearables(
        container.uow(),
        clock=container.clock,
        actor=None,
        member_id=member.id,
        observations=read_wearable_file(path, member_id=member.id),
        documents=container.documents,
    )


def _rows(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(wearable_observations)).scalar_one()
        )


def _steps_every_minute(count: int) -> list[str]:
    start = datetime(2024, 1, 1, 0, 0)
    records = []
    for n in range(count):
        begin = start + timedelta(minutes=n)
        records.append(
            _record(
                STEPS,
                begin.strftime("%Y-%m-%d %H:%M:%S +0100"),
                (begin + timedelta(seconds=50)).strftime("%Y-%m-%d %H:%M:%S +0100"),
                str(n % 90),
                "count",
            )
        )
    return records


def test_an_apple_export_is_stored_once_with_its_local_clock(
    container: Container, tmp_path: Path
) -> None:
    member = _member(container)
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", apple_xml(*APPLE_RECORDS))
    assert _import(container, member, path) == ImportSummary(added=6, already_there=0)
    assert _import(container, member, path) == ImportSummary(added=0, already_there=6)
    assert _rows(container) == 6
    with container.uow() as uow:
        readings = uow.wearables.for_members([member.id], since=SINCE)
    night = next(o for o in readings if o.metric == "sleep" and o.value > 60)
    assert night.start_at.isoformat() == "2024-01-04T23:00:00+01:00"
    assert night.value == 420


def test_a_file_damaged_after_many_good_records_commits_nothing(
    container: Container, tmp_path: Path
) -> None:
    member = _member(container)
    good = _steps_every_minute(2 * BATCH + 10)  # whole batches go in before the bad record
    bad = _record(STEPS, "2024-02-01 08:00:00 +0100", "tomorrow", "5", "count")
    path = tmp_path / "export.xml"
    path.write_bytes(apple_xml(*good, bad))
    with pytest.raises(WearableFileError, match=rf"line {11 + len(good):,}: Record endDate"):
        _import(container, member, path)
    assert _rows(container) == 0
    cut = tmp_path / "cut" / "export.xml"
    cut.parent.mkdir()
    cut.write_bytes(apple_xml(*good)[:-40])
    with pytest.raises(WearableFileError, match="not well-formed XML"):
        _import(container, member, cut)
    assert _rows(container) == 0


def test_haven_import_shows_a_summary_and_refuses_a_damaged_file(
    container: Container, tmp_path: Path, database_url: str
) -> None:
    member = _member(container)
    env = {
        "HAVEN_DATABASE_URL": database_url,
        "HAVEN_DATA_DIR": str(container.settings.data_dir),
        "COLUMNS": "200",
    }
    csv_path = tmp_path / "readings.csv"
    csv_path.write_text(
        "timestamp,metric,value,unit\n"
        "2024-03-01T23:12:00+01:00,sleep,452,min\n"
        "2024-03-02T12:00:00+01:00,steps,2310,count\n"
    )
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(csv_path), "--member", member.email], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2 readings imported, 0 already there"
    result = runner.invoke(app, ["import", str(csv_path), "--member", str(member.id)], env=env)
    assert result.output.strip().splitlines()[-1] == "0 readings imported, 2 already there"

    csv_path.write_text(csv_path.read_text() + "2024-03-03T12:00:00+01:00,steps,many,count\n")
    result = runner.invoke(app, ["import", str(csv_path), "--member", member.email], env=env)
    assert result.exit_code == 1
    assert "readings.csv, line 4: value is not a number; nothing was imported" in result.output
    assert _rows(container) == 2

    result = runner.invoke(
        app, ["import", str(csv_path), "--member", "nobody@example.org"], env=env
    )
    assert result.exit_code == 1
    assert "no account has that e-mail address" in result.output


def test_haven_import_has_help() -> None:
    result = CliRunner().invoke(app, ["import", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--member" in result.output
