"""Reading answers given in printed order (``haven score phq9 0 1 2 ...`` or a JSON list)."""

from __future__ import annotations

import pytest
from hypothesis import given
from tests.strategies import answer_sets

from haven.content import instruments
from haven.domain.answers import SKIPPED, answers_from_sequence, parse_answer
from haven.domain.errors import InvalidInput
from haven.domain.instruments import Instrument
from haven.domain.scoring import score

PHQ9 = instruments()["phq9"]
CSSRS = instruments()["cssrs"]
CSSRS_PRINTED = ["q1", "q2", "q3", "q4", "q5", "q6", "q6b"]


def scored(instrument: Instrument, values: list[int | None]) -> tuple[str, list[str]]:
    """What a person sees: the severity and the flags raised."""
    result = score(instrument=instrument, answers=answers_from_sequence(instrument, values))
    return result.severity, [flag.code for flag in result.flags]


# --- PHQ-9 in printed order -----------------------------------------------------------------


def test_phq9_answers_are_read_in_printed_order() -> None:
    answers = answers_from_sequence(PHQ9, [0, 1, 2, 3, 0, 1, 2, 3, 1])

    assert answers == {
        "phq9_1": 0,
        "phq9_2": 1,
        "phq9_3": 2,
        "phq9_4": 3,
        "phq9_5": 0,
        "phq9_6": 1,
        "phq9_7": 2,
        "phq9_8": 3,
        "phq9_9": 1,
    }
    assert score(instrument=PHQ9, answers=answers).total == 13


def test_too_many_answers_are_refused_naming_both_counts() -> None:
    with pytest.raises(InvalidInput) as caught:
        answers_from_sequence(PHQ9, [0] * 10)

    assert caught.value.field == "answers"
    assert "9 questions" in str(caught.value)
    assert "10 answers" in str(caught.value)


@pytest.mark.parametrize("count", [0, 1, 8])
def test_too_few_answers_are_refused_naming_the_first_unanswered_item(count: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        answers_from_sequence(PHQ9, [0] * count)

    first_missing = f"phq9_{count + 1}"
    assert caught.value.field == first_missing
    assert first_missing in str(caught.value)
    assert f"only {count} answers" in str(caught.value)


def test_a_skipped_phq9_question_is_reported_when_scored() -> None:
    answers = answers_from_sequence(PHQ9, [0, 1, SKIPPED, 0, 0, 0, 0, 0, 0])

    assert "phq9_3" not in answers
    with pytest.raises(InvalidInput) as caught:
        score(instrument=PHQ9, answers=answers)
    assert caught.value.field == "phq9_3"


# --- C-SSRS: only the questions asked, or one entry per printed question ----------------------


def test_the_compact_cssrs_form_reads_only_the_questions_asked() -> None:
    # q1 yes, q2 no (so 3-5 are not asked), q6 no (so its follow-up is not asked).
    assert answers_from_sequence(CSSRS, [1, 0, 0]) == {"q1": 1, "q2": 0, "q6": 0}


def test_the_compact_cssrs_form_follows_a_yes_to_2_into_questions_3_to_5() -> None:
    assert answers_from_sequence(CSSRS, [0, 1, 1, 0, 0, 1, 0]) == {
        "q1": 0,
        "q2": 1,
        "q3": 1,
        "q4": 0,
        "q5": 0,
        "q6": 1,
        "q6b": 0,
    }


@pytest.mark.parametrize(
    ("compact", "full_forms", "expected"),
    [
        (
            [1, 0, 0],
            [[1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [1, 0, None, None, None, 0, None]],
            ("low", ["wish_to_be_dead"]),
        ),
        (
            [0, 0, 1, 0],
            [[0, 0, 0, 0, 0, 1, 0], [0, 0, None, None, None, 1, 0]],
            ("moderate", ["suicidal_behaviour_lifetime"]),
        ),
        (
            [0, 0, 1],
            [[0, 0, 0, 0, 0, 1], [0, 0, None, None, None, 1, None], [0, 0, 0, 0, 0, 1, None]],
            ("high", ["suicidal_behaviour_lifetime", "suicidal_behaviour_recent"]),
        ),
        (
            [0, 1, 1, 0, 0, 0],
            [[0, 1, 1, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0, None]],
            ("moderate", ["suicidal_thoughts", "suicidal_thoughts_with_method"]),
        ),
        (
            [0, 0, 0],
            [[0, 0, 0, 0, 0, 0, 0], [0, 0, None, None, None, 0]],
            ("none", []),
        ),
    ],
)
def test_the_compact_and_full_cssrs_forms_score_the_same(
    compact: list[int | None],
    full_forms: list[list[int | None]],
    expected: tuple[str, list[str]],
) -> None:
    assert scored(CSSRS, compact) == expected
    for full in full_forms:
        assert scored(CSSRS, full) == expected, full


def _compact(answers: dict[str, int]) -> list[int | None]:
    return [answers[q] for q in CSSRS_PRINTED if q in answers]


def _full(answers: dict[str, int], filler: int | None) -> list[int | None]:
    """One entry per printed question: ``filler`` for those skip logic does not ask, and a
    blank for a follow-up that was asked but left unanswered."""
    values: list[int | None] = []
    for question in CSSRS_PRINTED:
        if question in answers:
            values.append(answers[question])
        elif question == "q6b" and answers["q6"] == 1:
            values.append(SKIPPED)
        else:
            values.append(filler)
    return values


@given(answers=answer_sets(CSSRS))
def test_any_cssrs_answer_set_reads_the_same_in_either_form(answers: dict[str, int]) -> None:
    expected = score(instrument=CSSRS, answers=answers)

    for values in (_compact(answers), _full(answers, 0), _full(answers, SKIPPED)):
        result = score(instrument=CSSRS, answers=answers_from_sequence(CSSRS, values))
        assert (result.severity, result.flags) == (expected.severity, expected.flags), values


@pytest.mark.parametrize(
    ("values", "contradiction"),
    [
        ([0, 0, 1, 0, 0, 0, 0], "q3"),
        ([0, 0, 0, 1, 0, 0, 0], "q4"),
        ([0, 0, 0, 0, 1, 0, 0], "q5"),
        ([0, 0, None, None, 1, 0], "q5"),
        ([0, 0, 0, 0, 0, 0, 1], "q6b"),
    ],
)
def test_a_yes_to_a_question_skip_logic_does_not_ask_is_reported(
    values: list[int | None], contradiction: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        score(instrument=CSSRS, answers=answers_from_sequence(CSSRS, values))

    assert caught.value.field == contradiction


def test_a_compact_cssrs_list_that_stops_inside_3_to_5_is_refused_naming_the_item() -> None:
    with pytest.raises(InvalidInput) as caught:
        answers_from_sequence(CSSRS, [0, 1, 0, 0])

    assert caught.value.field == "q5"
    assert "q5" in str(caught.value)


def test_more_answers_than_cssrs_questions_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        answers_from_sequence(CSSRS, [0] * 8)

    assert caught.value.field == "answers"
    assert "7 questions" in str(caught.value)


# --- One printed answer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("yes", 1),
        ("Yes", 1),
        ("y", 1),
        ("TRUE", 1),
        ("true", 1),
        ("si", 1),
        ("Sí", 1),
        ("no", 0),
        ("N", 0),
        ("false", 0),
        ("-", SKIPPED),
        ("skip", SKIPPED),
        ("n/a", SKIPPED),
        ("0", 0),
        ("3", 3),
        (" 2 ", 2),
        ("4\n", 4),
    ],
)
def test_a_printed_answer_is_a_number_yes_no_or_a_dash(token: str, value: int | None) -> None:
    assert parse_answer(token, position=1) == value


@pytest.mark.parametrize("token", ["maybe", "often", "three", "1.5", "", "yess", "¿sí?"])
def test_a_word_that_is_not_an_answer_is_refused_naming_its_position(token: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_answer(token, position=3)

    assert caught.value.field == "answers[3]"
    assert "3" in str(caught.value)


def test_printed_words_score_like_the_numbers_they_stand_for() -> None:
    tokens = ["yes", "no", "-", "-", "-", "yes", "no"]
    values = [parse_answer(token, position=n) for n, token in enumerate(tokens, start=1)]

    assert scored(CSSRS, values) == ("moderate", ["wish_to_be_dead", "suicidal_behaviour_lifetime"])
