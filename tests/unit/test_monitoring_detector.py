"""The deterioration detector on hand-built members: steady, gappy, a new device, a prodrome."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from haven.adapters.monitoring.detector import detect, score_days
from haven.adapters.monitoring.features import OBSERVATION_SCHEMA, features
from haven.domain.monitoring import (
    FEATURES,
    QUESTIONNAIRES,
    DetectorPolicy,
    DeteriorationAlert,
    Finding,
    rate_limit,
)

DAYS = 200
START = date(2024, 1, 1)
POLICY = DetectorPolicy()


def member(
    *,
    seed: int = 0,
    worn: np.ndarray | None = None,
    decline: np.ndarray | None = None,
    device_change_at: int | None = None,
) -> list[tuple[str, datetime, str, float]]:
    """A steady member with ordinary day-to-day noise; ``decline`` (0-1 per day) pushes
    sleep 2 h shorter, mood 2.5 points lower, steps 40% lower and PHQ-9 8 points higher."""
    rng = np.random.default_rng(seed)
    push = np.zeros(DAYS) if decline is None else decline
    worn = np.ones(DAYS, bool) if worn is None else worn
    switched = np.zeros(DAYS) if device_change_at is None else np.arange(DAYS) >= device_change_at
    rows: list[tuple[str, datetime, str, float]] = []
    for d in range(DAYS):
        midnight = datetime.combine(START + timedelta(days=d), datetime.min.time())
        if worn[d]:
            hours = 7.3 + rng.normal(0, 0.8) - 2.0 * push[d]
            start = midnight - timedelta(hours=hours / 2) + timedelta(hours=3 + rng.normal(0, 0.5))
            steps = (
                8000 * np.exp(rng.normal(0, 0.3)) * (1 - 0.4 * push[d]) * (1 - 0.3 * switched[d])
            )
            rows += [
                ("a", start, "sleep", round(hours * 60)),
                ("a", midnight + timedelta(hours=20), "steps", round(steps)),
                (
                    "a",
                    midnight + timedelta(hours=8),
                    "resting_heart_rate",
                    62 + rng.normal(0, 2) + 6 * switched[d],
                ),
                (
                    "a",
                    midnight + timedelta(hours=4),
                    "hrv_rmssd",
                    42 * np.exp(rng.normal(0, 0.15)) * (1 - 0.25 * switched[d]),
                ),
            ]
        if d % 2 == 0:
            mood = np.clip(6.5 + rng.normal(0, 0.9) - 2.5 * push[d], 0, 10)
            rows.append(("a", midnight + timedelta(hours=20), "mood", float(round(mood))))
        if d % 14 == 3:
            rows.append(
                (
                    "a",
                    midnight + timedelta(hours=10),
                    "phq9",
                    float(round(5 + rng.normal(0, 1.2) + 8 * push[d])),
                )
            )
    return rows


def alerts_for(rows: list[tuple[str, datetime, str, float]]) -> list[DeteriorationAlert]:
    frame = pl.LazyFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")
    return detect(features(frame), POLICY)


def ramp(onset: int, build: int = 14, end: int = DAYS) -> np.ndarray:
    t = np.arange(DAYS)
    return np.clip((t - (onset - build)) / build, 0, 1) * (t <= end)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_steady_member_gets_no_alert(seed: int) -> None:
    assert alerts_for(member(seed=seed)) == []


def test_missing_weeks_and_sparse_wear_raise_no_alert() -> None:
    worn = np.ones(DAYS, bool)
    worn[60:95] = False  # a month without the watch
    worn[120:170] = np.arange(50) % 3 == 0  # then worn one day in three
    assert alerts_for(member(worn=worn)) == []


def test_a_new_device_shifting_steps_heart_rate_and_hrv_raises_no_alert() -> None:
    assert alerts_for(member(device_change_at=100)) == []


def test_a_clear_prodrome_raises_an_alert_that_names_what_changed() -> None:
    alerts = alerts_for(member(decline=ramp(onset=140)))
    assert alerts, "a two-week decline in sleep, mood, steps and PHQ-9 went unnoticed"
    first = alerts[0]
    assert (
        date(2024, 1, 1) + timedelta(days=126)
        <= first.day
        <= date(2024, 1, 1) + timedelta(days=150)
    )
    # Named are what moved (sleep, mood, steps, PHQ-9), never what did not (heart, HRV).
    assert {f.feature for f in first.findings} <= {"sleep_h", "mood", "steps", "phq9"}
    assert len(first.findings) >= 2
    assert "sleep 1." in first.explanation or "sleep 2." in first.explanation
    assert "below your usual" in first.explanation


def test_a_long_decline_is_alerted_at_most_once_per_rate_limit_window() -> None:
    alerts = alerts_for(member(decline=ramp(onset=100)))
    days = [a.day for a in alerts]
    assert len(days) >= 2
    assert all((b - a).days >= POLICY.rate_limit_days for a, b in itertools.pairwise(days))


def test_rate_limit_keeps_the_first_then_the_next_far_enough_after_the_last_sent() -> None:
    fired = [date(2024, 1, d) for d in (1, 2, 3, 14, 15, 20, 28, 29)]
    assert rate_limit(fired, every=14) == [date(2024, 1, 1), date(2024, 1, 15), date(2024, 1, 29)]


def test_a_reliable_rise_in_phq9_alone_reaches_the_threshold() -> None:
    reaches = POLICY.questionnaire_contribution(instrument="phq9", rise=6)
    assert reaches >= POLICY.threshold
    assert POLICY.questionnaire_contribution(instrument="phq9", rise=2) == 0.0
    assert POLICY.questionnaire_contribution(instrument="gad7", rise=4) >= POLICY.threshold


def test_the_explanation_puts_the_weightiest_finding_first_in_plain_words() -> None:
    alert = DeteriorationAlert(
        member_id="a",
        day=date(2024, 3, 1),
        score=5.0,
        findings=(
            Finding("mood", change=-2.0, days=4, contribution=1.0),
            Finding("sleep_h", change=-2.04, days=5, contribution=2.0),
            Finding("phq9", change=7, usual=5, contribution=3.0),
        ),
    )
    assert alert.explanation == (
        "PHQ-9 up 7 (usually 5); sleep 2.0 h below your usual on 5 of the last 7 nights; "
        "mood down 2.0 points on 4 of the last 7 days"
    )


def test_the_pipeline_scores_every_day_as_the_domain_policy_says() -> None:
    rows = member(decline=ramp(onset=140))
    frame = score_days(
        features(pl.LazyFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")), POLICY
    )
    scored = frame.collect()
    checked = 0
    for row in scored.iter_rows(named=True):
        for spec in FEATURES:
            z = row[f"{spec.column}__z"]
            expected = POLICY.contribution(z=z, weight=spec.weight)
            assert row[f"{spec.column}__points"] == pytest.approx(expected)
            checked += z is not None
        for name in QUESTIONNAIRES:
            rise = row[f"{name}__change"]
            expected = POLICY.questionnaire_contribution(instrument=name, rise=rise)
            assert row[f"{name}__points"] == pytest.approx(expected)
    assert checked > 1000
    assert scored["score"].max() > POLICY.threshold
