"""The encoder risk classifier: small heads on E5 features, one for the message and one for
what came before it.

The features of a text (``Encoder.features``) are its sentence embedding and, beside it, the
normalised mean state of the encoder's tenth layer (of twelve): the last layer is trained to
place sentences by meaning, so that a harmless message and a risky one on the same theme lie
close; an earlier layer still keeps more of the words themselves, and with both a linear
head separates risk from its harmless look-alikes better (on the corpus validation split,
0.079 false positives at recall 0.955, against 0.111 at 0.952 with the last layer alone).

- The message head (``MESSAGE_SPEC``) is a multinomial logistic regression on the message's
  features over fine-grained classes: the corpus's risk kinds, its kinds of harmless
  message, the labels of the companion's NLU corpus (everyday emotions, requests, distorted
  thoughts) and ``context_dependent``, the questions whose meaning turns on the conversation
  ("how tall is the bridge in town?"). Giving ordinary messages classes of their own lets the
  model set them apart without pulling the risk kinds that resemble them down with them.
- The context head is a logistic regression on the mean features of the last
  ``CONTEXT_WINDOW`` context messages: how far the conversation so far reads like the
  distress that turns such a question into risk.
- The corpus head is a binary logistic regression on the message's features, trained on the
  risk corpus's items without context alone (the former classifier's view of a message).

A message of several sentences is also read sentence by sentence (``text_probabilities``): a
sentence the classifier alone finds more likely risk than not (``SENTENCE_PROBABILITY``)
raises the message's score to its own, so that "honestly i keep thinking everyone would be
better off if i just wasn't around anymore" is not diluted by the bus, the boss and the
pasta around it. Below that, a sentence read without the words around it ("I'm okay, mostly,
I just wanted to say it somewhere") is too weak a reason to overrule the whole message.

The score of the first two is ``s = P(risk kinds | message) + P(context_dependent | message)
* c``, where ``c`` is the context head's probability, or the fixed ``no_context`` prior when
there is no context. Context can raise or lower only the share of the score that belongs to
context-dependent questions: small talk before "I want to die" does not hide it, and small
talk before an idiom does not make it risk. The probability of risk is the weighted geometric
mean ``s ** (1 - corpus_share) * q ** corpus_share`` with the corpus head's probability ``q``:
a message has to look like risk both next to everyday talk and next to the corpus's harmless
messages (the softmax head alone is overconfident on a few everyday quarrels that resemble
self-harm reports, such as a fight with a sister "again").

The message head also has a class for each other clinical red flag (``red_flag:psychosis``,
``red_flag:mania``... and ``red_flag:none`` for their look-alikes), learnt from the red-flag
corpus. Those classes never count towards risk; giving them their own share of the softmax
keeps a message about voices or calories from being read as suicide risk, and ``red_flag``
names the likeliest of them when it reaches its calibrated threshold.

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

from haven.adapters.nlu.encoder import FEATURE_DIMENSIONS, MIDDLE_LAYER, Encoder
from haven.domain.risk_combination import RiskThresholds
from haven.domain.sentences import sentences

__all__ = [
    "ARTEFACT",
    "CONTEXT_CLASS",
    "CONTEXT_WINDOW",
    "FEATURE_SPEC",
    "MESSAGE_SPEC",
    "NOT_A_RED_FLAG",
    "RED_FLAG_PREFIX",
    "SENTENCE_PROBABILITY",
    "RiskClassifier",
    "context_vector",
    "default_artefact",
    "message_probabilities",
    "risk_probabilities",
    "text_probabilities",
]

ARTEFACT = "risk_classifier.npz"
CONTEXT_WINDOW = 5  # earlier messages that count as context
CONTEXT_CLASS = "context_dependent"
# A sentence of a longer message counts on its own from this probability of risk: as for an
# earlier message that carries over (``services.risk.CARRY_PROBABILITY``), likelier than not.
# On the corpus validation split a lower cut-off (any sentence at the flag threshold) added
# false alarms and no recall.
SENTENCE_PROBABILITY = 0.5
RED_FLAG_PREFIX = "red_flag:"
NOT_A_RED_FLAG = "red_flag:none"
# Names the middle layer, so that an artefact trained on another one is refused at load.
FEATURE_SPEC = (
    f"e5-small-q4 query: [emb(text), unit(mean(layer {MIDDLE_LAYER}))]; "
    "context: mean(features(context[-5:]))"
)
MESSAGE_SPEC = (
    "softmax over risk kinds, none kinds, NLU labels, red flags and context_dependent; "
    "s = p(risk kinds) + p(context_dependent) * context head; "
    "p(risk) = s ** (1 - corpus_share) * corpus head ** corpus_share; "
    f"p(text) = max(p(text), p(sentence) where >= {SENTENCE_PROBABILITY})"
)

Matrix = npt.NDArray[np.float64]


def default_artefact() -> Path:
    """The packaged artefact's path (``haven/content/risk/risk_classifier.npz``)."""
    with as_file(files("haven.content.risk") / ARTEFACT) as path:
        return Path(path)


def context_vector(encoder: Encoder, context: Sequence[str]) -> Matrix | None:
    """The mean features of the last ``CONTEXT_WINDOW`` context messages, or None."""
    recent = context[-CONTEXT_WINDOW:]
    if not recent:
        return None
    return np.asarray(np.mean([encoder.features(line) for line in recent], axis=0))


def message_probabilities(messages: Matrix, artefact: dict[str, Any]) -> Matrix:
    """The message head's softmax over its classes for each row of ``messages`` (n x 768)."""
    z = messages @ artefact["message_weights"] + artefact["message_bias"]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def risk_probabilities(
    messages: Matrix,
    contexts: Matrix,
    has_context: npt.NDArray[np.bool_],
    artefact: dict[str, Any],
) -> Matrix:
    """P(risk) for each row of ``messages`` (n x 768) read after the matching row of
    ``contexts`` (ignored where ``has_context`` is false). ``artefact`` holds the arrays
    ``message_weights``, ``message_bias``, ``risk_mask``, ``context_mask``,
    ``context_weights``, ``context_bias``, ``no_context``, ``corpus_weights``, ``corpus_bias``
    and ``corpus_share``."""
    p = message_probabilities(messages, artefact)
    logit = contexts @ artefact["context_weights"] + artefact["context_bias"]
    distress = 1.0 / (1.0 + np.exp(-logit))
    turn = np.where(has_context, distress, float(artefact["no_context"]))
    score = p @ artefact["risk_mask"] + (p @ artefact["context_mask"]) * turn
    corpus_logit = messages @ artefact["corpus_weights"] + artefact["corpus_bias"]
    corpus = 1.0 / (1.0 + np.exp(-corpus_logit))
    share = float(artefact["corpus_share"])
    return np.asarray(np.clip(score, 0.0, 1.0) ** (1.0 - share) * corpus**share)


def text_probabilities(
    encoder: Encoder, pairs: Sequence[tuple[str, Sequence[str]]], artefact: dict[str, Any]
) -> Matrix:
    """P(risk) of each ``(text, context)``: that of the whole text, raised to that of any of
    its sentences (read after the same context) at or above ``SENTENCE_PROBABILITY``."""
    owners: list[int] = []
    pieces: list[str] = []
    wholes: list[bool] = []  # the whole text, not one of its sentences
    for k, (text, _) in enumerate(pairs):
        parts = sentences(text)
        for j, piece in enumerate([text, *parts] if len(parts) > 1 else [text]):
            owners.append(k)
            pieces.append(piece)
            wholes.append(j == 0)
    vectors = [context_vector(encoder, context) for _, context in pairs]
    has = np.array([vectors[k] is not None for k in owners])
    blank = np.zeros(FEATURE_DIMENSIONS)
    contexts = np.array([blank if vectors[k] is None else vectors[k] for k in owners])
    messages = np.array([encoder.features(piece) for piece in pieces])
    scores = risk_probabilities(messages, contexts, has, artefact)
    result = np.zeros(len(pairs))
    for k, whole, score in zip(owners, wholes, scores, strict=True):
        if whole or score >= SENTENCE_PROBABILITY:
            result[k] = max(result[k], score)
    return result


class RiskClassifier:
    """Implements the ``RiskModel`` port."""

    def __init__(
        self,
        *,
        arrays: dict[str, Any],
        thresholds: RiskThresholds,
        red_flag_threshold: float,
        metadata: dict[str, Any],
        encoder: Encoder | None = None,
    ) -> None:
        classes = len(arrays["classes"])
        message_shape = arrays["message_weights"].shape
        context_shape = arrays["context_weights"].shape
        if (
            message_shape != (FEATURE_DIMENSIONS, classes)
            or context_shape != (FEATURE_DIMENSIONS,)
            or arrays["corpus_weights"].shape != (FEATURE_DIMENSIONS,)
        ):
            raise ValueError(
                f"expected {FEATURE_DIMENSIONS} x {classes} message weights and "
                f"{FEATURE_DIMENSIONS} context weights, got {message_shape} and {context_shape}"
            )
        self._arrays = arrays
        self.classes = tuple(str(c) for c in arrays["classes"])
        self._thresholds = thresholds
        self._red_flag_threshold = red_flag_threshold
        self._red_flags = [
            (k, c.removeprefix(RED_FLAG_PREFIX))
            for k, c in enumerate(self.classes)
            if c.startswith(RED_FLAG_PREFIX) and c != NOT_A_RED_FLAG
        ]
        self.metadata = metadata
        self._encoder = encoder or Encoder()

    @classmethod
    def load(cls, path: Path | None = None, *, encoder: Encoder | None = None) -> RiskClassifier:
        """Read an artefact written by ``risk_training.train`` (the packaged one by default)."""
        with np.load(path or default_artefact(), allow_pickle=False) as saved:
            metadata: dict[str, Any] = json.loads(str(saved["metadata"]))
            if (
                metadata.get("feature_spec") != FEATURE_SPEC
                or metadata.get("model_spec") != MESSAGE_SPEC
            ):
                raise ValueError("the risk classifier was trained on other features: retrain it")
            classes = [str(c) for c in saved["classes"]]
            risk_classes = {str(c) for c in saved["risk_classes"]}
            arrays: dict[str, Any] = {
                "classes": classes,
                "message_weights": np.asarray(saved["message_weights"], dtype=np.float64),
                "message_bias": np.asarray(saved["message_bias"], dtype=np.float64),
                "risk_mask": np.array([float(c in risk_classes) for c in classes]),
                "context_mask": np.array([float(c == CONTEXT_CLASS) for c in classes]),
                "context_weights": np.asarray(saved["context_weights"], dtype=np.float64),
                "context_bias": float(saved["context_bias"]),
                "no_context": float(saved["no_context"]),
                "corpus_weights": np.asarray(saved["corpus_weights"], dtype=np.float64),
                "corpus_bias": float(saved["corpus_bias"]),
                "corpus_share": float(saved["corpus_share"]),
            }
            return cls(
                arrays=arrays,
                thresholds=RiskThresholds(
                    flag=float(saved["threshold"]), high=float(saved["high_threshold"])
                ),
                red_flag_threshold=float(saved["red_flag_threshold"]),
                metadata=metadata,
                encoder=encoder,
            )

    @property
    def thresholds(self) -> RiskThresholds:
        return self._thresholds

    @property
    def red_flag_threshold(self) -> float:
        return self._red_flag_threshold

    def red_flag(self, text: str) -> tuple[str, float] | None:
        """The likeliest red flag in ``text`` and its probability, if at the threshold."""
        if not self._red_flags:
            return None
        p = message_probabilities(self._encoder.features(text)[None, :], self._arrays)[0]
        index, code = max(self._red_flags, key=lambda flag: p[flag[0]])
        probability = float(p[index])
        return (code, probability) if probability >= self._red_flag_threshold else None

    def probability(self, text: str, context: Sequence[str]) -> float:
        """Probability (0-1) that ``text`` carries risk, given the earlier ``context``."""
        return float(text_probabilities(self._encoder, [(text, context)], self._arrays)[0])
