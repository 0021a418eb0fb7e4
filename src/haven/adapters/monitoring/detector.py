"""The deterioration detector over daily features, for every member at once.

For each feature in ``haven.domain.monitoring.FEATURES``: the member's usual (median of the
``baseline_days`` before the last ``recent_days``, at least ``baseline_min_days`` of data),
their usual spread (interquartile range / 1.349, floored), the last week's mean (at least
``recent_min_days`` days of data) and its robust z in the direction of worsening. Too little
data on either side gives no z, so a gap never reads as a change. Because the baseline
excludes only the last week and slides on, a lasting change that is not an episode (a new
device, a new job) becomes the new usual within a few weeks; until then activity and heart
readings cannot alert on their own (``haven.domain.monitoring.FIRM_SIGNALS``).

PHQ-9 and GAD-7: the latest total (valid for the two weeks it recalls) against the median of
the member's previous answers, scored by the reliable-change amount of the instrument file.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import polars as pl

from haven.domain.monitoring import (
    FEATURES,
    FIRM_SIGNALS,
    QUESTIONNAIRES,
    DetectorPolicy,
    DeteriorationAlert,
    Finding,
    Worse,
    rate_limit,
)

__all__ = ["alerts_on", "detect", "score_days"]

_M = "member_id"


def _feature_columns(policy: DetectorPolicy) -> list[pl.Expr]:
    exprs: list[pl.Expr] = []
    for spec in FEATURES:
        x = pl.col(spec.column)
        past = x.shift(policy.recent_days)
        size, least = policy.baseline_days, policy.baseline_min_days
        usual = past.rolling_median(size, min_samples=least).over(_M)
        spread = (
            past.rolling_quantile(0.75, window_size=size, min_samples=least)
            - past.rolling_quantile(0.25, window_size=size, min_samples=least)
        ).over(_M) / 1.349
        scale = pl.max_horizontal(spread, pl.lit(spec.floor), spec.relative_floor * usual.abs())
        recent = x.rolling_mean(policy.recent_days, min_samples=policy.recent_min_days).over(_M)
        z = (recent - usual) / scale
        sign = {Worse.LOWER: pl.lit(-1.0), Worse.HIGHER: pl.lit(1.0), Worse.EITHER: z.sign()}
        worse = z * sign[spec.worse]
        bad_day = ((x - usual) * sign[spec.worse] / scale > 0.5).cast(pl.Int32)
        exprs += [
            (recent - usual).alias(f"{spec.column}__change"),
            usual.alias(f"{spec.column}__usual"),
            worse.alias(f"{spec.column}__z"),
            bad_day.rolling_sum(policy.recent_days, min_samples=1)
            .over(_M)
            .alias(f"{spec.column}__days"),
            # DetectorPolicy.contribution, for every row at once.
            (spec.weight * (worse - policy.z_margin).clip(0.0, policy.z_cap))
            .fill_null(0.0)
            .fill_nan(0.0)
            .alias(f"{spec.column}__points"),
        ]
    return exprs


def _questionnaire(frame: pl.LazyFrame, name: str, policy: DetectorPolicy) -> pl.LazyFrame:
    answers = (
        frame.select(_M, "day", name)
        .filter(pl.col(name).is_not_null())
        .with_columns(
            usual=pl.col(name)
            .shift(1)
            .rolling_median(policy.questionnaire_history, min_samples=1)
            .over(_M)
        )
        .select(
            _M,
            "day",
            pl.col("usual").alias(f"{name}__usual"),
            (pl.col(name) - pl.col("usual")).alias(f"{name}__change"),
        )
    )
    limit = policy.questionnaire_valid_days - 1
    rise = pl.col(f"{name}__change")
    ratio = rise / policy.reliable_change[name]  # DetectorPolicy.questionnaire_contribution
    return (
        frame.join(answers, on=[_M, "day"], how="left")
        .with_columns(
            pl.col(f"{name}__change", f"{name}__usual").forward_fill(limit=limit).over(_M)
        )
        .with_columns(
            pl.when(ratio >= 0.5)
            .then(policy.questionnaire_weight * ratio.clip(upper_bound=1.5))
            .otherwise(0.0)
            .fill_null(0.0)
            .alias(f"{name}__points")
        )
    )


def score_days(features: pl.LazyFrame, policy: DetectorPolicy) -> pl.LazyFrame:
    """Features (sorted by member, day) with, per feature, ``__change``, ``__usual``,
    ``__z`` (robust z, positive = worse), ``__days`` and ``__points``, and the day's
    ``score`` and ``fires`` (sustained and corroborated)."""
    scored = features.with_columns(_feature_columns(policy))
    for name in QUESTIONNAIRES:
        scored = _questionnaire(scored, name, policy)
    scored = scored.sort(_M, "day")
    points = [f"{s.column}__points" for s in FEATURES] + [f"{q}__points" for q in QUESTIONNAIRES]
    firm = [f"{s.column}__points" for s in FEATURES if s.signal in FIRM_SIGNALS] + [
        f"{q}__points" for q in QUESTIONNAIRES
    ]
    over = (pl.col("score") >= policy.threshold) & pl.any_horizontal(pl.col(firm) > 0)
    return scored.with_columns(score=pl.sum_horizontal(points)).with_columns(
        fires=over.cast(pl.Int32).rolling_sum(policy.sustain_days).over(_M) == policy.sustain_days
    )


def _findings(row: dict[str, Any]) -> tuple[Finding, ...]:
    """The features and questionnaires that added to a day's score."""
    names = [spec.column for spec in FEATURES] + list(QUESTIONNAIRES)
    return tuple(
        Finding(
            feature=name,
            change=float(row[f"{name}__change"]),
            days=int(row.get(f"{name}__days") or 0),
            usual=row[f"{name}__usual"],
            contribution=float(row[f"{name}__points"]),
        )
        for name in names
        if row[f"{name}__points"] > 0
    )


def detect(features: pl.LazyFrame, policy: DetectorPolicy) -> list[DeteriorationAlert]:
    """The alerts that would go out, rate-limited per member, each with its findings."""
    fired = score_days(features, policy).filter(pl.col("fires")).collect()
    by_member: dict[str, dict[date, dict[str, Any]]] = defaultdict(dict)
    for row in fired.iter_rows(named=True):
        by_member[row[_M]][row["day"]] = row
    alerts: list[DeteriorationAlert] = []
    for member, rows in sorted(by_member.items()):
        for day in rate_limit(rows, every=policy.rate_limit_days):
            row = rows[day]
            alerts.append(DeteriorationAlert(member, day, float(row["score"]), _findings(row)))
    return alerts


def alerts_on(
    features: pl.LazyFrame, policy: DetectorPolicy, *, day: date
) -> list[DeteriorationAlert]:
    """The alerts the rule raises on ``day`` alone, one per member whose rule fires that day,
    with no rate limit: a daily run calls this and rate-limits against the alerts it has
    already opened (``detect`` rate-limits within the history it is given, which a daily
    run would otherwise replay)."""
    fired = score_days(features, policy).filter(pl.col("fires") & (pl.col("day") == day)).collect()
    return [
        DeteriorationAlert(row[_M], day, float(row["score"]), _findings(row))
        for row in fired.sort(_M).iter_rows(named=True)
    ]
