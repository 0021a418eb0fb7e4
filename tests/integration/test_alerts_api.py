"""The alert queue through the API, and the notifier command against real SMTP and HTTP."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import Haven, Person
from tests.integration.test_smtp import Inbox, free_port
from typer.testing import CliRunner

from haven.cli.main import app

ITEM9 = [1, 1, 1, 1, 1, 1, 1, 1, 1]


def flagged(haven: Haven) -> tuple[Person, Person, str]:
    clinician, member = haven.staff("clinician"), haven.member("Sam")
    haven.assign(clinician, member)
    haven.client.post(
        f"/api/v1/members/{member.id}/schedules",
        json={"instrument": "phq9", "every_days": 14},
        headers=clinician.auth,
    )
    haven.client.post(
        f"/api/v1/members/{member.id}/assessments",
        json={"instrument": "phq9", "answers": ITEM9},
        headers=member.auth,
    )
    [alert] = haven.client.get("/api/v1/alerts", headers=clinician.auth).json()
    return clinician, member, alert["id"]


def test_a_clinician_notes_acknowledges_and_reads_an_alert(haven: Haven) -> None:
    clinician, member, alert_id = flagged(haven)

    noted = haven.client.post(
        f"/api/v1/alerts/{alert_id}/notes", json={"body": "Llamé a Sam."}, headers=clinician.auth
    )
    done = haven.client.post(
        f"/api/v1/alerts/{alert_id}/acknowledge",
        json={"note": "Plan de seguridad revisado."},
        headers=clinician.auth,
    )
    detail = haven.client.get(f"/api/v1/alerts/{alert_id}", headers=clinician.auth).json()

    assert noted.status_code == 201
    assert done.status_code == 200
    assert [n["body"] for n in detail["notes"]] == ["Llamé a Sam.", "Plan de seguridad revisado."]
    assert detail["acknowledged_by"] == clinician.id
    assert haven.client.get(f"/api/v1/alerts/{alert_id}", headers=member.auth).status_code == 403
    empty = haven.client.post(
        f"/api/v1/alerts/{alert_id}/notes", json={"body": " "}, headers=clinician.auth
    )
    assert empty.status_code == 422


def test_the_notifier_command_tells_the_care_team_over_smtp(
    haven: Haven, database_url: str, tmp_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    clinician, _, _ = flagged(haven)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = {
            "HAVEN_DATABASE_URL": database_url,
            "HAVEN_DATA_DIR": str(tmp_path / "data"),
            "HAVEN_SMTP_HOST": "127.0.0.1",
            "HAVEN_SMTP_PORT": str(controller.port),
            "HAVEN_SMTP_STARTTLS": "false",
        }
        result = CliRunner().invoke(app, ["alerts", "notify"], env=env)
    finally:
        controller.stop()

    assert result.exit_code == 0, result.output
    assert "1 alert(s) notified, 0 escalated, 0 failed" in result.output
    assert [e.rcpt_tos for e in inbox.envelopes] == [[clinician.email]]
    none_set = CliRunner().invoke(
        app,
        ["alerts", "notify"],
        env={"HAVEN_DATABASE_URL": database_url, "HAVEN_DATA_DIR": str(tmp_path / "data")},
    )
    assert none_set.exit_code == 1


def test_a_risky_journal_entry_reaches_the_care_team_with_its_words_in_context(
    haven: Haven,
) -> None:
    clinician, member = haven.staff("clinician"), haven.member("Ana")
    haven.assign(clinician, member)
    journal = f"/api/v1/members/{member.id}/journal"
    for body in ("Rough day at work.", "Feeling really low tonight."):
        assert (
            haven.client.post(journal, json={"body": body}, headers=member.auth).status_code == 201
        )
    assert haven.client.get("/api/v1/alerts", headers=clinician.auth).json() == []

    written = haven.client.post(
        journal, json={"body": "I have decided to end my life tonight."}, headers=member.auth
    )

    assert written.status_code == 201
    [alert] = haven.client.get("/api/v1/alerts", headers=clinician.auth).json()
    assert alert["source"] == "journal"
    assert alert["source_id"] == written.json()["id"]
    assert alert["level"] in {"high", "imminent"}
    detail = haven.client.get(f"/api/v1/alerts/{alert['id']}", headers=clinician.auth).json()
    assert detail["trigger"] == "I have decided to end my life tonight."
    assert detail["context"] == ["Rough day at work.", "Feeling really low tonight."]


def test_an_ordinary_journal_entry_opens_no_alert(haven: Haven) -> None:
    clinician, member = haven.staff("clinician"), haven.member("Ana")
    haven.assign(clinician, member)
    for body in ("This commute is killing me.", "Nice walk by the river with my sister."):
        haven.client.post(
            f"/api/v1/members/{member.id}/journal", json={"body": body}, headers=member.auth
        )
    assert haven.client.get("/api/v1/alerts", headers=clinician.auth).json() == []


def test_a_journal_entry_after_a_risky_one_is_read_on_its_own(haven: Haven) -> None:
    # Entries are days apart: unlike a chat message, an entry does not inherit the risk of
    # the one before, which opened its own alert.
    clinician, member = haven.staff("clinician"), haven.member("Ana")
    haven.assign(clinician, member)
    journal = f"/api/v1/members/{member.id}/journal"
    haven.client.post(journal, json={"body": "I want to kill myself."}, headers=member.auth)
    [alert] = haven.client.get("/api/v1/alerts", headers=clinician.auth).json()
    haven.client.post(
        f"/api/v1/alerts/{alert['id']}/acknowledge",
        json={"note": "Called."},
        headers=clinician.auth,
    )

    later = haven.client.post(
        journal, json={"body": "Went to the market with my sister."}, headers=member.auth
    )

    assert later.status_code == 201
    assert haven.client.get("/api/v1/alerts", headers=clinician.auth).json() == []
