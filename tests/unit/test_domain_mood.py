"""Mood check-ins: the 0-10 scale, the tag vocabulary, the note, and the daily series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.domain.conversation.analysis import EMOTIONS
from haven.domain.errors import InvalidInput
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.domain.mood import (
    MAX_RATING,
    MIN_RATING,
    MOOD_TAGS,
    RATING_WORDS,
    DailyMood,
    check_in_problems,
    check_note,
    check_rating,
    check_tags,
    daily_means,
)

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("rating", [0, 5, 10])
def test_every_whole_number_from_0_to_10_is_a_rating(rating: int) -> None:
    assert check_rating(rating) == rating


@pytest.mark.parametrize("rating", [-1, 11, 100])
def test_a_rating_outside_0_to_10_names_the_field_and_the_range(rating: int) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_rating(rating)
    assert raised.value.field == "rating"
    assert raised.value.params == {"minimum": 0, "maximum": 10}


@pytest.mark.parametrize("rating", [None, True])
def test_a_missing_rating_asks_the_member_to_choose_one(rating: int | None) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_rating(rating)
    assert raised.value.field == "rating"
    assert "0 to 10" in raised.value.message


def test_the_scale_is_anchored_at_both_ends() -> None:
    assert (MIN_RATING, MAX_RATING) == (0, 10)
    assert RATING_WORDS[0] == "very low"
    assert RATING_WORDS[10] == "very good"


def test_tags_come_back_once_each_in_vocabulary_order() -> None:
    assert check_tags(["tiredness", "calm", "tiredness", "joy"]) == ("joy", "calm", "tiredness")
    assert check_tags([]) == ()


def test_an_unknown_tag_is_refused_on_the_tags_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        check_tags(["calm", "hungry"])
    assert raised.value.field == "tags"


def test_tags_that_name_a_companion_emotion_use_its_id() -> None:
    shared = set(MOOD_TAGS) & set(EMOTIONS)
    assert shared == set(EMOTIONS) - {"neutral"}


@pytest.mark.parametrize("note", [None, "", "   \n"])
def test_a_blank_note_is_no_note(note: str | None) -> None:
    assert check_note(note) is None


def test_a_note_is_checked_like_any_free_text() -> None:
    assert check_note("Slept well.") == "Slept well."
    with pytest.raises(InvalidInput) as raised:
        check_note("x" * (MAX_FREE_TEXT_LENGTH + 1))
    assert raised.value.field == "note"


def test_a_form_hears_of_every_problem_at_once() -> None:
    problems = check_in_problems(
        rating=None, tags=["hungry"], note="x" * (MAX_FREE_TEXT_LENGTH + 1)
    )
    assert [p.field for p in problems] == ["rating", "tags", "note"]
    assert check_in_problems(rating=7, tags=["calm"], note=None) == []


def test_daily_means_give_one_point_per_day_oldest_first() -> None:
    points = [
        (DAY + timedelta(days=1), 8),
        (DAY, 3),
        (DAY + timedelta(hours=5), 4),
    ]
    assert daily_means(points) == [
        DailyMood(day=DAY.date(), mean=3.5, count=2),
        DailyMood(day=(DAY + timedelta(days=1)).date(), mean=8.0, count=1),
    ]
    assert daily_means([]) == []


def test_days_are_counted_in_the_zone_asked_for() -> None:
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert daily_means([(late, 6)])[0].day.day == 20
    assert daily_means([(late, 6)], zone=timezone(timedelta(hours=2)))[0].day.day == 21


@given(
    st.lists(
        st.tuples(
            st.datetimes(
                min_value=datetime(2020, 1, 1),
                max_value=datetime(2030, 1, 1),
                timezones=st.just(UTC),
            ),
            st.integers(min_value=MIN_RATING, max_value=MAX_RATING),
        ),
        max_size=40,
    )
)
def test_every_daily_mean_stays_on_the_scale_and_counts_every_check_in(
    points: list[tuple[datetime, int]],
) -> None:
    days = daily_means(points)
    assert all(MIN_RATING <= d.mean <= MAX_RATING for d in days)
    assert sum(d.count for d in days) == len(points)
    assert [d.day for d in days] == sorted({d.day for d in days})
