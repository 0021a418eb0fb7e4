"""The encoder risk classifier: a multinomial logistic regression on E5 embeddings of a message
in context, whose risk probability is the total probability of its risk classes.

Features (``FEATURE_SPEC``): the message's embedding, the mean embedding of the last
``CONTEXT_WINDOW`` context messages (zeros when there are none) and their element-wise
product, which lets the model learn that a neutral question reads differently after distress.

The head (``MODEL_SPEC``) is a softmax over fine-grained classes rather than risk/none: the
corpus's six risk kinds, risk said after ordinary chat, its four kinds of harmless message, and
the labels of the companion's NLU corpus (everyday emotions, requests and distorted thoughts).
Giving ordinary messages classes of their own lets the model set them apart without pulling
the risk kinds that resemble them (quiet preparations, plain statements) down with them. The
probability of risk is the sum of the risk classes' probabilities.

The weights, class names, thresholds and validation metrics live in ``risk_classifier.npz``
beside the lexicon; ``haven train risk`` regenerates it from the corpora (``risk_training``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from haven.adapters.nlu.encoder import DIMENSIONS, Encoder
from haven.domain.risk_combination import RiskThresholds

__all__ = [
    "ARTEFACT",
    "CONTEXT_WINDOW",
    "FEATURE_SPEC",
    "MODEL_SPEC",
    "RiskClassifier",
    "default_artefact",
    "features",
]

ARTEFACT = "risk_classifier.npz"
CONTEXT_WINDOW = 5  # earlier messages that count as context
FEATURE_SPEC = "e5-small-q4 query: [emb(text), mean(emb(context[-5:])) or 0, product]"
MODEL_SPEC = "softmax over risk kinds, none kinds and NLU labels; p(risk) = sum of risk classes"

Matrix = npt.NDArray[np.float64]


def default_artefact() -> Path:
    """The packaged artefact's path (``haven/content/risk/risk_classifier.npz``)."""
    with as_file(files("haven.content.risk") / ARTEFACT) as path:
        return Path(path)


def features(encoder: Encoder, text: str, context: Sequence[str]) -> Matrix:
    """The 3 x 384 feature vector of ``text`` read after ``context`` (oldest first)."""
    message = encoder.embed(text)
    recent = context[-CONTEXT_WINDOW:]
    if recent:
        around = np.mean([encoder.embed(line) for line in recent], axis=0)
    else:
        around = np.zeros(DIMENSIONS)
    return np.concatenate([message, around, message * around])


def risk_probabilities(x: Matrix, weights: Matrix, bias: Matrix, risk: Matrix) -> Matrix:
    """P(risk) for each row of ``x`` (n x features): the softmax mass on the ``risk`` classes
    (a 0/1 vector over the classes)."""
    z = x @ weights + bias
    z -= z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return np.asarray((p @ risk) / p.sum(axis=-1), dtype=np.float64)


class RiskClassifier:
    """Implements the ``RiskModel`` port."""

    def __init__(
        self,
        *,
        weights: Matrix,
        bias: Matrix,
        classes: Sequence[str],
        risk_classes: Sequence[str],
        thresholds: RiskThresholds,
        metadata: dict[str, Any],
        encoder: Encoder | None = None,
    ) -> None:
        if weights.shape != (3 * DIMENSIONS, len(classes)) or bias.shape != (len(classes),):
            raise ValueError(
                f"expected {3 * DIMENSIONS} x {len(classes)} weights and {len(classes)} biases,"
                f" got {weights.shape} and {bias.shape}"
            )
        unknown = set(risk_classes) - set(classes)
        if unknown or not risk_classes:
            raise ValueError(f"risk classes must be some of the classes: {sorted(unknown)}")
        self._weights = weights
        self._bias = bias
        self._risk = np.array([float(c in risk_classes) for c in classes])
        self.classes = tuple(classes)
        self._thresholds = thresholds
        self.metadata = metadata
        self._encoder = encoder or Encoder()

    @classmethod
    def load(cls, path: Path | None = None, *, encoder: Encoder | None = None) -> RiskClassifier:
        """Read an artefact written by ``risk_training.train`` (the packaged one by default)."""
        with np.load(path or default_artefact(), allow_pickle=False) as saved:
            metadata: dict[str, Any] = json.loads(str(saved["metadata"]))
            if (
                metadata.get("feature_spec") != FEATURE_SPEC
                or metadata.get("model_spec") != MODEL_SPEC
            ):
                raise ValueError("the risk classifier was trained on other features: retrain it")
            return cls(
                weights=np.asarray(saved["weights"], dtype=np.float64),
                bias=np.asarray(saved["bias"], dtype=np.float64),
                classes=[str(c) for c in saved["classes"]],
                risk_classes=[str(c) for c in saved["risk_classes"]],
                thresholds=RiskThresholds(
                    flag=float(saved["threshold"]), high=float(saved["high_threshold"])
                ),
                metadata=metadata,
                encoder=encoder,
            )

    @property
    def thresholds(self) -> RiskThresholds:
        return self._thresholds

    def probability(self, text: str, context: Sequence[str]) -> float:
        """Probability (0-1) that ``text`` carries risk, given the earlier ``context``."""
        x = features(self._encoder, text, context)
        return float(risk_probabilities(x[None, :], self._weights, self._bias, self._risk)[0])
