"""The companion's message classifiers: softmax heads for emotion, intent and cognitive
distortion on the one E5 embedding of a message (the same vector the risk check uses, taken
from the encoder's cache, so a message is embedded once per turn).

Weights live in ``content/nlu/nlu_classifier.npz``; ``haven train nlu`` rebuilds it from the
corpus (``message_training``). Sentiment is read off the emotion probabilities
(``analysis.sentiment_of``), so it covers every language the emotion head does.
"""

from __future__ import annotations

import json
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from haven.adapters.nlu.encoder import DIMENSIONS, Encoder
from haven.domain.conversation.analysis import MessageAnalysis, sentiment_of

__all__ = ["ARTEFACT", "FEATURE_SPEC", "Head", "MessageClassifier", "default_artefact"]

ARTEFACT = "nlu_classifier.npz"
FEATURE_SPEC = "e5-small-q4 query: emb(text)"
HEADS = ("emotion", "intent", "distortion")

Matrix = npt.NDArray[np.float64]


def default_artefact() -> Path:
    with as_file(files("haven.content.nlu") / ARTEFACT) as path:
        return Path(path)


class Head:
    """One softmax classifier over the embedding."""

    def __init__(self, *, labels: list[str], weights: Matrix, bias: Matrix) -> None:
        if weights.shape != (len(labels), DIMENSIONS) or bias.shape != (len(labels),):
            raise ValueError("the head's weights do not match its labels")
        self.labels = labels
        self._weights = weights
        self._bias = bias

    def probabilities(self, vectors: Matrix) -> Matrix:
        """Rows of class probabilities for rows of embeddings."""
        z = vectors @ self._weights.T + self._bias
        z -= z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]

    def scores(self, vector: Matrix) -> dict[str, float]:
        return dict(zip(self.labels, map(float, self.probabilities(vector)), strict=True))


class MessageClassifier:
    """Implements the ``MessageAnalyser`` port."""

    def __init__(
        self, heads: dict[str, Head], *, metadata: dict[str, Any], encoder: Encoder | None = None
    ) -> None:
        missing = set(HEADS) - set(heads)
        if missing:
            raise ValueError(f"missing classifier heads: {', '.join(sorted(missing))}")
        self.heads = heads
        self.metadata = metadata
        self._encoder = encoder or Encoder()

    @classmethod
    def load(cls, path: Path | None = None, *, encoder: Encoder | None = None) -> MessageClassifier:
        with np.load(path or default_artefact(), allow_pickle=False) as saved:
            metadata: dict[str, Any] = json.loads(str(saved["metadata"]))
            if metadata.get("feature_spec") != FEATURE_SPEC:
                raise ValueError("the NLU classifier was trained on other features: retrain it")
            heads = {
                name: Head(
                    labels=list(metadata["labels"][name]),
                    weights=np.asarray(saved[f"{name}_weights"], dtype=np.float64),
                    bias=np.asarray(saved[f"{name}_bias"], dtype=np.float64),
                )
                for name in HEADS
            }
        return cls(heads, metadata=metadata, encoder=encoder)

    def analyse(self, text: str) -> MessageAnalysis:
        vector = self._encoder.embed(text)
        emotion = self.heads["emotion"].scores(vector)
        intent = self.heads["intent"].scores(vector)
        distortion = self.heads["distortion"].scores(vector)

        def top(scores: dict[str, float]) -> tuple[str, float]:
            label = max(scores, key=lambda k: scores[k])
            return label, round(scores[label], 4)

        emotion_label, emotion_p = top(emotion)
        intent_label, intent_p = top(intent)
        distortion_label, distortion_p = top(distortion)
        return MessageAnalysis(
            emotion=emotion_label,
            emotion_confidence=emotion_p,
            intent=intent_label,
            intent_confidence=intent_p,
            distortion=distortion_label,
            distortion_confidence=distortion_p,
            sentiment=sentiment_of(emotion),
        )
