"""The packaged emotion, intent and distortion classifier, really run on its encoder."""

from __future__ import annotations

from functools import cache

import pytest

from haven.adapters.nlu.message_classifier import MessageClassifier
from haven.bootstrap import message_analyser
from haven.content.nlu import corpus_sha256


@cache
def classifier() -> MessageClassifier:
    loaded = message_analyser()
    assert isinstance(loaded, MessageClassifier)
    return loaded


def test_the_packaged_classifier_was_trained_on_the_corpus_as_it_is_now() -> None:
    assert classifier().metadata["corpus_sha256"] == corpus_sha256(), "run `haven train nlu`"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("thank you, that really helped", "gratitude"),
        ("are you a bot or a real human", "ask_if_human"),
        ("can you teach me a breathing exercise", "ask_exercise"),
        ("good morning!", "greeting"),
        ("¿quién puede leer lo que escribo aquí?", "ask_about_haven"),
    ],
)
def test_it_reads_what_the_member_wants(text: str, intent: str) -> None:
    assert classifier().analyse(text).intent == intent


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("I'm terrified about the biopsy results tomorrow", "anxiety"),
        ("nobody has called me in weeks, I eat dinner alone every night", "loneliness"),
        ("I got the job!!! I can't stop smiling", "joy"),
    ],
)
def test_it_reads_the_emotion(text: str, emotion: str) -> None:
    analysis = classifier().analyse(text)
    assert analysis.emotion == emotion
    assert -1.0 <= analysis.sentiment <= 1.0


def test_sentiment_follows_the_emotion() -> None:
    assert classifier().analyse("I got the job!!! I can't stop smiling").sentiment > 0
    assert classifier().analyse("I'm terrified about the biopsy results").sentiment < 0


def test_it_names_a_should_statement() -> None:
    analysis = classifier().analyse("I must never make a single mistake at work, ever")
    assert analysis.distortion in {"should_statements", "all_or_nothing"}
