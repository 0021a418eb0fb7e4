"""Reliable change, recovery and the caseload effect size, against hand-computed values."""

from __future__ import annotations

import math
import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import instants

from haven.domain.instruments import ChangeCriteria
from haven.domain.outcomes import (
    MemberOutcome,
    caseload_outcome,
    jacobson_truax_threshold,
    member_outcome,
    trajectory,
)

PHQ9 = ChangeCriteria(reliable_change=6, caseness=10, source="test")
# WHO-5 percentage score: higher is better, and a low score marks the case.
WHO5 = ChangeCriteria(reliable_change=10, caseness=28, higher_is_worse=False, source="test")
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def weekly(*totals: float) -> list[tuple[datetime, float]]:
    return [(START + timedelta(weeks=week), total) for week, total in enumerate(totals)]


def phq9(*totals: float) -> MemberOutcome:
    outcome = member_outcome(instrument_id="phq9", criteria=PHQ9, totals=weekly(*totals))
    assert outcome is not None
    return outcome


def who5(*totals: float) -> MemberOutcome:
    outcome = member_outcome(instrument_id="who5", criteria=WHO5, totals=weekly(*totals))
    assert outcome is not None
    return outcome


def test_jacobson_truax_threshold_matches_the_published_formula() -> None:
    # 1.96 x 5 x sqrt(2 x (1 - 0.84)) = 9.8 x sqrt(0.32) = 5.5437...
    assert jacobson_truax_threshold(sd=5.0, reliability=0.84) == pytest.approx(5.54372, abs=1e-5)


def test_jacobson_truax_threshold_scales_with_the_chosen_z() -> None:
    assert jacobson_truax_threshold(sd=5.0, reliability=0.84, z=1.0) == pytest.approx(
        5.0 * math.sqrt(0.32)
    )


def test_a_case_who_falls_below_caseness_by_a_reliable_amount_reliably_recovers() -> None:
    outcome = phq9(18, 12, 8)

    assert outcome.change == -10
    assert outcome.measurements == 3
    assert (outcome.case_at_start, outcome.recovered, outcome.reliably_improved) == (
        True,
        True,
        True,
    )
    assert outcome.reliably_recovered
    assert outcome.category == "reliable_recovery"


def test_a_reliable_fall_that_stays_a_case_is_improvement_not_recovery() -> None:
    outcome = phq9(18, 11)

    assert outcome.reliably_improved
    assert not outcome.recovered
    assert outcome.category == "reliable_improvement"


def test_moving_below_caseness_without_reliable_change_is_recovery_but_not_reliable() -> None:
    outcome = phq9(12, 9)

    assert outcome.recovered
    assert not outcome.reliably_improved
    assert not outcome.reliably_recovered
    assert outcome.category == "no_reliable_change"


def test_a_reliable_rise_on_a_symptom_scale_is_deterioration() -> None:
    outcome = phq9(8, 15)

    assert outcome.reliably_deteriorated
    assert not outcome.reliably_improved
    assert not outcome.case_at_start
    assert outcome.category == "reliable_deterioration"


def test_a_change_of_exactly_the_threshold_counts_as_reliable() -> None:
    assert phq9(18, 12).reliably_improved
    assert phq9(12, 18).reliably_deteriorated


def test_a_change_one_point_short_of_the_threshold_is_not_reliable() -> None:
    assert phq9(18, 13).category == "no_reliable_change"
    assert phq9(8, 13).category == "no_reliable_change"


def test_a_last_total_at_caseness_is_still_a_case() -> None:
    assert not phq9(16, 10).recovered


def test_only_the_first_and_last_measurements_decide_the_outcome() -> None:
    # A reliable dip in the middle does not count when the member ends where they began.
    assert phq9(15, 5, 14).category == "no_reliable_change"


def test_a_single_measurement_gives_no_outcome() -> None:
    assert member_outcome(instrument_id="phq9", criteria=PHQ9, totals=weekly(18)) is None
    assert member_outcome(instrument_id="phq9", criteria=PHQ9, totals=[]) is None


def test_totals_given_out_of_order_are_read_in_time_order() -> None:
    outcome = member_outcome(
        instrument_id="phq9", criteria=PHQ9, totals=list(reversed(weekly(18, 14, 8)))
    )

    assert outcome is not None
    assert (outcome.first_total, outcome.last_total) == (18, 8)
    assert outcome.first_at == START
    assert outcome.last_at == START + timedelta(weeks=2)
    assert outcome.category == "reliable_recovery"


def test_trajectory_orders_totals_by_time() -> None:
    points = weekly(18, 14, 8)

    assert trajectory([points[2], points[0], points[1]]) == points


def test_on_a_higher_is_better_scale_a_reliable_rise_is_improvement() -> None:
    outcome = who5(20, 36, 52)

    assert outcome.change == 32
    assert outcome.case_at_start
    assert outcome.category == "reliable_recovery"


def test_on_a_higher_is_better_scale_a_reliable_fall_is_deterioration() -> None:
    outcome = who5(60, 40)

    assert outcome.reliably_deteriorated
    assert not outcome.case_at_start
    assert outcome.category == "reliable_deterioration"


def test_on_a_higher_is_better_scale_ending_at_caseness_is_still_a_case() -> None:
    assert not who5(12, 28).recovered


def test_without_a_caseness_cut_off_nobody_is_a_case_or_recovers() -> None:
    criteria = ChangeCriteria(reliable_change=6, source="test")
    outcome = member_outcome(instrument_id="x", criteria=criteria, totals=weekly(18, 2))

    assert outcome is not None
    assert (outcome.case_at_start, outcome.recovered, outcome.reliably_recovered) == (
        False,
        False,
        False,
    )
    assert outcome.category == "reliable_improvement"


def test_caseload_rates_and_effect_size_match_hand_arithmetic() -> None:
    outcomes = [phq9(18, 8), phq9(18, 11), phq9(12, 9), phq9(8, 15), phq9(6, 5)]

    caseload = caseload_outcome(instrument_id="phq9", criteria=PHQ9, outcomes=outcomes)

    assert (caseload.members, caseload.cases_at_start) == (5, 3)
    assert caseload.reliably_improved_pct == 40.0  # 2 of 5 members
    assert caseload.reliably_deteriorated_pct == 20.0  # 1 of 5 members
    assert caseload.recovered_pct == 66.7  # 2 of the 3 cases at start
    assert caseload.reliably_recovered_pct == 33.3  # 1 of the 3 cases at start
    # Changes -10, -7, -3, +7, -1: mean -14/5; squared deviations sum to 168.8.
    assert caseload.mean_change == pytest.approx(-2.8)
    assert caseload.sd_change == pytest.approx(math.sqrt(168.8 / 4))
    # First totals 18, 18, 12, 8, 6 (mean 12.4, squared deviations sum to 123.2); last
    # totals 8, 11, 9, 15, 5 (mean 9.6, squared deviations 55.2); cross-products sum to 4.8.
    d = (12.4 - 9.6) / math.sqrt(123.2 / 4)
    r = 4.8 / math.sqrt(123.2 * 55.2)
    assert r == pytest.approx(statistics.correlation([18, 18, 12, 8, 6], [8, 11, 9, 15, 5]))
    half_width = 1.96 * math.sqrt(2 * (1 - r) / 5 + d**2 / (2 * 5))
    assert caseload.cohens_d == pytest.approx(d)
    assert caseload.cohens_d == pytest.approx(0.50452, abs=1e-5)
    assert (caseload.d_ci_low, caseload.d_ci_high) == pytest.approx(
        (d - half_width, d + half_width)
    )
    assert (caseload.d_ci_low, caseload.d_ci_high) == pytest.approx((-0.738, 1.747), abs=1e-3)


def test_caseload_effect_size_is_positive_for_improvement_on_a_higher_is_better_scale() -> None:
    outcomes = [who5(20, 52), who5(40, 44), who5(60, 64)]

    caseload = caseload_outcome(instrument_id="who5", criteria=WHO5, outcomes=outcomes)

    # Mean rise (32 + 4 + 4) / 3 over the SD of 20, 40, 60 (which is 20).
    assert caseload.cohens_d == pytest.approx((40 / 3) / statistics.stdev([20, 40, 60]))
    assert caseload.cohens_d == pytest.approx(2 / 3)
    assert caseload.recovered_pct == 100.0  # the one case, 20 -> 52


def test_an_empty_caseload_reports_no_rates() -> None:
    caseload = caseload_outcome(instrument_id="phq9", criteria=PHQ9, outcomes=[])

    assert caseload.members == 0
    assert caseload.reliably_improved_pct is None
    assert caseload.recovered_pct is None
    assert caseload.mean_change is None
    assert caseload.cohens_d is None


def test_a_caseload_with_no_cases_at_start_reports_no_recovery_rate() -> None:
    caseload = caseload_outcome(
        instrument_id="phq9", criteria=PHQ9, outcomes=[phq9(4, 2), phq9(6, 14)]
    )

    assert caseload.cases_at_start == 0
    assert caseload.recovered_pct is None
    assert caseload.reliably_recovered_pct is None
    assert caseload.reliably_deteriorated_pct == 50.0


def test_one_member_gives_a_mean_change_but_no_spread_or_effect_size() -> None:
    caseload = caseload_outcome(instrument_id="phq9", criteria=PHQ9, outcomes=[phq9(18, 8)])

    assert caseload.mean_change == -10
    assert caseload.sd_change is None
    assert (caseload.cohens_d, caseload.d_ci_low, caseload.d_ci_high) == (None, None, None)


def test_an_effect_size_needs_baseline_totals_that_differ() -> None:
    caseload = caseload_outcome(
        instrument_id="phq9", criteria=PHQ9, outcomes=[phq9(15, 8), phq9(15, 12)]
    )

    assert caseload.mean_change == pytest.approx(-5.0)
    assert caseload.cohens_d is None


def test_an_effect_size_without_a_correlation_has_no_interval() -> None:
    caseload = caseload_outcome(
        instrument_id="phq9", criteria=PHQ9, outcomes=[phq9(18, 4), phq9(12, 4)]
    )

    assert caseload.cohens_d == pytest.approx(11 / statistics.stdev([18, 12]))
    assert (caseload.d_ci_low, caseload.d_ci_high) == (None, None)


def test_outcomes_on_another_instrument_are_refused() -> None:
    gad7 = member_outcome(instrument_id="gad7", criteria=PHQ9, totals=weekly(15, 5))
    assert gad7 is not None

    with pytest.raises(ValueError, match="gad7"):
        caseload_outcome(instrument_id="phq9", criteria=PHQ9, outcomes=[phq9(18, 8), gad7])


criteria = st.builds(
    ChangeCriteria,
    reliable_change=st.floats(min_value=0.5, max_value=30),
    caseness=st.none() | st.floats(min_value=0, max_value=100),
    higher_is_worse=st.booleans(),
    source=st.just("test"),
)
series = st.lists(
    st.tuples(instants, st.integers(min_value=0, max_value=100).map(float)),
    min_size=2,
    max_size=8,
    unique_by=lambda point: point[0],
)


@given(criteria=criteria, totals=series)
def test_outcome_categories_are_mutually_consistent(
    criteria: ChangeCriteria, totals: list[tuple[datetime, float]]
) -> None:
    outcome = member_outcome(instrument_id="x", criteria=criteria, totals=totals)

    assert outcome is not None
    assert not (outcome.reliably_improved and outcome.reliably_deteriorated)
    assert outcome.recovered <= outcome.case_at_start
    assert outcome.reliably_recovered == (outcome.recovered and outcome.reliably_improved)
    assert outcome.change == outcome.last_total - outcome.first_total
    assert outcome.first_at <= outcome.last_at


@given(criteria=criteria, totals=series, seed=st.randoms())
def test_the_order_totals_arrive_in_does_not_change_the_outcome(
    criteria: ChangeCriteria, totals: list[tuple[datetime, float]], seed: random.Random
) -> None:
    shuffled = list(totals)
    seed.shuffle(shuffled)

    assert member_outcome(instrument_id="x", criteria=criteria, totals=shuffled) == (
        member_outcome(instrument_id="x", criteria=criteria, totals=totals)
    )


@given(criteria=criteria, caseload=st.lists(series, max_size=12))
def test_caseload_rates_are_percentages_and_the_interval_holds_the_effect_size(
    criteria: ChangeCriteria, caseload: list[list[tuple[datetime, float]]]
) -> None:
    outcomes = [
        o
        for totals in caseload
        if (o := member_outcome(instrument_id="x", criteria=criteria, totals=totals))
    ]

    summary = caseload_outcome(instrument_id="x", criteria=criteria, outcomes=outcomes)

    rates = [
        summary.reliably_improved_pct,
        summary.reliably_deteriorated_pct,
        summary.recovered_pct,
        summary.reliably_recovered_pct,
    ]
    assert all(0 <= rate <= 100 for rate in rates if rate is not None)
    if summary.cohens_d is not None and summary.d_ci_low is not None:
        assert summary.d_ci_high is not None
        assert summary.d_ci_low <= summary.cohens_d <= summary.d_ci_high
