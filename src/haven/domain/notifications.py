"""Messages Haven sends to people outside the app (e-mail), and why they say so little.

An e-mail can be read over a shoulder or on a shared screen, so what Haven sends names no
instrument, score or feeling: it only says that something is waiting in the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven.domain.errors import HavenError

__all__ = ["DeliveryFailed", "OutgoingEmail"]


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str


class DeliveryFailed(HavenError):
    """The mail server could not be reached or refused the message; nothing was sent."""

    code = "delivery_failed"
