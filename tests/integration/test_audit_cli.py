"""The audit trail catches tampering behind the app's back; `haven audit verify` reports it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from tests.integration.conftest import Haven
from typer.testing import CliRunner

from haven.bootstrap import Container
from haven.cli.main import app

Tamper = Callable[[Container], int]


def _cli_env(container: Container) -> dict[str, str]:
    return {
        "HAVEN_DATABASE_URL": container.settings.resolved_database_url,
        "HAVEN_DATA_DIR": str(container.settings.data_dir),
    }


def _verify(container: Container) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify"], env=_cli_env(container))
    return result.exit_code, result.output


def _some_history(haven: Haven) -> None:
    member = haven.member()
    for n in range(3):
        haven.client.post(
            f"/api/v1/members/{member.id}/journal", json={"body": f"entry {n}"}, headers=member.auth
        )
        haven.client.get(f"/api/v1/members/{member.id}/journal", headers=member.auth)


def _edit(container: Container) -> int:
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET action = 'journal.nothing' WHERE seq = 4"))
    return 4


def _delete(container: Container) -> int:
    with container.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    return 5


def _reorder(container: Container) -> int:
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET seq = -1 WHERE seq = 6"))
        connection.execute(text("UPDATE audit_log SET seq = 6 WHERE seq = 7"))
        connection.execute(text("UPDATE audit_log SET seq = 7 WHERE seq = -1"))
    return 6


def _truncate(container: Container) -> int:
    with container.engine.begin() as connection:
        last = connection.execute(text("SELECT MAX(seq) FROM audit_log")).scalar_one()
        connection.execute(text("DELETE FROM audit_log WHERE seq = :seq"), {"seq": last})
    return int(last)


def test_an_untouched_trail_verifies(haven: Haven) -> None:
    _some_history(haven)
    code, output = _verify(haven.container)
    assert code == 0, output
    assert "intact" in output


@pytest.mark.parametrize("tamper", [_edit, _delete, _reorder, _truncate], ids=lambda f: f.__name__)
def test_tampering_is_reported_at_the_first_bad_entry(haven: Haven, tamper: Tamper) -> None:
    _some_history(haven)
    seq = tamper(haven.container)
    code, output = _verify(haven.container)
    assert code == 1
    assert f"broken at entry {seq}" in output


def test_the_api_reports_the_trails_health_to_admins(haven: Haven) -> None:
    _some_history(haven)
    admin = haven.staff("admin")
    healthy = haven.client.get("/api/v1/admin/audit/verify", headers=admin.auth).json()
    _edit(haven.container)
    broken = haven.client.get("/api/v1/admin/audit/verify", headers=admin.auth).json()
    assert healthy["intact"] is True
    assert broken == {
        "intact": False,
        "entries": healthy["entries"],
        "first_break": 4,
        "problem": "entry 4 was edited",
    }


def test_every_read_of_a_members_record_is_audited_with_who_and_why(haven: Haven) -> None:
    member = haven.member()
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    haven.client.get(f"/api/v1/members/{member.id}/journal", headers=clinician.auth)
    with haven.container.uow() as uow:
        import uuid

        entries = uow.audit.about(uuid.UUID(member.id))
    last = entries[-1].event
    assert (last.action, last.purpose, str(last.actor_id), last.actor_role) == (
        "journal.list",
        "care-team-review",
        clinician.id,
        "clinician",
    )
