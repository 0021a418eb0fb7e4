"""Risk-check benchmarks: loading the encoder classifier, then checking one message."""

from __future__ import annotations

import statistics
import time
from typing import Any

from haven.adapters.nlu.encoder import Encoder
from haven.adapters.nlu.risk_classifier import RiskClassifier
from haven.content.risk import risk_lexicon
from haven.services.risk import check_message

CHECKS = 100
CONTEXT = [
    "rough week at work, my manager keeps piling things on",
    "couldn't sleep again last night",
    "my sister called, that was nice",
    "I skipped lunch, not hungry",
    "anyway the dog needs walking",
]


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run() -> dict[str, Any]:
    lexicon = risk_lexicon()
    started = time.perf_counter()
    model = RiskClassifier.load(encoder=Encoder())
    model.probability("warm-up", [])
    load_s = time.perf_counter() - started
    # The context was seen as it arrived, so it comes from the cache; each new message is
    # embedded once, as in a live conversation.
    for line in CONTEXT:
        model.probability(line, [])
    checks: list[float] = []
    for n in range(CHECKS):
        started = time.perf_counter()
        check_message(
            f"message {n}: I don't know how much longer I can do this",
            CONTEXT,
            lexicon=lexicon,
            model=model,
        )
        checks.append((time.perf_counter() - started) * 1000)
    encoder = Encoder(cache_size=1)
    embeds: list[float] = []
    for n in range(CHECKS):
        started = time.perf_counter()
        encoder.embed(f"message {n}: I don't know how much longer I can do this")
        embeds.append((time.perf_counter() - started) * 1000)
    return {
        "risk_model_load_s": round(load_s, 2),
        "risk_check_p50_ms": round(statistics.median(checks), 2),
        "risk_check_p99_ms": round(_percentile(checks, 0.99), 2),
        "encoder_p50_ms": round(statistics.median(embeds), 2),
        "encoder_p99_ms": round(_percentile(embeds, 0.99), 2),
    }
