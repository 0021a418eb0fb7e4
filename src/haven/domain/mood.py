"""Mood check-ins: how a member feels right now, recorded in a few seconds.

A check-in is one rating on an 11-point numeric rating scale, 0 = the worst the member can
imagine feeling and 10 = the best, the single-item mood scale of ecological momentary
assessment (Stone & Shiffman 1994): quick enough to answer daily, so its trend shows how the
weeks are going between questionnaires. It may carry emotion tags from a fixed vocabulary and
a short note in the member's own words (stored only as ciphertext, and risk-checked like a
journal entry).

Daily means (``daily_means``) turn the check-ins into the "mood over time" series a chart
draws: one point per calendar day in UTC, the mean of that day's ratings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from uuid import UUID

from haven.domain.errors import InvalidInput
from haven.domain.journal import MAX_FREE_TEXT_LENGTH, check_free_text
from haven.domain.text import N_

__all__ = [
    "MAX_NOTE_LENGTH",
    "MAX_RATING",
    "MIN_RATING",
    "MOOD_TAGS",
    "RATING_WORDS",
    "DailyMood",
    "MoodCheckIn",
    "check_in_problems",
    "check_note",
    "check_rating",
    "check_tags",
    "daily_means",
]

MIN_RATING = 0  # the worst the member can imagine feeling
MAX_RATING = 10  # the best the member can imagine feeling
MAX_NOTE_LENGTH = MAX_FREE_TEXT_LENGTH

# The words that anchor the scale where a person reads it: its two ends and its middle.
RATING_WORDS: dict[int, str] = {
    MIN_RATING: N_("very low"),
    5: N_("okay"),
    MAX_RATING: N_("very good"),
}

# The emotions a member may tag, in the order a form offers them: pleasant first, then the
# difficult ones. Where a tag names one of the companion's emotions
# (``haven.domain.conversation.analysis.EMOTIONS``) it uses the same id, so a check-in and a
# chat message about sadness speak of the same thing; "neutral" is left out (a rating of 5
# says it), and states people often name when checking in (stress, tiredness, hope,
# gratitude) are added.
MOOD_TAGS: dict[str, str] = {
    "joy": N_("Happy"),
    "calm": N_("Calm"),
    "hopeful": N_("Hopeful"),
    "grateful": N_("Grateful"),
    "sadness": N_("Sad"),
    "anxiety": N_("Anxious"),
    "stress": N_("Stressed"),
    "anger": N_("Angry"),
    "loneliness": N_("Lonely"),
    "shame_guilt": N_("Ashamed or guilty"),
    "tiredness": N_("Tired"),
}


@dataclass(frozen=True, slots=True)
class MoodCheckIn:
    """One check-in: ``rating`` 0 (worst) to 10 (best); ``tags`` from ``MOOD_TAGS`` in
    vocabulary order; ``note`` the member's words or None."""

    id: UUID
    member_id: UUID
    rating: int
    tags: tuple[str, ...]
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DailyMood:
    """The mean rating (0-10, to one decimal) of ``count`` check-ins on ``day``."""

    day: date
    mean: float
    count: int


def check_rating(rating: int | None) -> int:
    """The rating, or ``InvalidInput`` on ``rating`` when missing or outside 0-10."""
    if rating is None:
        raise InvalidInput(N_("Choose how you feel, from 0 to 10."), field="rating")
    # bool is an int in Python; True is not a mood.
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise InvalidInput(N_("Choose how you feel, from 0 to 10."), field="rating")
    if not MIN_RATING <= rating <= MAX_RATING:
        raise InvalidInput(
            N_("Choose a number from {minimum} to {maximum}."),
            field="rating",
            minimum=MIN_RATING,
            maximum=MAX_RATING,
        )
    return rating


def check_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """The tags once each, in vocabulary order; ``InvalidInput`` on ``tags`` for an unknown
    one."""
    chosen: set[str] = set()
    for tag in tags:
        if tag not in MOOD_TAGS:
            raise InvalidInput(N_("Choose feelings from the list."), field="tags")
        chosen.add(tag)
    return tuple(tag for tag in MOOD_TAGS if tag in chosen)


def check_note(note: str | None) -> str | None:
    """None for a missing or blank note; otherwise the note, checked like any free text."""
    if note is None or not note.strip():
        return None
    return check_free_text(note, field="note")


def check_in_problems(
    *, rating: int | None, tags: Iterable[str], note: str | None
) -> list[InvalidInput]:
    """Every problem with a check-in, at most one per field (rating, tags, note), so that a
    form can name them all at once; empty when it can be saved."""
    found: list[InvalidInput] = []
    for check in (lambda: check_rating(rating), lambda: check_tags(tags), lambda: check_note(note)):
        try:
            check()
        except InvalidInput as problem:
            found.append(problem)
    return found


def daily_means(points: Iterable[tuple[datetime, int]], *, zone: tzinfo = UTC) -> list[DailyMood]:
    """One ``DailyMood`` per calendar day in ``zone`` that has a rating, oldest first."""
    days: dict[date, list[int]] = {}
    for at, rating in points:
        days.setdefault(at.astimezone(zone).date(), []).append(rating)
    return [
        DailyMood(day=day, mean=round(sum(ratings) / len(ratings), 1), count=len(ratings))
        for day, ratings in sorted(days.items())
    ]
