"""The `haven` command line, as an operator uses it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haven.cli.main import app


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"HAVEN_DATABASE_URL": database_url, "HAVEN_DATA_DIR": str(tmp_path / "data")}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={**env, "COLUMNS": "200"}, input=stdin)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["db", "upgrade"],
        ["users", "create"],
        ["users", "list"],
        ["users", "assign"],
        ["audit", "verify"],
        ["keys", "rotate"],
        ["export"],
        ["demo"],
        ["score"],
        ["reminders", "send"],
        ["alerts", "notify"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_an_operator_creates_accounts_assigns_a_care_team_and_exports(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(
        env,
        "users",
        "create",
        "--email",
        "Dr@Example.org",
        "--role",
        "clinician",
        "--name",
        "Dr Who",
        "--password-stdin",
        stdin="a long clinician password\n",
    )
    assert code == 0, output
    assert "created clinician dr@example.org" in output
    code, _ = run(
        env,
        "users",
        "create",
        "--email",
        "m@example.org",
        "--role",
        "member",
        "--name",
        "Mo",
        "--password-stdin",
        stdin="a long member password\n",
    )
    assert code == 0
    code, output = run(
        env, "users", "assign", "--clinician", "dr@example.org", "--member", "m@example.org"
    )
    assert code == 0, output
    code, output = run(env, "users", "list")
    assert "dr@example.org" in output
    assert "m@example.org" in output

    out_file = tmp_path / "export.json"
    code, output = run(env, "export", "--member", "m@example.org", "--out", str(out_file))
    assert code == 0, output
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    exported = json.loads(out_file.read_text())
    assert exported["account"]["display_name"] == "Mo"
    assert exported["care_team"][0]["display_name"] == "Dr Who"


def test_bad_input_to_the_cli_is_a_clear_error_not_a_traceback(env: dict[str, str]) -> None:
    code, output = run(
        env,
        "users",
        "create",
        "--email",
        "nope",
        "--role",
        "member",
        "--name",
        "X",
        "--password-stdin",
        stdin="long enough password\n",
    )
    assert code == 1
    assert "valid e-mail address" in output
    code, output = run(
        env, "users", "assign", "--clinician", "ghost@example.org", "--member", "x@example.org"
    )
    assert code == 1
    assert "no account has the e-mail address" in output
    code, output = run(
        env, "users", "create", "--email", "a@example.org", "--role", "wizard", "--name", "X"
    )
    assert code == 2
    assert "wizard" in output


def test_demo_seeding_is_idempotent_and_prints_the_logins(env: dict[str, str]) -> None:
    first = run(env, "demo")
    second = run(env, "demo")
    assert first[0] == second[0] == 0
    assert "clinician@haven.example" in first[1]
    assert "haven-demo-2026" in second[1]
    _, output = run(env, "users", "list")
    assert output.count("@haven.example") == 10  # the admin, the clinician, eight members
