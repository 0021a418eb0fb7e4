"""Training the companion's message classifiers on the NLU corpus (``haven train nlu``) and
measuring them on its held-out split (``haven eval nlu``).

Each head is multinomial logistic regression with an L2 penalty, fitted by full-batch
gradient descent on standardised embeddings of the ``train`` split, with class weights that
balance the labels; deterministic. The penalty is chosen per task by four-fold
cross-validation on the ``train`` split (macro F1). The ``test`` split is never used to fit
or tune anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from haven.adapters.nlu.encoder import Encoder
from haven.adapters.nlu.message_classifier import FEATURE_SPEC, HEADS, Head
from haven.content.nlu import Labelled, corpus, corpus_sha256

__all__ = ["L2_GRID", "Report", "embed", "evaluate", "report_dict", "train"]

L2_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)
_FOLDS = 4
_STEPS = 600
_LEARNING_RATE = 0.5

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Report:
    """Per-class precision, recall and F1 on one split, with macro F1 and accuracy."""

    task: str
    items: int
    per_class: dict[str, dict[str, float | int]]
    macro_f1: float
    accuracy: float
    per_language: dict[str, float]  # accuracy per language


def embed(encoder: Encoder, items: Sequence[Labelled]) -> Matrix:
    return np.array([encoder.embed(item.text) for item in items])


def _fit(x: Matrix, y: npt.NDArray[np.int64], classes: int, l2: float) -> tuple[Matrix, Matrix]:
    n, d = x.shape
    counts = np.bincount(y, minlength=classes).astype(np.float64)
    sample = (n / (classes * np.maximum(counts, 1.0)))[y] / n
    onehot = np.eye(classes)[y]
    w = np.zeros((classes, d))
    b = np.zeros(classes)
    velocity_w, velocity_b = np.zeros_like(w), np.zeros_like(b)
    for _ in range(_STEPS):
        z = x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - onehot) * sample[:, None]
        grad_w = error.T @ x + l2 * w
        grad_b = error.sum(axis=0)
        velocity_w = 0.9 * velocity_w - _LEARNING_RATE * grad_w
        velocity_b = 0.9 * velocity_b - _LEARNING_RATE * grad_b
        w += velocity_w
        b += velocity_b
    return w, b


def train(path: Path, *, progress: Callable[[str], None] = lambda _: None) -> dict[str, Report]:
    """Fit every head on ``train``, report on ``test``, write the artefact to ``path``."""
    encoder = Encoder(cache_size=8192)
    arrays: dict[str, npt.NDArray[Any]] = {}
    labels: dict[str, list[str]] = {}
    chosen: dict[str, float] = {}
    reports: dict[str, Report] = {}
    for task in HEADS:
        items = corpus(task)
        progress(f"{task}: embedding {len(items)} items")
        x = embed(encoder, items)
        is_train = np.array([item.split == "train" for item in items])
        names = sorted({item.label for item in items})
        y = np.array([names.index(item.label) for item in items])
        mean = x[is_train].mean(axis=0)
        spread = x[is_train].std(axis=0) + 1e-6
        standard = (x[is_train] - mean) / spread
        l2 = _cross_validated_l2(standard, y[is_train], len(names))
        chosen[task] = l2
        progress(f"{task}: fitting on {int(is_train.sum())} items (L2 {l2})")
        w, b = _fit(standard, y[is_train], len(names), l2)
        weights = w / spread
        bias = b - weights @ mean
        head = Head(labels=names, weights=weights, bias=bias)
        test = [item for item in items if item.split == "test"]
        reports[task] = evaluate(task, head, test, x[~is_train])
        arrays[f"{task}_weights"] = weights
        arrays[f"{task}_bias"] = bias
        labels[task] = names
    metadata = {
        "feature_spec": FEATURE_SPEC,
        "corpus_sha256": corpus_sha256(),
        "l2": chosen,
        "labels": labels,
        "test": {
            task: {"macro_f1": r.macro_f1, "accuracy": r.accuracy} for task, r in reports.items()
        },
    }
    arrays["metadata"] = np.array(json.dumps(metadata, sort_keys=True))
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
    return reports


def _cross_validated_l2(x: Matrix, y: npt.NDArray[np.int64], classes: int) -> float:
    """The penalty with the best mean macro F1 over folds of the training items."""
    folds = np.arange(len(y)) % _FOLDS
    best, best_score = L2_GRID[0], -1.0
    for l2 in L2_GRID:
        scores = []
        for fold in range(_FOLDS):
            held = folds == fold
            w, b = _fit(x[~held], y[~held], classes, l2)
            predicted = (x[held] @ w.T + b).argmax(axis=1)
            f1s = []
            for label in range(classes):
                tp = float(((predicted == label) & (y[held] == label)).sum())
                fp = float(((predicted == label) & (y[held] != label)).sum())
                fn = float(((predicted != label) & (y[held] == label)).sum())
                f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
            scores.append(float(np.mean(f1s)))
        if float(np.mean(scores)) > best_score:
            best, best_score = l2, float(np.mean(scores))
    return best


def evaluate(task: str, head: Head, items: Sequence[Labelled], vectors: Matrix) -> Report:
    predicted = [head.labels[i] for i in head.probabilities(vectors).argmax(axis=1)]
    per_class: dict[str, dict[str, float | int]] = {}
    for label in head.labels:
        tp = sum(p == label == i.label for p, i in zip(predicted, items, strict=True))
        fp = sum(p == label != i.label for p, i in zip(predicted, items, strict=True))
        fn = sum(i.label == label != p for p, i in zip(predicted, items, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
    supported = [c["f1"] for c in per_class.values() if c["support"]]
    correct = [p == i.label for p, i in zip(predicted, items, strict=True)]
    languages: dict[str, list[bool]] = {}
    for ok, item in zip(correct, items, strict=True):
        languages.setdefault(item.lang, []).append(ok)
    return Report(
        task=task,
        items=len(items),
        per_class=per_class,
        macro_f1=round(float(np.mean(supported)), 3) if supported else 0.0,
        accuracy=round(sum(correct) / len(correct), 3) if correct else 0.0,
        per_language={lang: round(sum(v) / len(v), 3) for lang, v in sorted(languages.items())},
    )


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "task": report.task,
        "items": report.items,
        "macro_f1": report.macro_f1,
        "accuracy": report.accuracy,
        "per_language": report.per_language,
        "per_class": report.per_class,
    }
