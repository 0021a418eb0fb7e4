"""A mailer for tests and demos that keeps what it is given (the ``Mailer`` port)."""

from __future__ import annotations

from haven.domain.notifications import DeliveryFailed, OutgoingEmail
from haven.domain.text import N_

__all__ = ["RecordingMailer"]


class RecordingMailer:
    """Appends each e-mail to ``sent``; while ``fail`` is set, raises ``DeliveryFailed`` and
    records nothing, as an unreachable mail server would."""

    def __init__(self, *, fail: bool = False) -> None:
        self.sent: list[OutgoingEmail] = []
        self.fail = fail

    def send(self, email: OutgoingEmail) -> None:
        if self.fail:
            raise DeliveryFailed(
                N_("The e-mail could not be delivered; it will be tried again later.")
            )
        self.sent.append(email)
