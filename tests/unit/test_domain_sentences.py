"""Splitting a message into sentences for the classifier to read each on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from haven.domain.sentences import MIN_WORDS, sentences


def test_a_message_splits_at_its_full_stops_question_marks_and_line_breaks() -> None:
    text = "Woke up late and missed the bus.\nMy boss gave me that look again! Was it fair?"
    assert sentences(text) == [
        "Woke up late and missed the bus.",
        "My boss gave me that look again! Was it fair?",
    ]


def test_short_fragments_join_their_neighbour() -> None:
    assert sentences("I've decided. Friday night. I wanted to tell someone, I guess.") == [
        "I've decided. Friday night.",
        "I wanted to tell someone, I guess.",
    ]
    assert sentences("ok so. the day went badly from the start") == [
        "ok so. the day went badly from the start"
    ]


def test_one_sentence_or_none_gives_at_most_one() -> None:
    assert sentences("no full stop here at all") == ["no full stop here at all"]
    assert sentences("   ") == []


@given(st.text(alphabet=st.sampled_from("ab .!?\n…"), max_size=80))
def test_splitting_keeps_every_word_in_order(text: str) -> None:
    parts = sentences(text)
    assert " ".join(parts).split() == text.split()
    if len(parts) > 1:
        assert all(len(part.split()) >= MIN_WORDS for part in parts)
