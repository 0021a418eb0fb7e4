"""Monitoring between sessions: the wearable and self-report vocabulary, the deterioration
policy, and the alerts it raises, explained in plain words.

Passive data (sleep, steps, heart rate) shift before a depressive relapse, but weakly and
not in everyone (Saeb et al. 2015; Cho et al. 2019; the Beiwe/Forest and mindLAMP work).
Haven therefore compares each member with their own recent past, never with a population
norm: a personal baseline (median and interquartile range over the weeks before the last
one) and a robust z-score of the last week's mean. Several modest, sustained deviations in
the direction of worsening, or a questionnaire total worse by the reliable-change amount
(NHS Talking Therapies: PHQ-9 6, GAD-7 4, read from the instrument files), make one daily
score; an alert needs the score above threshold for several days in a row, and at most one
alert per member per rate-limit window, so the care team is not drowned in false alarms.

This module is pure: the polars pipeline that computes the numbers lives in
``haven.adapters.monitoring``; the policy, the vocabulary and the wording live here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

__all__ = [
    "FEATURES",
    "FIRM_SIGNALS",
    "METRICS",
    "QUESTIONNAIRES",
    "DetectorPolicy",
    "DeteriorationAlert",
    "FeatureSpec",
    "Finding",
    "MetricSpec",
    "Observation",
    "Signal",
    "Worse",
    "rate_limit",
]


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """One metric of the generic import format: its unit and the values that can be real."""

    name: str
    unit: str
    description: str
    low: float
    high: float


# The generic CSV vocabulary (``timestamp,metric,value,unit``); importers validate against it.
METRICS: dict[str, MetricSpec] = {
    spec.name: spec
    for spec in (
        MetricSpec("steps", "count", "steps in the interval; summed per local day", 0, 100_000),
        MetricSpec("active_minutes", "min", "minutes of moderate or vigorous activity", 0, 1440),
        MetricSpec("resting_heart_rate", "bpm", "resting heart rate", 25, 200),
        MetricSpec("hrv_rmssd", "ms", "heart-rate variability, RMSSD", 1, 300),
        MetricSpec("hrv_sdnn", "ms", "heart-rate variability, SDNN", 1, 300),
        MetricSpec(
            "sleep",
            "min",
            "one sleep session; timestamp = its start; counts on the wake day",
            0,
            1440,
        ),
        MetricSpec("mood", "score", "mood rating, 0 = worst, 10 = best", 0, 10),
        MetricSpec("phq9", "score", "PHQ-9 total, 0-27", 0, 27),
        MetricSpec("gad7", "score", "GAD-7 total, 0-21", 0, 21),
    )
}

QUESTIONNAIRES = ("phq9", "gad7")


@dataclass(frozen=True, slots=True)
class Observation:
    """One wearable reading as imported: an instant (``start_at == end_at``) or an interval
    (a sleep session, the steps of an hour).

    ``metric`` is a key of ``METRICS`` and ``value`` is in that metric's unit (a sleep
    session's value is its minutes asleep). The identity of a reading, which makes a
    re-import add nothing twice, is (member_id, metric, start_at, end_at, source, device).
    """

    member_id: UUID
    metric: str
    start_at: datetime  # timezone-aware, with the offset the file gave
    end_at: datetime  # timezone-aware, >= start_at
    value: float
    unit: str
    source: str  # "apple_health" | "fitbit" | "google" | "csv"
    device: str  # the device or app named in the file, "" when none


class Worse(StrEnum):
    """Which way a feature moves when a member gets worse."""

    LOWER = "lower"
    HIGHER = "higher"
    EITHER = "either"  # sleep: both much shorter and much longer sleep go with depression


class Signal(StrEnum):
    """Where a feature comes from. A new watch or phone shifts activity and heart readings
    overnight, so those alone never raise an alert: a change in sleep or in what the member
    reports must be part of it."""

    SELF_REPORT = "self_report"
    SLEEP = "sleep"
    ACTIVITY = "activity"
    HEART = "heart"


# The signals a new device cannot fake: an alert needs at least one of them among its causes.
FIRM_SIGNALS = frozenset({Signal.SELF_REPORT, Signal.SLEEP})


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """A daily feature the detector watches.

    ``floor`` is the smallest spread (in the feature's unit) a baseline may claim, and
    ``relative_floor`` the same as a share of the baseline level, so a member whose steps
    happened to be steady for a month is not alarmed by an ordinary week.
    """

    column: str
    label: str
    unit: str
    worse: Worse
    signal: Signal
    floor: float
    relative_floor: float = 0.0
    weight: float = 1.0


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("mood", "mood", "points", Worse.LOWER, Signal.SELF_REPORT, 0.6, weight=1.5),
    FeatureSpec("sleep_h", "sleep", "h", Worse.EITHER, Signal.SLEEP, 0.5),
    FeatureSpec("sleep_mid_h", "sleep midpoint", "h", Worse.HIGHER, Signal.SLEEP, 0.5),
    FeatureSpec("sleep_regularity_h", "sleep timing", "h", Worse.HIGHER, Signal.SLEEP, 0.3),
    FeatureSpec("steps", "steps", "steps", Worse.LOWER, Signal.ACTIVITY, 500, 0.15),
    FeatureSpec("active_minutes", "active time", "min", Worse.LOWER, Signal.ACTIVITY, 5, 0.15, 0.5),
    FeatureSpec("resting_hr", "resting heart rate", "bpm", Worse.HIGHER, Signal.HEART, 1.5),
    FeatureSpec("hrv_ms", "HRV", "ms", Worse.LOWER, Signal.HEART, 3, 0.08),
)


@dataclass(frozen=True, slots=True)
class DetectorPolicy:
    """The detector's thresholds, calibrated on simulated cohorts (docs/monitoring.md).

    Windows are in days. ``z_margin`` is the robust z a week's mean must pass before it
    counts at all (a week's mean of ordinary noise rarely does), ``z_cap`` bounds what one
    feature can add, and a reliable questionnaire worsening adds ``questionnaire_weight``.
    """

    recent_days: int = 7
    recent_min_days: int = 4
    baseline_days: int = 42
    baseline_min_days: int = 14
    z_margin: float = 1.0
    z_cap: float = 2.5
    threshold: float = 2.0
    sustain_days: int = 2
    rate_limit_days: int = 14
    questionnaire_weight: float = 2.0
    questionnaire_history: int = 3  # answers before the latest that make its baseline
    questionnaire_valid_days: int = 14  # an answer speaks for the two weeks it recalls
    reliable_change: dict[str, float] = field(default_factory=lambda: {"phq9": 6.0, "gad7": 4.0})

    def contribution(self, *, z: float | None, weight: float) -> float:
        """What a feature adds to the daily score for a worsening of ``z`` robust SDs."""
        if z is None:
            return 0.0
        return weight * min(max(z - self.z_margin, 0.0), self.z_cap)

    def questionnaire_contribution(self, *, instrument: str, rise: float | None) -> float:
        """A rise of the reliable-change amount alone reaches the threshold; half of it adds
        in proportion; less adds nothing (it is within measurement error)."""
        if rise is None:
            return 0.0
        ratio = rise / self.reliable_change[instrument]
        if ratio < 0.5:
            return 0.0
        return self.questionnaire_weight * min(ratio, 1.5)


@dataclass(frozen=True, slots=True)
class Finding:
    """One feature that drove an alert: how far the last week sits from the member's usual,
    in the feature's unit (``change`` = recent - usual), and on how many of the last days."""

    feature: str
    change: float
    days: int = 0
    usual: float | None = None
    contribution: float = 0.0

    def phrase(self) -> str:
        """Plain words: "sleep 1.8 h below your usual on 5 of the last 7 nights"."""
        up = self.change > 0
        size = abs(self.change)
        nights = f" on {self.days} of the last 7 nights" if self.days else ""
        days = f" on {self.days} of the last 7 days" if self.days else ""
        match self.feature:
            case "phq9" | "gad7":
                name = "PHQ-9" if self.feature == "phq9" else "GAD-7"
                usual = f" (usually {self.usual:.0f})" if self.usual is not None else ""
                return f"{name} up {size:.0f}{usual}"
            case "mood":
                return f"mood {'up' if up else 'down'} {size:.1f} points{days}"
            case "sleep_h":
                return f"sleep {size:.1f} h {'above' if up else 'below'} your usual{nights}"
            case "sleep_mid_h":
                return f"sleep midpoint {size:.1f} h {'later' if up else 'earlier'} than usual"
            case "sleep_regularity_h":
                return f"sleep times {'less' if up else 'more'} regular (±{size:.1f} h)"
            case "steps":
                return f"{size:,.0f} {'more' if up else 'fewer'} steps a day than usual{days}"
            case "active_minutes":
                return f"{size:.0f} min a day {'more' if up else 'less'} active time{days}"
            case "resting_hr":
                return f"resting heart rate {size:.0f} bpm {'above' if up else 'below'} usual"
            case "hrv_ms":
                return f"HRV {size:.0f} ms {'above' if up else 'below'} your usual"
            case _:
                return f"{self.feature} changed by {self.change:+.1f}"


@dataclass(frozen=True, slots=True)
class DeteriorationAlert:
    """A member who seems to be getting worse: the day, the score, and what drove it."""

    member_id: str
    day: date
    score: float
    findings: tuple[Finding, ...]

    @property
    def explanation(self) -> str:
        """The findings in order of weight, joined: what the clinician and member read."""
        ranked = sorted(self.findings, key=lambda f: f.contribution, reverse=True)
        return "; ".join(finding.phrase() for finding in ranked)


def rate_limit(days: Iterable[date], *, every: int) -> list[date]:
    """The days an alert may go out, given the days the rule fired: the first, then the
    next that falls at least ``every`` days after the last one sent."""
    sent: list[date] = []
    for day in sorted(set(days)):
        if not sent or (day - sent[-1]).days >= every:
            sent.append(day)
    return sent
