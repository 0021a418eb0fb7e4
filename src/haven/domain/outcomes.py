"""Outcomes as services report them: reliable change, recovery and pre-post effect size.

Reliable change follows Jacobson & Truax (1991), J Consult Clin Psychol 59:12-19: a change in
total counts only when it is at least 1.96 x SD x sqrt(2 x (1 - r)) points, the change that
measurement error alone would exceed one time in twenty. Where a service convention fixes the
threshold (NHS Talking Therapies: PHQ-9 6 points, GAD-7 4) ``ChangeCriteria`` carries it.

The categories are NHS Talking Therapies' (NHS Talking Therapies for anxiety and depression
manual, 2024): *reliable improvement* / *reliable deterioration* is a change from first to
last measurement at least the reliable-change threshold in the better / worse direction;
*recovery* is being a case at the first measurement and not a case at the last; *reliable
recovery* is recovery together with reliable improvement. Recovery rates are reported over
the members who were cases at the start, improvement and deterioration over all members.

The caseload effect size is the standardized mean change of Becker (1988), Br J Math Stat
Psychol 41:257-278: d = mean(first - last) / SD(first totals), using the sample SD of the
baseline totals, signed so that a positive d is improvement (flipped for higher-is-better
scales). Its 95% interval uses Becker's large-sample variance with r the Pearson correlation of
first and last totals, var(d) = 2(1 - r)/n + d^2/(2n) (also Morris & DeShon 2002, Psychol
Methods 7:105-125), and the normal approximation d +/- 1.96 x sqrt(var(d)).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from haven.domain.instruments import ChangeCriteria

__all__ = [
    "CaseloadOutcome",
    "Category",
    "MemberOutcome",
    "caseload_outcome",
    "jacobson_truax_threshold",
    "member_outcome",
    "trajectory",
]

Category = Literal[
    "reliable_recovery", "reliable_improvement", "no_reliable_change", "reliable_deterioration"
]

# Normal quantile for a two-sided 95% interval; the CI is a large-sample approximation.
_Z95 = 1.96


def jacobson_truax_threshold(*, sd: float, reliability: float, z: float = 1.96) -> float:
    """The reliable-change threshold in score points: z x SD x sqrt(2 x (1 - reliability)).

    ``sd`` is the SD of the instrument's totals in a reference sample (score points) and
    ``reliability`` its test-retest or internal-consistency coefficient (0-1).
    """
    return z * sd * math.sqrt(2 * (1 - reliability))


@dataclass(frozen=True, slots=True)
class MemberOutcome:
    """One member's change on one instrument, from first to last measurement."""

    instrument_id: str
    first_total: float
    last_total: float
    first_at: datetime
    last_at: datetime
    measurements: int
    change: float  # last - first, in score points (sign as the scale reads)
    reliably_improved: bool
    reliably_deteriorated: bool
    case_at_start: bool
    recovered: bool
    reliably_recovered: bool

    @property
    def category(self) -> Category:
        if self.reliably_recovered:
            return "reliable_recovery"
        if self.reliably_improved:
            return "reliable_improvement"
        if self.reliably_deteriorated:
            return "reliable_deterioration"
        return "no_reliable_change"


def trajectory(totals: Iterable[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    """The (time, total) pairs in time order; pairs at the same time keep their given order."""
    return sorted(totals, key=lambda point: point[0])


def _is_case(total: float, criteria: ChangeCriteria) -> bool:
    if criteria.caseness is None:
        return False
    if criteria.higher_is_worse:
        return total >= criteria.caseness
    # Higher-is-better scales (WHO-5) mark a case by a low score.
    return total <= criteria.caseness


def member_outcome(
    *, instrument_id: str, criteria: ChangeCriteria, totals: Sequence[tuple[datetime, float]]
) -> MemberOutcome | None:
    """Classify a member's change; None when there are fewer than two measurements.

    ``totals`` are (when measured, total in the instrument's published units) in any order.
    """
    points = trajectory(totals)
    if len(points) < 2:
        return None
    (first_at, first), (last_at, last) = points[0], points[-1]
    change = last - first
    # Improvement is a fall on a symptom scale and a rise on a well-being scale.
    improvement = -change if criteria.higher_is_worse else change
    improved = improvement >= criteria.reliable_change
    case_at_start = _is_case(first, criteria)
    recovered = case_at_start and not _is_case(last, criteria)
    return MemberOutcome(
        instrument_id=instrument_id,
        first_total=first,
        last_total=last,
        first_at=first_at,
        last_at=last_at,
        measurements=len(points),
        change=change,
        reliably_improved=improved,
        reliably_deteriorated=-improvement >= criteria.reliable_change,
        case_at_start=case_at_start,
        recovered=recovered,
        reliably_recovered=recovered and improved,
    )


@dataclass(frozen=True, slots=True)
class CaseloadOutcome:
    """A caseload's outcomes on one instrument; percentages are 0-100 to one decimal."""

    instrument_id: str
    members: int  # members with at least two measurements
    cases_at_start: int
    reliably_improved_pct: float | None  # of all members; None when there are none
    reliably_deteriorated_pct: float | None  # of all members
    recovered_pct: float | None  # of cases at start; None when there are none
    reliably_recovered_pct: float | None  # of cases at start
    mean_change: float | None  # mean of last - first, in score points
    sd_change: float | None  # sample SD of last - first, in score points
    cohens_d: float | None  # Becker's standardized mean change; positive is improvement
    d_ci_low: float | None  # 95% interval for cohens_d (normal approximation)
    d_ci_high: float | None


def _pct(count: int, of: int) -> float | None:
    return round(100 * count / of, 1) if of else None


def _standardized_change(
    firsts: Sequence[float], lasts: Sequence[float], *, higher_is_worse: bool
) -> tuple[float | None, float | None, float | None]:
    """Becker's d = mean(first - last) / SD(first) with its 95% interval, or Nones."""
    n = len(firsts)
    if n < 2:
        return None, None, None
    sd_first = statistics.stdev(firsts)
    if sd_first == 0:
        return None, None, None
    mean_fall = statistics.fmean(firsts) - statistics.fmean(lasts)
    d = (mean_fall if higher_is_worse else -mean_fall) / sd_first
    if statistics.stdev(lasts) == 0:
        # r is undefined when every last total is the same, so the variance is too.
        return d, None, None
    r = statistics.correlation(firsts, lasts)
    # Rounding can put r a hair above 1; the variance cannot be negative.
    variance = max(0.0, 2 * (1 - r) / n) + d * d / (2 * n)
    half_width = _Z95 * math.sqrt(variance)
    return d, d - half_width, d + half_width


def caseload_outcome(
    *, instrument_id: str, criteria: ChangeCriteria, outcomes: Sequence[MemberOutcome]
) -> CaseloadOutcome:
    """Summarize members' outcomes on ``instrument_id`` as a service would report them."""
    strays = {o.instrument_id for o in outcomes} - {instrument_id}
    if strays:
        raise ValueError(f"outcomes for {sorted(strays)} in a {instrument_id} caseload")
    members = len(outcomes)
    cases = [o for o in outcomes if o.case_at_start]
    changes = [o.change for o in outcomes]
    d, low, high = _standardized_change(
        [o.first_total for o in outcomes],
        [o.last_total for o in outcomes],
        higher_is_worse=criteria.higher_is_worse,
    )
    return CaseloadOutcome(
        instrument_id=instrument_id,
        members=members,
        cases_at_start=len(cases),
        reliably_improved_pct=_pct(sum(o.reliably_improved for o in outcomes), members),
        reliably_deteriorated_pct=_pct(sum(o.reliably_deteriorated for o in outcomes), members),
        recovered_pct=_pct(sum(o.recovered for o in cases), len(cases)),
        reliably_recovered_pct=_pct(sum(o.reliably_recovered for o in cases), len(cases)),
        mean_change=statistics.fmean(changes) if changes else None,
        sd_change=statistics.stdev(changes) if members >= 2 else None,
        cohens_d=d,
        d_ci_low=low,
        d_ci_high=high,
    )
