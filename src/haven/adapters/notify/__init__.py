"""Telling people outside the app: e-mail over SMTP (the ``Mailer`` port) and signed
webhooks (the ``Webhook`` port)."""

from __future__ import annotations

from haven.adapters.notify.smtp import SmtpMailer
from haven.adapters.notify.webhook import SignedWebhook

__all__ = ["SignedWebhook", "SmtpMailer"]
