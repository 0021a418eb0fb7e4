"""Signed webhooks: an HTTP POST of a small JSON event to a receiver the operator chose
(a paging service, a hospital's integration engine).

Each request carries ``X-Haven-Signature: t=<unix seconds>,v1=<hex>``, the HMAC-SHA256 of
``"<t>.<body>"`` under the shared secret, so the receiver can check that the event came from
this Haven and is fresh (reject a ``t`` more than five minutes old to stop replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from haven.domain.notifications import DeliveryFailed
from haven.domain.text import N_

__all__ = ["SignedWebhook", "signature"]

logger = logging.getLogger(__name__)


def signature(secret: str, *, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class SignedWebhook:
    def __init__(
        self,
        *,
        url: str,
        secret: str,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if urlsplit(url).scheme not in {"https", "http"}:
            raise ValueError("the webhook URL must be http(s)")
        if len(secret) < 16:
            raise ValueError("the webhook secret must be at least 16 characters")
        self._url, self._secret, self._timeout, self._clock = url, secret, timeout, clock

    def post(self, event: Mapping[str, Any]) -> None:
        """Deliver one event or raise ``DeliveryFailed``; the event holds no personal data."""
        body = json.dumps(event, separators=(",", ":"), sort_keys=True).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self._url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Haven-Webhook/1",
                "X-Haven-Event": str(event.get("event", "")),
                "X-Haven-Signature": signature(
                    self._secret, timestamp=int(self._clock()), body=body
                ),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                status = response.status
        except (urllib.error.URLError, OSError) as error:
            logger.warning("webhook delivery failed: %s", type(error).__name__)
            raise DeliveryFailed(
                N_("The notification could not be delivered; it will be tried again later.")
            ) from None
        if not 200 <= status < 300:
            logger.warning("webhook receiver answered %d", status)
            raise DeliveryFailed(
                N_("The notification could not be delivered; it will be tried again later.")
            )
