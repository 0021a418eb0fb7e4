"""The SMTP mailer against a real SMTP server (aiosmtpd) listening on 127.0.0.1."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from haven.adapters.memory.mailer import RecordingMailer
from haven.adapters.notify import SmtpMailer
from haven.domain.notifications import DeliveryFailed, OutgoingEmail

SENDER = "Haven <no-reply@haven.example>"
RECIPIENT = "lucia@example.org"
LOGIN = b"haven"
SECRET = b"s3cret-relay-password"
REMINDER = OutgoingEmail(
    to=RECIPIENT,
    subject="Tienes un mensaje nuevo en Haven",
    body="Hola, Lucía:\n\nHay algo esperándote en la aplicación. ¡Ánimo!\n",
)


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    refuse_recipients: bool = False
    envelopes: list[Envelope] = field(default_factory=list)
    logins: list[bytes] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.refuse_recipients:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        accepted = isinstance(auth_data, LoginPassword) and auth_data == (LOGIN, SECRET)
        if accepted:
            self.logins.append(auth_data.login)
        # handled=False: aiosmtpd then answers 535 itself instead of leaving the client waiting.
        return AuthResult(success=accepted, handled=False)

    def message(self, index: int = 0) -> EmailMessage:
        content = self.envelopes[index].original_content
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Server:
    inbox: Inbox
    port: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def server() -> Iterator[Server]:
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=inbox.authenticate,
        # Plain-text AUTH on loopback only: the test server has no certificate.
        auth_require_tls=False,
    )
    controller.start()
    yield Server(inbox=inbox, port=controller.port)
    controller.stop()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening, so a connection is refused and nothing can take it."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def mailer(port: int, **options: Any) -> SmtpMailer:
    return SmtpMailer(host="127.0.0.1", port=port, sender=SENDER, timeout=5.0, **options)


def test_a_sent_email_arrives_with_its_envelope_subject_and_accented_body(server: Server) -> None:
    mailer(server.port).send(REMINDER)

    [envelope] = server.inbox.envelopes
    assert envelope.mail_from == "no-reply@haven.example"
    assert envelope.rcpt_tos == [RECIPIENT]
    message = server.inbox.message()
    assert message["To"] == RECIPIENT
    assert message["Subject"] == REMINDER.subject
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    # SMTP carries CRLF line ends; what the person reads is the same text.
    assert message.get_content().replace("\r\n", "\n") == REMINDER.body


def test_a_sent_email_carries_a_date_and_a_message_id_on_the_senders_domain(
    server: Server,
) -> None:
    mailer(server.port).send(REMINDER)

    message = server.inbox.message()
    assert message["Date"].datetime is not None
    assert message["Message-ID"].endswith("@haven.example>")


def test_a_mailer_with_credentials_signs_in_before_sending(server: Server) -> None:
    mailer(server.port, username=LOGIN.decode(), password=SECRET.decode()).send(REMINDER)

    assert server.inbox.logins == [LOGIN]
    assert len(server.inbox.envelopes) == 1


def test_wrong_credentials_raise_delivery_failed_and_nothing_is_sent(server: Server) -> None:
    with pytest.raises(DeliveryFailed) as failure:
        mailer(server.port, username=LOGIN.decode(), password="wrong").send(REMINDER)

    assert failure.value.__cause__ is None  # the refused address stays out of tracebacks

    assert server.inbox.envelopes == []


def test_an_unreachable_server_raises_delivery_failed(closed_port: int) -> None:
    with pytest.raises(DeliveryFailed) as failure:
        mailer(closed_port).send(REMINDER)

    assert failure.value.__cause__ is None  # the refused address stays out of tracebacks


def test_a_refused_recipient_raises_delivery_failed_and_nothing_is_delivered(
    server: Server,
) -> None:
    server.inbox.refuse_recipients = True

    with pytest.raises(DeliveryFailed) as failure:
        mailer(server.port).send(REMINDER)

    assert failure.value.__cause__ is None  # the refused address stays out of tracebacks
    assert server.inbox.envelopes == []


def test_a_failed_delivery_logs_neither_the_address_nor_the_body(
    closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(DeliveryFailed):
        mailer(closed_port).send(REMINDER)

    assert caplog.records, "a failed delivery should leave a trace for the operator"
    assert RECIPIENT not in caplog.text
    assert "Lucía" not in caplog.text


def test_starttls_and_ssl_together_are_refused() -> None:
    with pytest.raises(ValueError, match="starttls"):
        SmtpMailer(host="127.0.0.1", port=25, sender=SENDER, starttls=True, use_ssl=True)


def test_the_recording_mailer_keeps_what_it_sends_and_fails_when_told() -> None:
    recording = RecordingMailer()
    recording.send(REMINDER)
    recording.fail = True

    with pytest.raises(DeliveryFailed):
        recording.send(REMINDER)

    assert recording.sent == [REMINDER]
