"""The encoder risk classifier: its artefact, its scores in five languages, and how its
probability combines with the rules layer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from haven.adapters.nlu.risk_classifier import FEATURE_SPEC, SENTENCE_PROBABILITY, RiskClassifier
from haven.content.risk import corpus_sha256, risk_lexicon
from haven.domain.risk import MessageRisk, RiskAssessment, assess
from haven.domain.risk_combination import (
    EARLIER_RISK_SIGNAL,
    MODEL_SIGNAL,
    RiskThresholds,
    carry_earlier_risk,
    combine,
    model_level,
    name_red_flag,
)
from haven.services.risk import CARRY_PROBABILITY, CARRY_WINDOW, check_message

THRESHOLDS = RiskThresholds(flag=0.5, high=0.9)
LEXICON = risk_lexicon()


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


def test_a_risky_sentence_buried_in_a_long_message_is_read_on_its_own(
    classifier: RiskClassifier,
) -> None:
    sentence = "maybe everyone would cope fine if i just slipped away quietly."
    day = (
        "Woke up late and missed the bus again, and my manager gave me that look when I "
        f"walked in. {sentence} Anyway I made pasta for dinner and watched the baking show."
    )
    assert assess(day, [], LEXICON).level is MessageRisk.NONE  # the rules miss it
    alone = classifier.probability(sentence, [])
    assert alone >= SENTENCE_PROBABILITY
    assert classifier.probability(day, []) == pytest.approx(alone)
    checked = check_message(day, [], lexicon=LEXICON, model=classifier)
    assert checked.flagged
    assert MODEL_SIGNAL in checked.signals


def test_an_ordinary_long_message_stays_below_the_threshold(classifier: RiskClassifier) -> None:
    day = (
        "The team meeting moved to Thursday afternoon. Can you remind me to bring the slides "
        "and the budget sheet? Also the printer on the second floor is jammed again."
    )
    assert classifier.probability(day, []) < classifier.thresholds.flag


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
    """A stand-in model that returns one probability (and, if given, one red flag), so the
    combination runs without E5."""

    def __init__(self, probability: float, red_flag: tuple[str, float] | None = None) -> None:
        self._probability = probability
        self._red_flag = red_flag

    @property
    def thresholds(self) -> RiskThresholds:
        return THRESHOLDS

    def probability(self, text: str, context: Sequence[str]) -> float:
        return self._probability

    @property
    def red_flag_threshold(self) -> float:
        return 0.5

    def red_flag(self, text: str) -> tuple[str, float] | None:
        return self._red_flag


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


RED_FLAGS = frozenset({"psychosis", "mania", "harm_to_others"})


def test_a_red_flag_the_model_names_is_low_and_says_why() -> None:
    result = name_red_flag(
        _rules(MessageRisk.NONE),
        code="mania",
        label="possible mania",
        probability=0.81,
        threshold=0.6,
        red_flags=RED_FLAGS,
    )
    assert result.level is MessageRisk.LOW
    assert result.signals == ("mania",)
    assert "0.81" in result.explanation
    assert "possible mania" in result.explanation
    assert not result.flagged


def test_a_red_flag_below_its_threshold_or_beside_one_the_rules_named_changes_nothing() -> None:
    quiet = _rules(MessageRisk.NONE)
    assert (
        name_red_flag(
            quiet, code="mania", label="m", probability=0.5, threshold=0.6, red_flags=RED_FLAGS
        )
        is quiet
    )
    named = RiskAssessment(MessageRisk.LOW, ("psychosis",), "The rules said so.")
    assert (
        name_red_flag(
            named, code="mania", label="m", probability=0.9, threshold=0.6, red_flags=RED_FLAGS
        )
        is named
    )


def test_a_red_flag_never_lowers_suicide_risk() -> None:
    result = name_red_flag(
        _rules(MessageRisk.HIGH),
        code="psychosis",
        label="p",
        probability=0.9,
        threshold=0.6,
        red_flags=RED_FLAGS,
    )
    assert result.level is MessageRisk.HIGH
    assert result.signals == ("ideation", "psychosis")


def test_the_service_names_the_models_red_flag_with_the_lexicons_label() -> None:
    model = _Fixed(0.1, red_flag=("psychosis", 0.9))
    result = check_message("zzqx", [], lexicon=risk_lexicon(), model=model)
    assert result.signals == ("psychosis",)
    assert "psychotic" in result.explanation
    assert "zzqx" not in result.explanation


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("my neighbours have put cameras in my walls and they read my thoughts", "psychosis"),
        (
            "haven't slept in three nights and i'm not even tired, i'm buying a boat tomorrow with "
            "my savings, everything is clicking",
            "mania",
        ),
        (
            "can you tell me one more time that i turned the iron off, i need to hear it",
            "reassurance_seeking",
        ),
        (
            "down to 600 calories a day but i still look huge, how do i push it to 400",
            "disordered_eating",
        ),
        ("my partner locks me in when he goes out and takes my phone", "danger_from_others"),
        (
            "i want to make my neighbour pay, i've been thinking about how to hurt him properly",
            "harm_to_others",
        ),
    ],
)
def test_red_flags_in_words_the_rules_do_not_list_are_named(
    classifier: RiskClassifier, text: str, flag: str
) -> None:
    result = check_message(text, [], lexicon=risk_lexicon(), model=classifier)
    assert flag in result.signals


@pytest.mark.parametrize(
    "text",
    [
        "how many grams of protein should i eat after the gym",
        "slept great and feel full of energy for the presentation today",
        "my brother ate my last cookie, i'm going to get him back at dinner haha",
    ],
)
def test_their_look_alikes_are_not_named(classifier: RiskClassifier, text: str) -> None:
    result = check_message(text, [], lexicon=risk_lexicon(), model=classifier)
    assert not {"psychosis", "mania", "disordered_eating", "harm_to_others"} & set(result.signals)


def test_an_unflagged_message_takes_the_highest_flagged_level_before_it() -> None:
    earlier = [_rules(MessageRisk.MODERATE), _rules(MessageRisk.LOW), _rules(MessageRisk.HIGH)]
    result = carry_earlier_risk(_rules(MessageRisk.LOW), earlier)
    assert result.level is MessageRisk.HIGH
    assert result.signals == ("ideation", EARLIER_RISK_SIGNAL)
    assert "earlier message" in result.explanation
    assert "Alone it was low" in result.explanation


def test_a_flagged_message_or_a_calm_conversation_carries_nothing() -> None:
    flagged = _rules(MessageRisk.MODERATE)
    assert carry_earlier_risk(flagged, [_rules(MessageRisk.IMMINENT)]) is flagged
    calm = _rules(MessageRisk.NONE)
    assert carry_earlier_risk(calm, [_rules(MessageRisk.LOW), calm]) is calm


@pytest.mark.parametrize(
    ("context", "text"),
    [
        (["I don't want to be alive anymore", "I've made up my mind"], "can you write to my mom?"),
        (["I'm going to end my life this weekend"], "I feel calm for the first time in months"),
        (["Quiero suicidarme", "ya lo decidí"], "¿me ayudas a escribirle a mi madre?"),
    ],
)
def test_plain_words_after_a_flagged_message_are_read_in_its_light(
    context: list[str], text: str
) -> None:
    lexicon = risk_lexicon()
    assert not check_message(text, [], lexicon=lexicon, model=None).flagged
    result = check_message(text, context, lexicon=lexicon, model=None)
    assert result.flagged
    assert EARLIER_RISK_SIGNAL in result.signals


def test_an_earlier_message_carries_the_level_it_had_when_it_was_sent() -> None:
    # "thinking about the cliffs" is low alone and moderate after the loss before it; the
    # question after both is read in the light of that moderate.
    lexicon = risk_lexicon()
    talk = ["the divorce papers came today", "I keep thinking about the cliffs"]
    assert not check_message(talk[1], [], lexicon=lexicon, model=None).flagged
    assert check_message(talk[1], talk[:1], lexicon=lexicon, model=None).flagged
    result = check_message("is the coastal path open at night?", talk, lexicon=lexicon, model=None)
    assert result.level is MessageRisk.MODERATE
    assert EARLIER_RISK_SIGNAL in result.signals
    calm = ["we moved house last spring", "I keep thinking about the cliffs"]
    assert not check_message(
        "is the coastal path open at night?", calm, lexicon=lexicon, model=None
    ).flagged


def test_an_earlier_message_is_read_in_context_only_where_context_can_raise_it() -> None:
    lexicon = risk_lexicon()
    before = ["the divorce papers came today"]
    for line in ["I keep thinking about the cliffs", "we had pasta", "my phone died"]:
        assert lexicon.assess_earlier(line, before) == assess(line, before, lexicon)
    assert lexicon.assess_earlier("we had pasta", before) is lexicon.assess_alone("we had pasta")


def test_risk_carries_over_only_the_last_few_messages() -> None:
    lexicon = risk_lexicon()
    talk = ["I want to kill myself", *["we talked about my garden"] * CARRY_WINDOW]
    assert not check_message("thanks for listening", talk, lexicon=lexicon, model=None).flagged
    recent = talk[:CARRY_WINDOW]
    assert check_message("thanks for listening", recent, lexicon=lexicon, model=None).flagged


class _Scores(_Fixed):
    """A stand-in model with a score per text (0 for any other) and a low flag threshold."""

    def __init__(self, scores: dict[str, float]) -> None:
        super().__init__(0.0)
        self._scores = scores

    @property
    def thresholds(self) -> RiskThresholds:
        return RiskThresholds(flag=0.3, high=0.9)

    def probability(self, text: str, context: Sequence[str]) -> float:
        return self._scores.get(text, 0.0)


def test_an_earlier_message_the_model_alone_flags_carries_only_when_risk_is_likelier() -> None:
    lexicon = risk_lexicon()
    weak = _Scores({"zzqx one": CARRY_PROBABILITY - 0.1})
    assert check_message("zzqx one", [], lexicon=lexicon, model=weak).flagged
    assert not check_message("zzqx two", ["zzqx one"], lexicon=lexicon, model=weak).flagged
    strong = _Scores({"zzqx one": CARRY_PROBABILITY + 0.1})
    carried = check_message("zzqx two", ["zzqx one"], lexicon=lexicon, model=strong)
    assert carried.level is MessageRisk.MODERATE
    assert carried.signals == (EARLIER_RISK_SIGNAL,)
