"""Questionnaire reminders delivered to a real SMTP server, from the service and from
``haven reminders send`` as cron would run it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from tests.integration.conftest import PASSWORD
from tests.integration.test_smtp import Inbox, free_port
from typer.testing import CliRunner

from haven.adapters.memory import ManualClock
from haven.adapters.notify import SmtpMailer
from haven.bootstrap import Container
from haven.cli.main import app
from haven.domain.consent import ConsentKind
from haven.domain.people import Account, Role
from haven.services.accounts import assign_to_care_team, create_account, register_member
from haven.services.consents import grant_consent
from haven.services.schedules import assign_schedule, send_reminders


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    mailbox = Inbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture
def clock() -> ManualClock:
    # Starts at the real time: the reminder command reads the system clock.
    return ManualClock(datetime.now(UTC))


@pytest.fixture
def member_with_phq9(container: Container, clock: ManualClock) -> Account:
    """A Spanish-speaking member whose clinician assigned a PHQ-9 every 14 days, due now."""
    member = register_member(
        container.uow(),
        hasher=container.hasher,
        clock=clock,
        email=f"lucia-{uuid.uuid4().hex[:6]}@example.org",
        password=PASSWORD,
        display_name="Lucía",
        locale="es",
    )
    for kind in (ConsentKind.TERMS_OF_USE, ConsentKind.CARE_TEAM_SHARING):
        grant_consent(
            container.uow(),
            clock=clock,
            actor=member,
            kind=kind,
            version=container.documents[kind].version,
            documents=container.documents,
        )
    clinician = create_account(
        container.uow(),
        hasher=container.hasher,
        clock=clock,
        actor=None,
        email=f"dr-{uuid.uuid4().hex[:6]}@example.org",
        password=PASSWORD,
        role=Role.CLINICIAN,
        display_name="Dr Lee",
    )
    assign_to_care_team(
        container.uow(), clock=clock, actor=None, clinician_id=clinician.id, member_id=member.id
    )
    assign_schedule(
        container.uow(),
        clock=clock,
        actor=clinician,
        member_id=member.id,
        instrument_id="phq9",
        every_days=14,
        starts_at=None,
        instruments=container.instruments,
        documents=container.documents,
    )
    return member


def test_a_due_questionnaire_is_mailed_once_in_the_members_language_naming_no_score(
    container: Container,
    clock: ManualClock,
    member_with_phq9: Account,
    inbox: tuple[Inbox, int],
) -> None:
    mailbox, port = inbox
    mailer = SmtpMailer(host="127.0.0.1", port=port, sender="Haven <no-reply@haven.example>")

    first = send_reminders(container.uow, clock=clock, mailer=mailer)
    again = send_reminders(container.uow, clock=clock, mailer=mailer)
    clock.advance(timedelta(days=3))
    overdue = send_reminders(container.uow, clock=clock, mailer=mailer)

    assert (first.sent, again.sent, overdue.sent) == (1, 0, 1)
    assert [e.rcpt_tos for e in mailbox.envelopes] == [[member_with_phq9.email]] * 2
    message = mailbox.message(0)
    assert message["Subject"] == "Tienes un cuestionario pendiente en Haven"
    body = message.get_content()
    assert "Inicia sesión en Haven" in body
    assert "PHQ" not in body
    assert "PHQ" not in message["Subject"]


def test_the_reminder_command_sends_through_the_configured_server(
    database_url: str,
    tmp_path: Path,
    member_with_phq9: Account,
    inbox: tuple[Inbox, int],
) -> None:
    mailbox, port = inbox
    env = {
        "HAVEN_DATABASE_URL": database_url,
        "HAVEN_DATA_DIR": str(tmp_path / "data"),
        "HAVEN_SMTP_HOST": "127.0.0.1",
        "HAVEN_SMTP_PORT": str(port),
        "HAVEN_SMTP_STARTTLS": "false",
    }
    result = CliRunner().invoke(app, ["reminders", "send"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent, 0 failed" in result.output
    assert [e.rcpt_tos for e in mailbox.envelopes] == [[member_with_phq9.email]]

    without_server = {k: v for k, v in env.items() if not k.startswith("HAVEN_SMTP")}
    refused = CliRunner().invoke(app, ["reminders", "send"], env=without_server)
    assert refused.exit_code == 1
    assert "HAVEN_SMTP_HOST" in refused.output


def test_an_unreachable_mail_server_leaves_the_reminder_for_the_next_run(
    container: Container, clock: ManualClock, member_with_phq9: Account
) -> None:
    mailer = SmtpMailer(host="127.0.0.1", port=free_port(), sender="h@haven.example", timeout=2)
    failed = send_reminders(container.uow, clock=clock, mailer=mailer)
    assert (failed.sent, failed.failed) == (0, 1)
    with container.uow() as uow:
        [schedule] = uow.schedules.for_member(member_with_phq9.id)
    assert schedule.last_reminded_at is None
