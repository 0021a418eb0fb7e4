"""Closing the monitoring loop: what the detector reads, how its alert sits in the care
team's queue, and what the companion says to the member.

The care team's queue holds codes, never words (``haven.domain.alerts``). Each finding of
a deterioration alert is kept as one signal code made only of a feature name and numbers,
``<feature>:<change>:<days>:<usual>`` (e.g. ``sleep_h:-2.10:5:7.40``), weightiest first;
the clinician's explanation ("sleep 2.1 h below your usual on 5 of the last 7 nights") is
worded again from them when shown. Nothing a member wrote can reach an alert this way.

The member hears a check-in worded from reviewed phrases (``content/companion/
replies.yaml``, ``check_in``): at most the two weightiest changes they would recognise
(sleep, mood, activity, questionnaire answers). Heart readings are never quoted to the
member: a number about their heart, unexplained, worries more than it helps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from haven.domain.conversation.replies import CheckInReplies
from haven.domain.monitoring import DeteriorationAlert, Finding

__all__ = [
    "MAX_SIGNALS_LENGTH",
    "Reading",
    "check_in_message",
    "explanation_of",
    "findings_from",
    "signal_codes",
]

# The alert's signals column holds 512 characters, comma-joined.
MAX_SIGNALS_LENGTH = 512
_KNOWN = frozenset(
    {
        "mood",
        "sleep_h",
        "sleep_mid_h",
        "sleep_regularity_h",
        "steps",
        "active_minutes",
        "resting_hr",
        "hrv_ms",
        "phq9",
        "gad7",
    }
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One number the detector reads: a wearable reading, a mood rating or a questionnaire
    total, at the member's local wall-clock time (no offset: a day is the day they lived).

    ``metric`` is a key of ``haven.domain.monitoring.METRICS``; a sleep session is one
    reading at its start whose value is its minutes asleep.
    """

    member_id: str
    local: datetime
    metric: str
    value: float


def signal_codes(alert: DeteriorationAlert) -> tuple[str, ...]:
    """The alert's findings as codes, weightiest first, as many as the column holds."""
    ranked = sorted(alert.findings, key=lambda f: f.contribution, reverse=True)
    codes: list[str] = []
    length = 0
    for finding in ranked:
        usual = "" if finding.usual is None else f"{finding.usual:.2f}"
        code = f"{finding.feature}:{finding.change:.2f}:{finding.days}:{usual}"
        length += len(code) + (1 if codes else 0)
        if length > MAX_SIGNALS_LENGTH:
            break
        codes.append(code)
    return tuple(codes)


def findings_from(codes: Iterable[str]) -> tuple[Finding, ...]:
    """The findings back from ``signal_codes``, in order; a code of another shape is
    skipped rather than shown half-read."""
    found: list[Finding] = []
    for code in codes:
        parts = code.split(":")
        if len(parts) != 4 or parts[0] not in _KNOWN:
            continue
        feature, change, days, usual = parts
        try:
            found.append(
                Finding(
                    feature=feature,
                    change=float(change),
                    days=int(days),
                    usual=float(usual) if usual else None,
                )
            )
        except ValueError:
            continue
    return tuple(found)


def explanation_of(codes: Iterable[str]) -> str:
    """What the clinician reads: "PHQ-9 up 7 (usually 5); sleep 2.0 h below your usual on 5
    of the last 7 nights"."""
    return "; ".join(finding.phrase() for finding in findings_from(codes))


def _hours(value: float, lang: str) -> str:
    """Hours to the nearest half, as the member's language writes them: 1.5 or 1,5."""
    text = f"{round(value * 2) / 2:g}"
    return text.replace(".", ",") if lang == "es" else text


def _change_phrase(finding: Finding, words: CheckInReplies, lang: str) -> str | None:
    """The member's words for one finding, or None for one not said to the member."""
    change = finding.change
    key: str | None
    values: dict[str, str] = {}
    match finding.feature:
        case "sleep_h":
            size = abs(change)
            longer = change > 0
            if size >= 1.25:
                key = "sleep_longer" if longer else "sleep_shorter"
                values["hours"] = _hours(size, lang)
            else:
                key = "sleep_a_little_longer" if longer else "sleep_a_little_shorter"
        case "sleep_mid_h":
            key = "sleep_later" if change > 0 else None
        case "sleep_regularity_h":
            key = "sleep_irregular" if change > 0 else None
        case "mood":
            key = "mood_lower" if change < 0 else None
        case "steps" | "active_minutes":
            key = "less_active" if change < 0 else None
        case "phq9" | "gad7":
            key = "questionnaire" if change > 0 else None
        case _:
            key = None
    if key is None:
        return None
    return words.changes[key][lang].format(**values)


def check_in_message(
    findings: Sequence[Finding], *, words: CheckInReplies, lang: str, team_told: bool
) -> str:
    """The companion's check-in: "I noticed your sleep has been about 2 hours shorter than
    usual this week and your mood has been a little lower. How are you doing?"."""
    lang = lang if lang in words.opening else "en"
    phrases: list[str] = []
    for finding in findings:
        phrase = _change_phrase(finding, words, lang)
        if phrase is not None and phrase not in phrases:
            phrases.append(phrase)
    if phrases:
        changes = f" {words.joiner[lang]} ".join(phrases[:2])
        message = words.opening[lang].format(changes=changes)
    else:
        message = words.general[lang]
    if team_told:
        message = f"{message} {words.team_told[lang]}"
    return message
