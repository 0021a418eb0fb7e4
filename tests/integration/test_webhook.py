"""Signed alert webhooks delivered to a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from tests.integration.test_smtp import free_port

from haven.adapters.notify import SignedWebhook
from haven.domain.notifications import DeliveryFailed

SECRET = "a-shared-secret-of-32-characters"
EVENT = {"event": "alert.opened", "alert_id": "00000000-0000-0000-0000-000000000001"}


@dataclass
class Receiver:
    port: int
    status: int = 204
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output stays readable."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def test_an_event_arrives_signed_so_the_receiver_can_check_it(receiver: Receiver) -> None:
    hook = SignedWebhook(url=f"http://127.0.0.1:{receiver.port}/hook", secret=SECRET)

    hook.post(EVENT)

    [(headers, body)] = receiver.received
    assert json.loads(body) == EVENT
    assert headers["X-Haven-Event"] == "alert.opened"
    timestamp, mac = headers["X-Haven-Signature"].split(",")
    sent_at = timestamp.removeprefix("t=")
    expected = hmac.new(SECRET.encode(), f"{sent_at}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(mac.removeprefix("v1="), expected.hexdigest())


def test_a_receiver_error_or_no_receiver_is_delivery_failed(receiver: Receiver) -> None:
    receiver.status = 500
    with pytest.raises(DeliveryFailed):
        SignedWebhook(url=f"http://127.0.0.1:{receiver.port}/", secret=SECRET).post(EVENT)
    with pytest.raises(DeliveryFailed):
        SignedWebhook(url=f"http://127.0.0.1:{free_port()}/", secret=SECRET, timeout=2).post(EVENT)


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("ftp://example.org/", SECRET),
        ("file:///etc/passwd", SECRET),
        ("https://x.example", "short"),
    ],
)
def test_a_bad_configuration_is_refused_at_start(url: str, secret: str) -> None:
    with pytest.raises(ValueError, match="webhook"):
        SignedWebhook(url=url, secret=secret)
