"""The OpenAI-compatible drafter's refusals, against a tiny local HTTP peer that answers
as a chat-completions endpoint would (the real llama.cpp server is in the integration suite)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from haven.adapters.llm import OpenAICompatibleDrafter


class _Endpoint(BaseHTTPRequestHandler):
    answer: Any = None
    seen: list[dict[str, Any]] = []  # noqa: RUF012 - shared with the test on purpose

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"body": body, "auth": self.headers.get("Authorization")})
        payload = json.dumps(self.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[tuple[str, type[_Endpoint]]]:
    handler = type("Handler", (_Endpoint,), {"seen": [], "answer": None})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler
    server.shutdown()
    server.server_close()


def _reply(content: object) -> dict[str, Any]:
    return {"choices": [{"message": {"role": "assistant", "content": content}}]}


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        ("That sounds really lonely, missing your friend like that.", True),
        ("You could take 3 tablets to sleep.", False),  # any digit
        ("As an AI language model I cannot feel.", False),
        ("I am a real person and I understand.", False),
        ("x" * 400, False),  # too long
        ("   ", False),
        ("I feel so alone since my best friend moved away", False),  # parrots the member
        (None, False),
    ],
)
def test_a_draft_is_kept_only_when_it_is_a_short_new_reflection(
    endpoint: tuple[str, type[_Endpoint]], content: object, kept: bool
) -> None:
    base, handler = endpoint
    handler.answer = _reply(content)
    drafter = OpenAICompatibleDrafter(base_url=base, model="m", api_key="secret", timeout=5)
    draft = drafter.reflect(
        "I feel so alone since my best friend moved away",
        lang="en",
        emotion="loneliness",
        fallback="It sounds lonely.",
    )
    assert (draft is not None) is kept
    request = handler.seen[-1]
    assert request["auth"] == "Bearer secret"
    assert request["body"]["model"] == "m"
    assert request["body"]["messages"][-1]["content"].startswith("I feel so alone")


def test_a_malformed_answer_falls_back(endpoint: tuple[str, type[_Endpoint]]) -> None:
    base, handler = endpoint
    handler.answer = {"unexpected": True}
    drafter = OpenAICompatibleDrafter(base_url=base, model="m")
    assert drafter.reflect("hello", lang="en", emotion="neutral", fallback="Hi.") is None
