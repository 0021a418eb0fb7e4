"""Master-key handling and rotation without downtime."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.integration.conftest import FAST_ARGON2, Haven
from typer.testing import CliRunner

from haven.adapters.crypto.keyring import MasterKeyring
from haven.bootstrap import bootstrap
from haven.cli.main import app


def test_the_key_file_is_created_on_first_run_readable_only_by_its_owner(haven: Haven) -> None:
    key_file = haven.container.settings.data_dir / "master.key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_rotation_rewraps_every_data_key_while_a_running_server_keeps_reading(
    haven: Haven,
) -> None:
    member = haven.member()
    haven.client.post(
        f"/api/v1/members/{member.id}/journal", json={"body": "before"}, headers=member.auth
    )
    old_primary = haven.container.keyring.primary_id
    env = {
        "HAVEN_DATABASE_URL": haven.container.settings.resolved_database_url,
        "HAVEN_DATA_DIR": str(haven.container.settings.data_dir),
    }

    result = CliRunner().invoke(app, ["keys", "rotate"], env=env)

    assert result.exit_code == 0, result.output
    fresh = MasterKeyring.from_key_file(haven.container.settings.data_dir / "master.key")
    assert fresh.primary_id != old_primary
    assert fresh.key_ids == [fresh.primary_id]  # the old key was retired once unused
    with haven.container.uow() as uow:
        assert set(uow.data_keys.master_keys_in_use()) == {fresh.primary_id}  # type: ignore[attr-defined]
    # The server started before the rotation still reads and writes, with no restart.
    listing = haven.client.get(f"/api/v1/members/{member.id}/journal", headers=member.auth)
    assert [e["body"] for e in listing.json()] == ["before"]
    newer = haven.member("After")
    assert haven.client.get("/api/v1/me", headers=newer.auth).status_code == 200


def test_a_server_started_after_rotation_reads_old_records(haven: Haven, tmp_path: Path) -> None:
    member = haven.member()
    haven.client.post(
        f"/api/v1/members/{member.id}/journal", json={"body": "kept"}, headers=member.auth
    )
    env = {
        "HAVEN_DATABASE_URL": haven.container.settings.resolved_database_url,
        "HAVEN_DATA_DIR": str(haven.container.settings.data_dir),
    }
    assert CliRunner().invoke(app, ["keys", "rotate"], env=env).exit_code == 0

    restarted = bootstrap(haven.container.settings, hasher=FAST_ARGON2)
    with restarted.uow() as uow:
        import uuid

        assert [e.body for e in uow.journal.for_member(uuid.UUID(member.id))] == ["kept"]
    restarted.engine.dispose()
