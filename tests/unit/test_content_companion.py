"""The companion's content: flows, replies and rule words load, cite sources and refuse
broken files."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from haven.content import flows, output_guard_patterns, replies, words
from haven.content.nlu import TASKS, corpus
from haven.domain.conversation.analysis import DISTORTIONS, EMOTIONS, INTENTS
from haven.domain.conversation.flows import Flow, FlowKind
from haven.domain.output_guard import guard

REQUIRED = {
    "mood_check_in",
    "thought_record",
    "behavioural_activation",
    "grounding",
    "breathing",
    "gratitude",
    "problem_solving",
    "learn_depression",
    "learn_anxiety",
    "learn_panic",
    "learn_sleep",
    "learn_rumination",
}


def test_every_flow_the_companion_offers_is_there_and_cites_its_source() -> None:
    loaded = flows()
    assert set(loaded) >= REQUIRED
    for flow in loaded.values():
        assert len(flow.source) > 40
        assert set(flow.suits) <= set(EMOTIONS)
    assert {f.kind for f in loaded.values()} == set(FlowKind)


def test_no_flow_text_or_reply_carries_means_information() -> None:
    texts = [
        value for flow in flows().values() for step in flow.steps for value in step.say.values()
    ]
    texts += [text for red_flag in replies().red_flags.values() for text in red_flag.values()]
    for text in texts:
        assert not guard(text, patterns=output_guard_patterns()).blocked, text


def _breathing() -> dict[str, Any]:
    return yaml.safe_load(flows()["breathing"].model_dump_json())


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda f: f["steps"][1]["say"].update(en="You said {later}", es="Dijiste {later}"),
            "quotes later",
        ),
        (lambda f: f["steps"][1]["say"].update(en="You said {mood_before}"), "different"),
        (lambda f: f["steps"][0].pop("min"), "needs min and max"),
        (lambda f: f["steps"][0]["say"].pop("es"), "missing text in es"),
        (lambda f: f.update(source="me"), "at least 20"),
        (lambda f: f["steps"][1].update(store="x"), "`store` is required"),
        (lambda f: f["steps"][0].update(max=7), "mood rating is a 0-10"),
        (lambda f: f["aliases"].pop("es"), "aliases in es"),
    ],
)
def test_a_broken_flow_is_refused_at_load(breakage: Any, message: str) -> None:
    broken = copy.deepcopy(_breathing())
    breakage(broken)
    with pytest.raises(ValueError, match=message):
        Flow.model_validate(broken)


def test_replies_cover_every_emotion_distortion_and_red_flag_in_both_languages() -> None:
    loaded = replies()
    assert set(loaded.reflections) == set(EMOTIONS)
    assert set(loaded.distortions) == set(DISTORTIONS) - {"none"}
    for reflection in loaded.reflections.values():
        assert all("{topic}" in text for text in reflection.with_topic["es"])


@pytest.mark.parametrize(
    ("text", "lang", "yes", "no"),
    [
        ("yes please", "en", True, False),
        ("sure, let's do it", "en", True, False),
        ("nope", "en", False, True),
        ("not now", "en", False, True),
        ("sí, claro", "es", True, False),
        ("no, gracias", "es", False, True),
    ],
)
def test_yes_and_no_are_read_by_rule(text: str, lang: str, yes: bool, no: bool) -> None:
    assert words().is_yes(text, lang) is yes
    assert words().is_no(text, lang) is no


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), ("about a 6/10", 6), ("seven", 7), ("11", None), ("-1", None), ("meh", None)],
)
def test_ratings_are_read_only_when_they_fit(text: str, expected: int | None) -> None:
    assert words().rating(text, "en", low=0, high=10) == expected


def test_what_the_member_names_is_remembered_in_their_words() -> None:
    found = words().mentions("worried about my thesis and my sister is not talking to me", "en")
    assert found.stressors == ("my thesis",)
    assert found.people == ("my sister",)


def test_the_nlu_corpus_has_every_label_in_train_and_test() -> None:
    expected = {"emotion": set(EMOTIONS), "intent": set(INTENTS), "distortion": set(DISTORTIONS)}
    for task in TASKS:
        items = corpus(task)
        for split in ("train", "test"):
            assert {i.label for i in items if i.split == split} == expected[task]
        texts = [i.text.casefold() for i in items]
        assert len(texts) == len(set(texts)), f"{task} has duplicate texts"
