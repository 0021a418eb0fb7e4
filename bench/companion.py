"""Companion benchmarks: a whole turn (analysis, risk check, policy, encryption, database
write and audit, in one transaction) on the embedded SQLite, the encoder's own time beside
it, and the resident memory of a server process with the models loaded."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

from haven.adapters.nlu.encoder import Encoder
from haven.bootstrap import Container, message_analyser, risk_model
from haven.domain.consent import ConsentKind
from haven.domain.people import Role
from haven.services.accounts import create_account
from haven.services.consents import grant_consent
from haven.services.conversations import start_conversation, take_turn

TURNS = 300
# A member's side of a conversation: venting, an exercise asked for and answered, thanks.
SCRIPT = [
    "hi",
    "work has been really stressful this week, my manager keeps changing the deadlines",
    "I can't switch off at night and I keep replaying the meetings",
    "can we do the breathing exercise?",
    "4",
    "ok ready",
    "done",
    "6",
    "yes",
    "my sister called today, that was nice",
    "I'm still worried I'll mess up the presentation on friday",
    "thanks, that helped a bit",
]

_RSS_PROBE = """
import json, sys
from haven.bootstrap import bootstrap, message_analyser, risk_model
from haven.config import Settings
from haven.web.app import create_app
container = bootstrap(Settings(_env_file=None, data_dir=sys.argv[1]))
app = create_app(container)
message_analyser().analyse("warm-up message")
risk_model().probability("warm-up message", [])
rss_kb = next(int(line.split()[1]) for line in open("/proc/self/status")
              if line.startswith("VmRSS:"))
print(json.dumps({"rss_mb": round(rss_kb / 1024, 1)}))
"""


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(container: Container, data_dir: str) -> dict[str, Any]:
    started = time.perf_counter()
    message_analyser().analyse("warm-up")
    risk_model().probability("warm-up", [])
    load_s = time.perf_counter() - started
    member = create_account(
        container.uow(),
        hasher=container.hasher,
        clock=container.clock,
        actor=None,
        email="chat-bench@example.org",
        password="benchmark password",
        role=Role.MEMBER,
        display_name="Chat Bench",
    )
    grant_consent(
        container.uow(),
        clock=container.clock,
        actor=member,
        kind=ConsentKind.TERMS_OF_USE,
        version=container.documents[ConsentKind.TERMS_OF_USE].version,
        documents=container.documents,
    )
    companion = container.companion
    conversation = start_conversation(
        container.uow(), clock=container.clock, actor=member, documents=container.documents
    )
    turns: list[float] = []
    for n in range(TURNS):
        line = SCRIPT[n % len(SCRIPT)]
        # Every member message is new text (as in life), so each turn embeds it once.
        text = line if line.isdigit() or len(line) < 8 else f"{line} ({n})"
        started = time.perf_counter()
        take_turn(
            container.uow(),
            clock=container.clock,
            actor=member,
            conversation_id=conversation.id,
            text=text,
            companion=companion,
            documents=container.documents,
        )
        turns.append((time.perf_counter() - started) * 1000)
    encoder = Encoder(cache_size=1)
    embeds: list[float] = []
    for n in range(TURNS):
        started = time.perf_counter()
        encoder.embed(f"{SCRIPT[n % len(SCRIPT)]} [{n}]")
        embeds.append((time.perf_counter() - started) * 1000)
    probe = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, data_dir],
        capture_output=True,
        text=True,
        check=True,
    )
    turn_p50 = statistics.median(turns)
    encoder_p50 = statistics.median(embeds)
    return {
        "companion_models_load_s": round(load_s, 2),
        "turn_p50_ms": round(turn_p50, 2),
        "turn_p99_ms": round(_percentile(turns, 0.99), 2),
        "turn_encoder_p50_ms": round(encoder_p50, 2),
        "turn_over_encoder": round(turn_p50 / encoder_p50, 2),
        "server_rss_mb": json.loads(probe.stdout.strip().splitlines()[-1])["rss_mb"],
    }
