"""Simulated members for checking that the bandit learns (``haven simulate bandit``).

Each simulated member has a hidden chance that each exercise helps in each context: higher
where the exercise's flow suits the emotion (as the cold-start prior assumes), shifted by a
personal preference per exercise (people differ: some never take to breathing exercises),
and by the part of the day (planning activities at night helps less). Each round draws a
context, the policy picks an exercise, and the member finds it helpful or not. Regret is the
chance of help the policy gave up against the best exercise for that member and context.

Three policies are compared on the same members and contexts: Thompson sampling (the
companion's bandit, learning per member from nothing), uniform random choice, and the fixed
exercise that is best on average over the whole population (an oracle no real system has).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from haven.domain.conversation.analysis import EMOTIONS
from haven.domain.personalization.bandit import BanditState, Context, ExerciseBandit

__all__ = ["Simulation", "simulate"]

_SUITED, _OTHER = 0.55, 0.35
_PREFERENCE_SPREAD = 0.2
_DAYPARTS = ("night", "morning", "afternoon", "evening")
_MOODS = ("low", "mid", "high", "unknown")
_NEGATIVE_WEIGHT = 3  # members reach for exercises mostly when they feel bad


@dataclass(frozen=True, slots=True)
class _Member:
    help: dict[tuple[str, str, str], float]  # (arm, emotion, daypart) -> chance it helps

    def chance(self, arm: str, context: Context) -> float:
        return self.help[(arm, context.emotion, context.daypart)]


def _member(suits: Mapping[str, Sequence[str]], rng: random.Random) -> _Member:
    preference = {arm: rng.gauss(0.0, _PREFERENCE_SPREAD) for arm in suits}
    chances = {}
    for arm, suited in suits.items():
        for emotion in EMOTIONS:
            for daypart in _DAYPARTS:
                p = (_SUITED if emotion in suited else _OTHER) + preference[arm]
                if daypart == "night" and arm in {"behavioural_activation", "problem_solving"}:
                    p -= 0.15
                chances[(arm, emotion, daypart)] = min(0.95, max(0.05, p))
    return _Member(chances)


def _context(rng: random.Random) -> Context:
    weights = [_NEGATIVE_WEIGHT if e not in {"joy", "calm", "neutral"} else 1 for e in EMOTIONS]
    return Context(
        emotion=rng.choices(EMOTIONS, weights=weights)[0],
        daypart=rng.choice(_DAYPARTS),
        mood=rng.choice(_MOODS),
    )


@dataclass(frozen=True, slots=True)
class Simulation:
    policies: dict[str, dict[str, float]]  # regret, regret_per_decision, mean_reward
    fixed_exercise: str  # the exercise best on average, which the fixed policy always offers

    def as_dict(self) -> dict[str, object]:
        return {"policies": self.policies, "fixed_exercise": self.fixed_exercise}


def simulate(
    suits: Mapping[str, Sequence[str]], *, members: int, rounds: int, seed: int
) -> Simulation:
    """Cumulative regret and mean reward of each policy over ``members`` x ``rounds``."""
    world = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    population = [_member(suits, world) for _ in range(members)]
    contexts = [[_context(world) for _ in range(rounds)] for _ in range(members)]
    arms = list(suits)
    average = {
        arm: sum(m.chance(arm, c) for m, cs in zip(population, contexts, strict=True) for c in cs)
        for arm in arms
    }
    fixed = max(arms, key=lambda arm: average[arm])
    bandit = ExerciseBandit(suits)
    totals = {name: {"regret": 0.0, "reward": 0.0} for name in ("thompson", "random", "fixed")}
    policy_rng = random.Random(seed + 1)  # noqa: S311
    for member, member_contexts in zip(population, contexts, strict=True):
        state = BanditState()
        for context in member_contexts:
            best = max(member.chance(arm, context) for arm in arms)
            chosen = {
                "thompson": bandit.choose(state, context, policy_rng),
                "random": policy_rng.choice(arms),
                "fixed": fixed,
            }
            for name, arm in chosen.items():
                helped = policy_rng.random() < member.chance(arm, context)
                totals[name]["regret"] += best - member.chance(arm, context)
                totals[name]["reward"] += float(helped)
                if name == "thompson":
                    bandit.update(state, arm, context, float(helped))
    decisions = members * rounds
    policies = {
        name: {
            "regret": round(total["regret"], 2),
            "regret_per_decision": round(total["regret"] / decisions, 4),
            "mean_reward": round(total["reward"] / decisions, 4),
        }
        for name, total in totals.items()
    }
    return Simulation(policies=policies, fixed_exercise=fixed)
