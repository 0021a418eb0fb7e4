"""Daily features: hand-built observations with answers worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.adapters.monitoring.cohort import CohortError, read_observations
from haven.adapters.monitoring.features import OBSERVATION_SCHEMA, features


def daily(rows: list[tuple[str, datetime, str, float]]) -> pl.DataFrame:
    frame = pl.LazyFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")
    return features(frame).collect()


def on(frame: pl.DataFrame, day: date, member: str = "a") -> dict[str, object]:
    return frame.filter((pl.col("member_id") == member) & (pl.col("day") == day)).row(0, named=True)


def test_a_night_counts_for_the_day_the_member_wakes_up() -> None:
    frame = daily([("a", datetime(2024, 1, 1, 23, 0), "sleep", 480.0)])
    assert frame["day"].to_list() == [date(2024, 1, 2)]
    row = on(frame, date(2024, 1, 2))
    assert row["sleep_h"] == pytest.approx(8.0)
    assert row["sleep_mid_h"] == pytest.approx(27.0)  # 03:00 after the evening's midnight


def test_the_midpoint_does_not_wrap_round_midnight() -> None:
    frame = daily(
        [
            ("a", datetime(2024, 1, 1, 21, 0), "sleep", 300.0),  # 21:00-02:00, mid 23:30
            ("a", datetime(2024, 1, 3, 1, 0), "sleep", 360.0),  # 01:00-07:00, mid 04:00
        ]
    )
    assert on(frame, date(2024, 1, 2))["sleep_mid_h"] == pytest.approx(23.5)
    assert on(frame, date(2024, 1, 3))["sleep_mid_h"] == pytest.approx(28.0)


def test_sessions_on_one_day_add_up_and_the_longest_gives_the_midpoint() -> None:
    frame = daily(
        [
            ("a", datetime(2024, 1, 1, 23, 0), "sleep", 420.0),  # ends 06:00, mid 02:30
            ("a", datetime(2024, 1, 2, 14, 0), "sleep", 30.0),  # a nap
        ]
    )
    row = on(frame, date(2024, 1, 2))
    assert row["sleep_h"] == pytest.approx(7.5)
    assert row["sleep_mid_h"] == pytest.approx(26.5)


def test_steps_are_summed_per_day_and_heart_readings_averaged() -> None:
    frame = daily(
        [
            ("a", datetime(2024, 1, 1, 9, 0), "steps", 1000.0),
            ("a", datetime(2024, 1, 1, 18, 0), "steps", 2500.0),
            ("a", datetime(2024, 1, 2, 0, 30), "steps", 100.0),
            ("a", datetime(2024, 1, 1, 8, 0), "resting_heart_rate", 60.0),
            ("a", datetime(2024, 1, 1, 9, 0), "resting_heart_rate", 64.0),
        ]
    )
    assert on(frame, date(2024, 1, 1))["steps"] == 3500.0
    assert on(frame, date(2024, 1, 1))["resting_hr"] == 62.0
    assert on(frame, date(2024, 1, 2))["steps"] == 100.0


def test_rmssd_is_preferred_to_sdnn_and_the_kind_is_kept() -> None:
    frame = daily(
        [
            ("a", datetime(2024, 1, 1, 4, 0), "hrv_sdnn", 55.0),
            ("a", datetime(2024, 1, 1, 4, 0), "hrv_rmssd", 38.0),
            ("a", datetime(2024, 1, 2, 4, 0), "hrv_sdnn", 52.0),
        ]
    )
    assert (on(frame, date(2024, 1, 1))["hrv_ms"], on(frame, date(2024, 1, 1))["hrv_kind"]) == (
        38.0,
        "rmssd",
    )
    assert on(frame, date(2024, 1, 2))["hrv_kind"] == "sdnn"


def test_coverage_and_adherence_count_days_over_the_last_week() -> None:
    rows: list[tuple[str, datetime, str, float]] = []
    for d in range(1, 15):
        if d % 2 == 0:  # wearable every other day
            rows.append(("a", datetime(2024, 1, d, 12, 0), "steps", 5000.0))
        if d in (10, 12, 14):  # three mood ratings in the last week
            rows.append(("a", datetime(2024, 1, d, 20, 0), "mood", 6.0))
    frame = daily(rows)
    row = on(frame, date(2024, 1, 14))
    assert row["coverage"] == pytest.approx(4 / 7)  # the 8th, 10th, 12th and 14th
    assert row["adherence"] == pytest.approx(3 / 7)
    assert on(frame, date(2024, 1, 3))["steps"] is None  # a gap is a row of nulls


def test_each_member_gets_their_own_calendar() -> None:
    frame = daily(
        [
            ("a", datetime(2024, 1, 1, 12, 0), "steps", 1.0),
            ("a", datetime(2024, 1, 4, 12, 0), "steps", 1.0),
            ("b", datetime(2024, 1, 3, 12, 0), "mood", 5.0),
        ]
    )
    assert frame.group_by("member_id").len().sort("member_id")["len"].to_list() == [4, 1]


def test_a_cohort_file_counts_rows_on_the_local_day_written(tmp_path: Path) -> None:
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "m1.csv").write_text(
        "timestamp,metric,value,unit\n"
        "2024-01-01T23:30:00-05:00,steps,700,count\n"  # 04:30 UTC on the 2nd; local 1st
        "2024-01-01T08:00:00+01:00,steps,300,count\n"
    )
    frame = features(read_observations(tmp_path)).collect()
    assert frame.select("day", "steps").rows() == [(date(2024, 1, 1), 1000.0)]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("2024-01-01T08:00:00+01:00,stpes,300,count", "bad metric"),
        ("2024-01-01T08:00:00+01:00,steps,300,min", "bad unit"),
        ("2024-01-01T08:00:00+01:00,mood,11,score", "bad value"),
        ("2024-01-01T08:00:00+01:00,mood,,score", "bad value"),
        ("yesterday,mood,5,score", "bad timestamp"),
    ],
)
def test_a_bad_row_is_named_with_its_file_and_line(tmp_path: Path, line: str, named: str) -> None:
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "m1.csv").write_text(
        f"timestamp,metric,value,unit\n2024-01-01T08:00:00+01:00,steps,1,count\n{line}\n"
    )
    with pytest.raises(CohortError, match=f"m1.csv line 3: {named}"):
        read_observations(tmp_path)


_observation = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2024, 1, 21)),
    st.sampled_from(["steps", "sleep", "mood", "resting_heart_rate"]),
    st.integers(min_value=0, max_value=900).map(float),
)


@given(st.lists(_observation, min_size=1, max_size=60))
@settings(max_examples=60, deadline=None)
def test_features_keep_every_step_and_minute_of_sleep_and_every_day(
    rows: list[tuple[str, datetime, str, float]],
) -> None:
    frame = daily(rows)
    for member in {m for m, *_ in rows}:
        mine = frame.filter(pl.col("member_id") == member)
        for metric, column, per in (("steps", "steps", 1.0), ("sleep", "sleep_h", 1 / 60)):
            given_total = sum(v for m, _, kind, v in rows if m == member and kind == metric)
            assert mine[column].fill_null(0).sum() == pytest.approx(given_total * per)
        days = mine["day"].to_list()
        assert days == sorted(days)
        assert len(days) == (days[-1] - days[0]).days + 1  # no day missing, none twice
    assert frame["coverage"].is_between(0, 1).all()
    assert frame["adherence"].is_between(0, 1).all()
