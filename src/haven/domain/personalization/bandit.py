"""Which exercise to offer: contextual Thompson sampling over the companion's exercises.

Each exercise ("arm") keeps a Beta posterior of its reward in each context (the member's
emotion, the part of the day and their recent mood band), pooled with the same arm's record
for that emotion and overall, so a new context borrows what the member's history already
says (Agrawal & Goyal 2012 for Thompson sampling; the pooling is a simple hierarchical
shrinkage). Rewards lie in [0, 1] and update the posterior fractionally.

Cold start: an exercise whose flow ``suits`` the emotion starts at Beta(2, 1) (it helps
about two times in three), any other at Beta(1, 1), so the first offers are the clinically
sensible ones and exploration still happens.

The reward of a finished exercise is the mean of what was answered: the mood change across
the exercise (0-10 ratings; -2 or worse gives 0, +2 or better gives 1) and the answer to
"was this helpful?" (yes 1, no 0).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BanditState", "Context", "ExerciseBandit", "reward"]

# How much an arm's record in the same emotion, and overall, counts towards a context it has
# not seen much: enough to share what was learnt, small enough that a context can differ.
_EMOTION_WEIGHT = 0.5
_ARM_WEIGHT = 0.2
_SUITED_PRIOR = (2.0, 1.0)
_OTHER_PRIOR = (1.0, 1.0)
_MOOD_SWING = 2  # a change of this many points (0-10 scale) is full reward or none


@dataclass(frozen=True, slots=True)
class Context:
    emotion: str
    daypart: str  # night (0-6 h), morning, afternoon, evening
    mood: str  # low (0-3), mid (4-6), high (7-10) or unknown: the latest mood rating

    @classmethod
    def of(cls, *, emotion: str, local_time: datetime, recent_mood: int | None) -> Context:
        hour = local_time.hour
        daypart = (
            "night"
            if hour < 6
            else "morning"
            if hour < 12
            else ("afternoon" if hour < 18 else "evening")
        )
        if recent_mood is None:
            mood = "unknown"
        else:
            mood = "low" if recent_mood <= 3 else "mid" if recent_mood <= 6 else "high"
        return cls(emotion=emotion, daypart=daypart, mood=mood)

    @property
    def key(self) -> str:
        return f"{self.emotion}|{self.daypart}|{self.mood}"

    @classmethod
    def from_key(cls, key: str) -> Context:
        emotion, daypart, mood = key.split("|")
        return cls(emotion=emotion, daypart=daypart, mood=mood)


def reward(
    *, mood_before: int | None, mood_after: int | None, helpful: bool | None
) -> float | None:
    """The reward (0-1) of one finished exercise; None when nothing was rated."""
    parts: list[float] = []
    if mood_before is not None and mood_after is not None:
        change = max(-_MOOD_SWING, min(_MOOD_SWING, mood_after - mood_before))
        parts.append((change + _MOOD_SWING) / (2 * _MOOD_SWING))
    if helpful is not None:
        parts.append(1.0 if helpful else 0.0)
    return sum(parts) / len(parts) if parts else None


class Tally(BaseModel):
    model_config = ConfigDict(extra="forbid")

    successes: float = 0.0
    failures: float = 0.0

    def add(self, value: float) -> None:
        self.successes += value
        self.failures += 1.0 - value


class BanditState(BaseModel):
    """One member's record: per arm, reward tallies by context key, by emotion and overall."""

    model_config = ConfigDict(extra="forbid")

    contexts: dict[str, dict[str, Tally]] = Field(default_factory=dict)
    emotions: dict[str, dict[str, Tally]] = Field(default_factory=dict)
    arms: dict[str, Tally] = Field(default_factory=dict)
    pulls: int = 0


class ExerciseBandit:
    """Thompson sampling over ``arms``; ``suits`` maps each arm to the emotions it suits."""

    def __init__(self, suits: Mapping[str, Sequence[str]]) -> None:
        if not suits:
            raise ValueError("the bandit needs at least one exercise")
        self._suits = {arm: frozenset(emotions) for arm, emotions in suits.items()}

    @property
    def arms(self) -> list[str]:
        return list(self._suits)

    def posterior(self, state: BanditState, arm: str, context: Context) -> tuple[float, float]:
        """The Beta(a, b) of ``arm``'s reward in ``context`` for this member."""
        a, b = _SUITED_PRIOR if context.emotion in self._suits[arm] else _OTHER_PRIOR
        exact = state.contexts.get(arm, {}).get(context.key, Tally())
        emotion = state.emotions.get(arm, {}).get(context.emotion, Tally())
        overall = state.arms.get(arm, Tally())
        # The emotion and arm tallies include the exact context's; count each reward once
        # at the most specific level it belongs to.
        emotion_only = (emotion.successes - exact.successes, emotion.failures - exact.failures)
        arm_only = (overall.successes - emotion.successes, overall.failures - emotion.failures)
        a += exact.successes + _EMOTION_WEIGHT * emotion_only[0] + _ARM_WEIGHT * arm_only[0]
        b += exact.failures + _EMOTION_WEIGHT * emotion_only[1] + _ARM_WEIGHT * arm_only[1]
        return a, b

    def choose(self, state: BanditState, context: Context, rng: random.Random) -> str:
        """The arm with the highest sampled reward for this member in ``context``."""
        draws = {arm: rng.betavariate(*self.posterior(state, arm, context)) for arm in self._suits}
        return max(draws, key=lambda arm: draws[arm])

    def update(self, state: BanditState, arm: str, context: Context, value: float) -> None:
        """Record a reward (0-1) for ``arm`` offered in ``context``."""
        if arm not in self._suits:
            return  # an exercise that no longer exists teaches nothing
        if not 0.0 <= value <= 1.0:
            raise ValueError("a reward lies between 0 and 1")
        state.contexts.setdefault(arm, {}).setdefault(context.key, Tally()).add(value)
        state.emotions.setdefault(arm, {}).setdefault(context.emotion, Tally()).add(value)
        state.arms.setdefault(arm, Tally()).add(value)
        state.pulls += 1
