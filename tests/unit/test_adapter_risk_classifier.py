"""The encoder risk classifier: its artefact, its scores in five languages, and how its
probability combines with the rules layer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from haven.adapters.nlu.risk_classifier import FEATURE_SPEC, RiskClassifier
from haven.content.risk import corpus_sha256, risk_lexicon
from haven.domain.risk import MessageRisk, RiskAssessment, assess
from haven.domain.risk_combination import MODEL_SIGNAL, RiskThresholds, combine, model_level
from haven.services.risk import check_message

THRESHOLDS = RiskThresholds(flag=0.5, high=0.9)


@pytest.fixture(scope="module")
def classifier() -> RiskClassifier:
    return RiskClassifier.load()


def test_the_artefact_was_trained_on_the_corpus_as_it_is_now(classifier: RiskClassifier) -> None:
    # A corpus edited without `make train-risk` fails here.
    assert classifier.metadata["corpus_sha256"] == corpus_sha256()
    assert classifier.metadata["feature_spec"] == FEATURE_SPEC


def test_the_thresholds_meet_the_recall_target_on_validation(classifier: RiskClassifier) -> None:
    combined = classifier.metadata["validation"]["combined"]
    assert combined["recall"] >= classifier.metadata["target_recall"]
    assert 0 < classifier.thresholds.flag <= classifier.thresholds.high < 1


@pytest.mark.parametrize(
    "text",
    [
        "I have been cutting myself again",
        "ya tengo las pastillas guardadas para esta noche",
        "je veux mourir, je n'en peux plus",
        "ich habe die Tabletten gesammelt, heute Nacht ist es soweit",
        "já escrevi as cartas de despedida",
    ],
)
def test_clear_risk_scores_above_the_threshold(classifier: RiskClassifier, text: str) -> None:
    assert classifier.probability(text, []) >= classifier.thresholds.flag


@pytest.mark.parametrize(
    "text",
    [
        "the meeting moved to thursday",
        "¿vamos al cine esta noche?",
        "la réunion est jeudi",
        "das Meeting ist am Donnerstag",
        "a reunião é na quinta-feira",
    ],
)
def test_everyday_messages_score_below_the_threshold(classifier: RiskClassifier, text: str) -> None:
    assert classifier.probability(text, []) < classifier.thresholds.flag


def test_a_bridge_question_reads_as_risk_after_a_loss(classifier: RiskClassifier) -> None:
    question = "how tall is that bridge over the river?"
    assert classifier.probability(question, ["I lost my job today"]) >= classifier.thresholds.flag


def test_the_same_question_reads_as_harmless_after_happy_news(classifier: RiskClassifier) -> None:
    question = "how tall is that bridge over the river?"
    context = ["we're visiting the city on holiday, so excited"]
    assert classifier.probability(question, context) < classifier.thresholds.flag


SMALL_TALK = ["my cat knocked over my coffee again lol", "anyway, what should we talk about today?"]


@pytest.mark.parametrize(
    "text",
    [
        "I have been cutting myself again",
        "ya tengo las pastillas guardadas para esta noche",
        "je veux mourir, je n'en peux plus",
        "ich habe die Tabletten gesammelt, heute Nacht ist es soweit",
        "já escrevi as cartas de despedida",
    ],
)
def test_small_talk_before_clear_risk_does_not_hide_it(
    classifier: RiskClassifier, text: str
) -> None:
    assert classifier.probability(text, SMALL_TALK) >= classifier.thresholds.flag


@pytest.mark.parametrize(
    "text",
    [
        "this commute is killing me",
        "Bought our first house today... just so happy",
        "I missed two deadlines this month",
    ],
)
def test_ordinary_messages_stay_below_the_threshold_with_or_without_small_talk(
    classifier: RiskClassifier, text: str
) -> None:
    assert classifier.probability(text, []) < classifier.thresholds.flag
    assert classifier.probability(text, SMALL_TALK) < classifier.thresholds.flag


def test_the_artefact_records_the_ordinary_false_positive_rates(
    classifier: RiskClassifier,
) -> None:
    validation = classifier.metadata["validation"]
    assert validation["ordinary"]["items"] > 0
    for rate in (
        validation["ordinary"]["false_positive_rate"],
        validation["ordinary"]["false_positive_rate_in_context"],
        validation["after_ordinary_context"]["false_positive_rate"],
    ):
        assert 0 <= rate <= 1
    assert set(classifier.metadata["validation"]) >= {"combined", "model_only", "rules_only"}


class _Fixed:
    """A stand-in model that returns one probability, so the combination runs without E5."""

    def __init__(self, probability: float) -> None:
        self._probability = probability

    @property
    def thresholds(self) -> RiskThresholds:
        return THRESHOLDS

    def probability(self, text: str, context: Sequence[str]) -> float:
        return self._probability


def _rules(level: MessageRisk) -> RiskAssessment:
    return RiskAssessment(level, ("ideation",) if level.rank else (), "The rules said so.")


@pytest.mark.parametrize(
    ("probability", "expected"),
    [(0.2, MessageRisk.NONE), (0.5, MessageRisk.MODERATE), (0.95, MessageRisk.HIGH)],
)
def test_the_model_level_follows_the_two_thresholds(
    probability: float, expected: MessageRisk
) -> None:
    assert model_level(probability, THRESHOLDS) is expected


def test_a_score_below_the_threshold_leaves_the_rules_untouched() -> None:
    rules = _rules(MessageRisk.HIGH)
    assert combine(rules, probability=0.1, thresholds=THRESHOLDS) is rules


def test_the_model_raises_a_message_the_rules_missed_and_says_why() -> None:
    result = combine(_rules(MessageRisk.NONE), probability=0.934, thresholds=THRESHOLDS)
    assert result.level is MessageRisk.HIGH
    assert result.signals == (MODEL_SIGNAL,)
    assert "0.93" in result.explanation
    assert result.flagged


def test_the_model_never_lowers_what_the_rules_found() -> None:
    result = combine(_rules(MessageRisk.IMMINENT), probability=0.6, thresholds=THRESHOLDS)
    assert result.level is MessageRisk.IMMINENT
    assert result.signals == ("ideation", MODEL_SIGNAL)
    assert result.explanation.startswith("The rules said so.")


def test_the_explanation_never_quotes_the_message() -> None:
    text = "zzqx plans the unusual thing"
    result = check_message(text, [], lexicon=risk_lexicon(), model=_Fixed(0.7))
    assert result.level is MessageRisk.MODERATE
    assert "zzqx" not in result.explanation


def test_without_a_model_the_service_is_the_rules_layer() -> None:
    text = "I want to kill myself"
    lexicon = risk_lexicon()
    assert check_message(text, [], lexicon=lexicon, model=None) == assess(text, [], lexicon)


def test_thresholds_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="thresholds"):
        RiskThresholds(flag=0.9, high=0.5)


@pytest.mark.parametrize(
    "text",
    [
        "My mom is going to kill me, I forgot her birthday",
        "I'm so bored I could die",
        "What's a safe dose of melatonin?",
        "¿Cuál es la dosis máxima de ibuprofeno para un dolor de cabeza fuerte?",
        "tô preocupada com uma amiga, ela me contou que se corta. como posso ajudar?",
    ],
)
def test_a_harmless_reading_the_rules_recognised_needs_the_high_threshold(text: str) -> None:
    lexicon = risk_lexicon()
    unsure = check_message(text, [], lexicon=lexicon, model=_Fixed(0.7))
    assert unsure.level is MessageRisk.NONE
    assert unsure.set_aside
    sure = check_message(text, [], lexicon=lexicon, model=_Fixed(0.95))
    assert sure.level is MessageRisk.HIGH
    assert MODEL_SIGNAL in sure.signals


def test_distress_in_the_conversation_keeps_the_ordinary_threshold() -> None:
    text = "What's the maximum dose of ibuprofen for a headache?"
    context = ["I lost my job today and I feel hopeless"]
    result = check_message(text, context, lexicon=risk_lexicon(), model=_Fixed(0.7))
    assert result.flagged


def test_a_bare_i_could_die_is_no_figure_of_speech() -> None:
    text = "I could die tonight and nobody would care"
    result = check_message(text, [], lexicon=risk_lexicon(), model=_Fixed(0.6))
    assert result.flagged
    assert not result.set_aside
