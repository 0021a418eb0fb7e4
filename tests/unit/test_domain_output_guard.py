"""The output guard: no reply Haven sends carries a lethal amount, a height or place to jump
from, or a method, in any supported language, however it is wrapped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.content import output_guard_patterns
from haven.domain.output_guard import SAFE_REPLY, guard

MEANS = [
    ("The lethal dose of paracetamol is about 150 mg per kg.", "lethal_amount"),
    ("Taking 40 tablets would be fatal.", "lethal_amount"),
    ("An overdose starts at 10 g for most adults.", "lethal_amount"),
    ("La dosis letal de ibuprofeno es alta.", "lethal_amount"),
    ("Une dose létale de ce médicament est connue.", "lethal_amount"),
    ("Die tödliche Dosis liegt bei 5 Gramm.", "lethal_amount"),
    ("The Golden Gate Bridge is 67 m high above the water.", "height_or_place"),
    ("Here are the tallest bridges in Paris: the first is...", "height_or_place"),
    ("Los puentes más altos de Madrid son estos.", "height_or_place"),
    ("A fall from 20 metres is usually fatal.", "height_or_place"),
    ("Here is how to hang yourself safely.", "method"),
    ("First, tie a noose like this.", "method"),
    ("Cómo ahorcarse: paso uno.", "method"),
]
SAFE = [
    "That sounds really hard. I'm here with you.",
    "Take 400 mg of ibuprofen with food for a headache, as your pharmacist said.",
    "The bridge walk along the river is lovely in spring.",
    "Breathe in for 4 seconds, hold for 7, and out for 8.",
    "I climbed 30 floors of stairs today!",
    "Would you like to look at your safety plan together?",
    "Este puente es precioso al atardecer.",
]


@pytest.mark.parametrize(("reply", "kind"), MEANS)
def test_a_reply_with_means_information_is_replaced_whole(reply: str, kind: str) -> None:
    result = guard(reply, patterns=output_guard_patterns())

    assert result.blocked
    assert kind in result.reasons
    assert result.text == SAFE_REPLY


@pytest.mark.parametrize("reply", SAFE)
def test_an_ordinary_reply_passes_unchanged(reply: str) -> None:
    result = guard(reply, patterns=output_guard_patterns())

    assert not result.blocked
    assert result.text == reply


@given(
    before=st.sampled_from(SAFE),
    means=st.sampled_from([reply for reply, _ in MEANS]),
    after=st.sampled_from(SAFE),
    shout=st.booleans(),
)
def test_means_information_is_caught_inside_any_friendly_wrapping(
    before: str, means: str, after: str, shout: bool
) -> None:
    reply = f"{before} {means.upper() if shout else means} {after}"

    assert guard(reply, patterns=output_guard_patterns()).blocked


def test_the_safe_reply_itself_passes_the_guard() -> None:
    assert not guard(SAFE_REPLY, patterns=output_guard_patterns()).blocked
