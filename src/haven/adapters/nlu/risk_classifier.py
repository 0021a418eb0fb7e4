"""The encoder risk classifier: logistic regression on E5 embeddings of a message in context.

Features (``FEATURE_SPEC``): the message's embedding, the mean embedding of the last
``CONTEXT_WINDOW`` context messages (zeros when there are none) and their element-wise
product, which lets the model learn that a neutral question reads differently after distress.
The weights, thresholds and validation metrics live in ``risk_classifier.npz`` beside the
lexicon; ``haven train risk`` regenerates it from the corpus (``risk_training``).
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
    "RiskClassifier",
    "default_artefact",
    "features",
]

ARTEFACT = "risk_classifier.npz"
CONTEXT_WINDOW = 5  # earlier messages that count as context
FEATURE_SPEC = "e5-small-q4 query: [emb(text), mean(emb(context[-5:])) or 0, product]"

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


class RiskClassifier:
    """Implements the ``RiskModel`` port."""

    def __init__(
        self,
        *,
        weights: Matrix,
        bias: float,
        thresholds: RiskThresholds,
        metadata: dict[str, Any],
        encoder: Encoder | None = None,
    ) -> None:
        if weights.shape != (3 * DIMENSIONS,):
            raise ValueError(f"expected {3 * DIMENSIONS} weights, got {weights.shape}")
        self._weights = weights
        self._bias = bias
        self._thresholds = thresholds
        self.metadata = metadata
        self._encoder = encoder or Encoder()

    @classmethod
    def load(cls, path: Path | None = None, *, encoder: Encoder | None = None) -> RiskClassifier:
        """Read an artefact written by ``risk_training.save`` (the packaged one by default)."""
        with np.load(path or default_artefact(), allow_pickle=False) as saved:
            metadata: dict[str, Any] = json.loads(str(saved["metadata"]))
            if metadata.get("feature_spec") != FEATURE_SPEC:
                raise ValueError("the risk classifier was trained on other features: retrain it")
            return cls(
                weights=np.asarray(saved["weights"], dtype=np.float64),
                bias=float(saved["bias"]),
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
        z = float(features(self._encoder, text, context) @ self._weights) + self._bias
        return float(1.0 / (1.0 + np.exp(-z)))
