"""Matching alerts to episodes: the arithmetic ``haven eval deterioration`` reports."""

from __future__ import annotations

from datetime import date

import pytest

from haven.adapters.monitoring.evaluation import evaluate

EPISODES = [
    ("a", date(2024, 3, 1), date(2024, 3, 31)),
    ("a", date(2024, 8, 1), date(2024, 8, 20)),
    ("b", date(2024, 5, 10), date(2024, 6, 10)),
]


def test_catches_lead_times_and_false_alerts_follow_the_documented_windows() -> None:
    alerts = [
        ("a", date(2024, 2, 16)),  # onset - 14: the first day that still counts
        ("a", date(2024, 3, 20)),  # inside, not the first: neither a catch nor false
        ("a", date(2024, 2, 15)),  # onset - 15: false
        ("a", date(2024, 8, 21)),  # the day after the end: false
        ("b", date(2024, 5, 13)),  # three days after onset
        ("c", date(2024, 1, 1)),  # a member with no episodes: false
    ]
    result = evaluate(alerts=alerts, episodes=EPISODES, member_days=3 * 3044)
    assert (result.episodes, result.caught, result.alerts, result.false_alerts) == (3, 2, 6, 3)
    assert result.sensitivity == pytest.approx(2 / 3)
    assert sorted(result.lead_times) == [-3, 14]
    assert result.median_lead_time_days == pytest.approx(5.5)
    assert result.false_alerts_per_member_month == pytest.approx(3 / 300)


def test_no_episodes_and_no_alerts_give_no_rates_rather_than_a_crash() -> None:
    result = evaluate(alerts=[], episodes=[], member_days=0)
    assert result.as_dict()["sensitivity"] is None
    assert result.as_dict()["false_alerts_per_member_month"] is None
