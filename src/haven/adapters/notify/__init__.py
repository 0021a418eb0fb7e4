"""Sending e-mail to people outside the app (the ``Mailer`` port) over SMTP."""

from __future__ import annotations

from haven.adapters.notify.smtp import SmtpMailer

__all__ = ["SmtpMailer"]
