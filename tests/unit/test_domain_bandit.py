"""The exercise bandit: rewards, the clinical cold start, learning per member, simulation."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.domain.personalization.bandit import BanditState, Context, ExerciseBandit, reward
from haven.domain.personalization.simulation import simulate

SUITS = {
    "breathing": ["anxiety", "anger"],
    "behavioural_activation": ["sadness"],
    "gratitude": ["calm"],
}
ANXIOUS = Context(emotion="anxiety", daypart="evening", mood="low")


def test_reward_counts_mood_change_and_helpfulness_equally() -> None:
    assert reward(mood_before=3, mood_after=5, helpful=True) == 1.0
    assert reward(mood_before=5, mood_after=3, helpful=False) == 0.0
    assert reward(mood_before=4, mood_after=4, helpful=None) == 0.5
    assert reward(mood_before=None, mood_after=None, helpful=True) == 1.0
    assert reward(mood_before=None, mood_after=7, helpful=None) is None


@given(st.integers(0, 10) | st.none(), st.integers(0, 10) | st.none(), st.booleans() | st.none())
def test_reward_always_lies_between_0_and_1(
    before: int | None, after: int | None, helpful: bool | None
) -> None:
    value = reward(mood_before=before, mood_after=after, helpful=helpful)
    assert value is None or 0.0 <= value <= 1.0


def test_context_buckets_time_of_day_and_recent_mood() -> None:
    night = Context.of(
        emotion="sadness", local_time=datetime(2026, 1, 1, 3, tzinfo=UTC), recent_mood=2
    )
    assert (night.daypart, night.mood) == ("night", "low")
    assert Context.from_key(night.key) == night
    unknown = Context.of(
        emotion="joy", local_time=datetime(2026, 1, 1, 13, tzinfo=UTC), recent_mood=None
    )
    assert (unknown.daypart, unknown.mood) == ("afternoon", "unknown")


def test_cold_start_leans_towards_the_exercise_that_suits_the_emotion() -> None:
    bandit = ExerciseBandit(SUITS)
    rng = random.Random(1)
    picks = [bandit.choose(BanditState(), ANXIOUS, rng) for _ in range(600)]
    assert picks.count("breathing") > picks.count("gratitude")
    assert picks.count("breathing") > picks.count("behavioural_activation")
    # ...yet still explores.
    assert picks.count("gratitude") > 0


def test_the_bandit_learns_what_helps_this_member() -> None:
    bandit = ExerciseBandit(SUITS)
    state = BanditState()
    rng = random.Random(2)
    for _ in range(40):
        bandit.update(state, "breathing", ANXIOUS, 0.0)  # breathing never helps them
        bandit.update(state, "gratitude", ANXIOUS, 1.0)  # gratitude always does
    picks = [bandit.choose(state, ANXIOUS, rng) for _ in range(200)]
    assert picks.count("gratitude") > 180


def test_what_was_learnt_in_one_context_carries_to_a_similar_one() -> None:
    bandit = ExerciseBandit(SUITS)
    state = BanditState()
    for _ in range(30):
        bandit.update(state, "gratitude", ANXIOUS, 1.0)
        bandit.update(state, "breathing", ANXIOUS, 0.0)
    morning = Context(emotion="anxiety", daypart="morning", mood="mid")
    a, b = bandit.posterior(state, "gratitude", morning)
    assert a / (a + b) > 0.8


def test_a_reward_outside_0_to_1_is_refused_and_an_unknown_exercise_ignored() -> None:
    bandit = ExerciseBandit(SUITS)
    state = BanditState()
    with pytest.raises(ValueError, match="between 0 and 1"):
        bandit.update(state, "breathing", ANXIOUS, 1.5)
    bandit.update(state, "retired_exercise", ANXIOUS, 1.0)
    assert state.pulls == 0


def test_the_state_round_trips_through_json() -> None:
    bandit = ExerciseBandit(SUITS)
    state = BanditState()
    bandit.update(state, "breathing", ANXIOUS, 0.75)
    again = BanditState.model_validate_json(state.model_dump_json())
    assert bandit.posterior(again, "breathing", ANXIOUS) == bandit.posterior(
        state, "breathing", ANXIOUS
    )


def test_in_simulation_thompson_sampling_beats_random_and_the_fixed_best_exercise() -> None:
    result = simulate(
        {**SUITS, "grounding": ["anxiety"], "thought_record": ["sadness", "anxiety"]},
        members=60,
        rounds=120,
        seed=3,
    )
    regret = {name: policy["regret"] for name, policy in result.policies.items()}
    assert regret["thompson"] < regret["random"]
    assert regret["thompson"] < regret["fixed"]
