"""An SMTP mailer (the ``Mailer`` port), built on the standard library's ``smtplib``.

One connection per e-mail: Haven sends few messages (a reminder, a sign-in link), so a pooled
connection would only add a server-side idle timeout to handle.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from haven.domain.notifications import DeliveryFailed, OutgoingEmail
from haven.domain.text import N_

__all__ = ["SmtpMailer"]

logger = logging.getLogger(__name__)


class SmtpMailer:
    """Delivers each ``OutgoingEmail`` as a UTF-8 text/plain message from ``sender``.

    ``use_ssl`` opens TLS from the first byte (port 465); ``starttls`` upgrades a plain
    connection (port 587). ``timeout`` is in seconds, for the connection and each command.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        starttls: bool = False,
        use_ssl: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        if starttls and use_ssl:
            raise ValueError("choose either starttls or use_ssl, not both")
        if (username is None) != (password is None):
            raise ValueError("give both a username and a password, or neither")
        self._host = host
        self._port = port
        self._sender = sender
        self._starttls = starttls
        self._use_ssl = use_ssl
        self._username = username
        self._password = password
        self._timeout = timeout
        # make_msgid() would otherwise ask DNS for this machine's name on every message.
        self._msgid_domain = parseaddr(sender)[1].rpartition("@")[2] or None

    def send(self, email: OutgoingEmail) -> None:
        message = self._compose(email)
        try:
            with self._connect() as client:
                if self._starttls:
                    client.starttls(context=ssl.create_default_context())
                if self._username is not None and self._password is not None:
                    client.login(self._username, self._password)
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            # Only the error's type: its text can quote the recipient's address back.
            logger.warning(
                "SMTP delivery through %s:%d failed: %s",
                self._host,
                self._port,
                type(error).__name__,
            )
            # Not chained: a traceback logged further up would print the refused address.
            raise DeliveryFailed(
                N_("The e-mail could not be delivered; it will be tried again later.")
            ) from None

    def _compose(self, email: OutgoingEmail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self._msgid_domain)
        # Quoted-printable keeps the message 7-bit clean, so a relay without 8BITMIME
        # cannot mangle accented text.
        message.set_content(email.body, charset="utf-8", cte="quoted-printable")
        return message

    def _connect(self) -> smtplib.SMTP:
        if self._use_ssl:
            return smtplib.SMTP_SSL(
                self._host,
                self._port,
                timeout=self._timeout,
                context=ssl.create_default_context(),
            )
        return smtplib.SMTP(self._host, self._port, timeout=self._timeout)
