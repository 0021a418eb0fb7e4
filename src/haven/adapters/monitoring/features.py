"""Daily features for every member at once, in one polars pipeline (no loop per member).

Input: observations in the generic import vocabulary (``haven.domain.monitoring.METRICS``),
one row each: ``member_id``, ``local`` (the timestamp in the member's own clock, as written
before its UTC offset, so a day is the day the member lived), ``metric``, ``value``.

Output, one row per member per calendar day from their first to their last observation
(days without data are rows of nulls, so rolling windows count days, not rows):

- ``sleep_h``: hours asleep, all sessions that *end* on the day (a night counts for the
  morning the member wakes up);
- ``sleep_mid_h``: midpoint of the day's longest session, in hours after midnight of the
  evening before (18:00-42:00 window: 23:30 is 23.5, 03:00 is 27.0), so nights that cross
  midnight never wrap round;
- ``sleep_regularity_h``: standard deviation of that midpoint over the last 7 days
  (at least 4 nights); larger is less regular;
- ``steps``, ``active_minutes`` (sums), ``resting_hr`` (bpm), ``hrv_ms`` (RMSSD where the
  device gives it, else SDNN; ``hrv_kind`` says which), ``mood`` (mean rating 0-10),
  ``mood_sd`` (SD of daily mood over the last 7 days, at least 3 ratings), ``phq9`` and
  ``gad7`` (the day's total, the higher if two; null on other days);
- ``adherence``: share of the last 7 days with a mood rating;
- ``coverage``: share of the last 7 days with any wearable data, so a gap is read as a gap
  and never as a change.
"""

from __future__ import annotations

import polars as pl

from haven.domain.monitoring import METRICS, QUESTIONNAIRES

__all__ = ["METRIC_TYPE", "OBSERVATION_SCHEMA", "daily_features", "daily_rows", "features"]

METRIC_TYPE = pl.Enum(list(METRICS))
OBSERVATION_SCHEMA = {
    "member_id": pl.String,
    "local": pl.Datetime("us"),
    "metric": METRIC_TYPE,
    "value": pl.Float64,
}
WEEK = 7
_WEARABLE = ("sleep_h", "steps", "active_minutes", "resting_hr", "hrv_ms")
_SUMMED = ("steps", "active_minutes")
_COLUMNS = {  # metric: daily column
    "steps": "steps",
    "active_minutes": "active_minutes",
    "resting_heart_rate": "resting_hr",
    "hrv_rmssd": "_rmssd",
    "hrv_sdnn": "_sdnn",
    "mood": "mood",
    "phq9": "phq9",
    "gad7": "gad7",
}


def _day_values(observations: pl.LazyFrame) -> pl.LazyFrame:
    """One row per member and day that has data, one column per metric (no rolling yet)."""
    metric, value = pl.col("metric"), pl.col("value")
    is_sleep = metric == "sleep"
    end = pl.col("local") + pl.duration(seconds=value * 60)
    middle = pl.col("local") + pl.duration(seconds=value * 30)
    # A sleep session counts on the day it ends; every other row on its own local day.
    day = pl.when(is_sleep).then(end).otherwise(pl.col("local")).dt.date()
    evening = (pl.col("day") - pl.duration(days=1)).cast(pl.Datetime("us"))
    mid_h = (middle - evening).dt.total_seconds() / 3600.0
    # Spread each metric into its own column first, so the one group-by runs only plain
    # aggregations (polars' fast path) instead of filtering inside every group.
    spread = {column: pl.when(metric == name).then(value) for name, column in _COLUMNS.items()}
    # The longest session's midpoint in a plain ``max``: whole minutes x 100 + midpoint.
    # A session of at most 24 h ending on the day has its midpoint in [12, 48) hours, so
    # the largest key is the longest session and ``key % 100`` gives its midpoint back.
    longest = value.floor() * 100 + mid_h
    summed = [pl.when(pl.col(c).count() > 0).then(pl.col(c).sum()).alias(c) for c in _SUMMED]
    averaged = [pl.col(c).mean() for c in _COLUMNS.values() if c not in _SUMMED + QUESTIONNAIRES]
    # Two totals of one questionnaire on one day are rare; the higher is kept, the cautious
    # reading.
    answered = [pl.col(c).max() for c in QUESTIONNAIRES]
    return (
        observations.with_columns(day=day)
        .select(
            "member_id",
            "day",
            _sleep_min=pl.when(is_sleep).then(value),
            _longest=pl.when(is_sleep).then(longest),
            **spread,
        )
        .group_by("member_id", "day")
        .agg(
            *summed,
            *averaged,
            *answered,
            pl.when(pl.col("_sleep_min").count() > 0)
            .then(pl.col("_sleep_min").sum() / 60.0)
            .alias("sleep_h"),
            (pl.col("_longest").max() % 100).alias("sleep_mid_h"),
        )
    )


def daily_rows(observations: pl.LazyFrame) -> pl.LazyFrame:
    """One row per member per calendar day, the day's own values (no rolling windows)."""
    days = _day_values(observations)
    calendar = (
        days.group_by("member_id")
        .agg(first=pl.col("day").min(), last=pl.col("day").max())
        .select("member_id", day=pl.date_ranges("first", "last"))
        .explode("day")
    )
    return (
        calendar.join(days, on=["member_id", "day"], how="left")
        .with_columns(
            hrv_ms=pl.coalesce("_rmssd", "_sdnn"),
            hrv_kind=pl.when(pl.col("_rmssd").is_not_null())
            .then(pl.lit("rmssd"))
            .when(pl.col("_sdnn").is_not_null())
            .then(pl.lit("sdnn")),
        )
        .drop("_rmssd", "_sdnn")
        .sort("member_id", "day")  # cheaper than a join that keeps the calendar's order
    )


def daily_features(daily: pl.LazyFrame) -> pl.LazyFrame:
    """Add the rolling features to ``daily_rows``' output (sorted by member, then day)."""
    member = "member_id"
    worn = pl.any_horizontal(pl.col(c).is_not_null() for c in _WEARABLE)
    return daily.with_columns(
        sleep_regularity_h=pl.col("sleep_mid_h").rolling_std(WEEK, min_samples=4).over(member),
        mood_sd=pl.col("mood").rolling_std(WEEK, min_samples=3).over(member),
        adherence=pl.col("mood")
        .is_not_null()
        .cast(pl.Float64)
        .rolling_sum(WEEK, min_samples=1)
        .over(member)
        / WEEK,
        coverage=worn.cast(pl.Float64).rolling_sum(WEEK, min_samples=1).over(member) / WEEK,
    )


def features(observations: pl.LazyFrame) -> pl.LazyFrame:
    """Observations to daily features: ``daily_features(daily_rows(observations))``."""
    return daily_features(daily_rows(observations))
