"""A webhook that keeps what it is sent, for unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from haven.domain.notifications import DeliveryFailed
from haven.domain.text import N_

__all__ = ["RecordingWebhook"]


class RecordingWebhook:
    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.events: list[dict[str, Any]] = []

    def post(self, event: Mapping[str, Any]) -> None:
        if self.fail:
            raise DeliveryFailed(
                N_("The notification could not be delivered; it will be tried again later.")
            )
        self.events.append(dict(event))
