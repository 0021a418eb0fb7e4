"""Synthetic members with labelled relapse episodes, for calibrating and checking the
deterioration detector (``haven simulate cohort``).

Each member has traits (chronotype, usual sleep, step level, resting heart rate, HRV, mood,
questionnaire level, how often they wear the device and rate their mood) and days built
from them: weekday effects (weekend lie-ins, fewer weekend steps), a slow seasonal swing in
activity, day-to-day noise of realistic size with some carry-over from one day to the next
(AR(1)), missing days and missing stretches, a device change for about a third of members
(an overnight level shift in steps, resting heart rate and HRV, sometimes RMSSD turning
into SDNN), one-to-three-day life events and week-long illnesses that are *not* episodes,
and, for the members who relapse (about 0-2 episodes per member-year), a prodrome that
builds over 1-3 weeks before onset. Signatures are modest and varied: each feature moves in
only some episodes, by 0.5-1.5 of the member's day-to-day SD; PHQ-9 and GAD-7 (answered
about fortnightly, some skipped) rise by amounts that are not always reliable change, and
members rate their mood less often while unwell.

Deterministic for a seed: member ``i`` draws from ``default_rng([seed, i])``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from haven.domain.monitoring import METRICS

__all__ = ["Cohort", "Episode", "simulate_cohort", "write_cohort"]

START = date(2024, 1, 1)
_OFFSETS = ("-08:00", "-05:00", "+00:00", "+01:00", "+02:00", "+05:30", "+10:00")
# Probability that an episode moves each signal at all.
_MOVES = {
    "mood": 0.75,
    "sleep": 0.6,
    "midpoint": 0.4,
    "irregular": 0.4,
    "steps": 0.6,
    "rhr": 0.4,
    "hrv": 0.4,
}


@dataclass(frozen=True, slots=True)
class Episode:
    member_id: str
    onset: date
    end: date


@dataclass(frozen=True, slots=True)
class Cohort:
    members: dict[str, pl.DataFrame]  # generic CSV rows: timestamp, metric, value, unit
    episodes: list[Episode]
    days: int


def _ar1(rng: np.random.Generator, n: int, sd: float, phi: float) -> np.ndarray:
    """Noise with day-to-day carry-over, of stationary standard deviation ``sd``."""
    shocks = rng.normal(0.0, sd * np.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + shocks[t]
    return out


def _episodes(rng: np.random.Generator, days: int) -> list[tuple[int, int, int]]:
    """(prodrome start, onset, end) day indices; about a third of members never relapse."""
    if rng.random() < 0.4 or days < 80:
        return []
    wanted = rng.poisson(1.0 * days / 365)
    found: list[tuple[int, int, int]] = []
    earliest = 50
    for _ in range(wanted):
        onset = int(rng.integers(earliest, earliest + 150))
        if onset > days - 14:
            break
        end = min(onset + int(rng.integers(21, 64)), days - 1)
        found.append((onset - int(rng.integers(7, 22)), onset, end))
        earliest = end + 60
    return found


def _intensity(days: int, episodes: list[tuple[int, int, int]]) -> list[np.ndarray]:
    """Per episode, 0-1 over the days: a rising prodrome, the episode, a 10-day recovery."""
    t = np.arange(days, dtype=float)
    curves = []
    for start, onset, end in episodes:
        ramp = np.clip((t - start) / max(onset - start, 1), 0, 1) ** 1.5
        fall = np.clip(1 - (t - end) / 10, 0, 1)
        curves.append(np.where(t <= end, ramp, fall) * (t >= start))
    return curves


def _member(seed: int, index: int, days: int) -> tuple[pl.DataFrame, list[tuple[date, date]]]:
    rng = np.random.default_rng([seed, index])
    n = days
    t = np.arange(n)
    first = START + timedelta(days=int(rng.integers(0, 28)))
    weekday = (first.weekday() + t) % 7
    weekend = (weekday >= 5).astype(float)
    spans = _episodes(rng, n)
    curves = _intensity(n, spans)

    def effect(signal: str, sd: float) -> np.ndarray:
        """The summed push of every episode that moves ``signal``, in its units."""
        push = np.zeros(n)
        for curve in curves:
            if rng.random() < _MOVES[signal]:
                push += curve * rng.uniform(0.5, 1.5) * sd
        return push

    intensity = np.clip(sum(curves, np.zeros(n)), 0, 1)
    # Life events (a bad night, a late party, a row) and illnesses: not episodes.
    event = np.zeros(n)
    for _ in range(rng.poisson(5 * n / 365)):
        at = int(rng.integers(0, n))
        event[at : at + int(rng.integers(1, 4))] = rng.uniform(0.7, 1.0)
    ill = np.zeros(n)
    for _ in range(rng.poisson(1.0 * n / 365)):
        at = int(rng.integers(0, n))
        ill[at : at + int(rng.integers(3, 8))] = 1.0
    switch = int(rng.integers(30, max(n - 30, 31))) if rng.random() < 0.35 else n
    after = (t >= switch).astype(float)
    steps_shift = rng.choice([rng.uniform(0.7, 0.85), rng.uniform(1.15, 1.4)])
    rhr_shift = rng.choice([-1, 1]) * rng.uniform(2, 5)
    hrv_shift = rng.choice([rng.uniform(0.75, 0.9), rng.uniform(1.1, 1.3)])
    sdnn_before = rng.random() < 0.3
    sdnn_after = (not sdnn_before) if rng.random() < 0.5 else sdnn_before

    # Sleep: hours, and midpoint in hours after the evening-before's midnight.
    sleep_sd = rng.uniform(0.7, 1.1)
    direction = 1.0 if rng.random() < 0.25 else -1.0  # most relapses shorten sleep
    sleep_h = (
        rng.normal(7.2, 0.6)
        + weekend * rng.uniform(0.3, 1.0)
        + _ar1(rng, n, sleep_sd, 0.3)
        + direction * effect("sleep", sleep_sd)
        - 2.0 * event * (rng.random(n) < 0.7)
        + 1.0 * ill
    ).clip(2.0, 13.0)
    mid_sd = rng.uniform(0.4, 0.8)
    midpoint = (
        24
        + rng.normal(3.3, 0.9)
        + weekend * rng.uniform(0.4, 1.4)
        + _ar1(rng, n, mid_sd, 0.3)
        + effect("midpoint", mid_sd)
        + effect("irregular", 1.0) * rng.normal(0, 1, n)
        + 1.5 * event * (rng.random(n) < 0.5)
    )
    # Activity: multiplicative noise; a seasonal swing; the device's own calibration.
    cv = rng.uniform(0.25, 0.4)
    log_steps = (
        np.log(rng.lognormal(np.log(7000), 0.4))
        + weekend * np.log(rng.uniform(0.7, 0.9))
        + 0.1 * np.sin(2 * np.pi * (t + rng.integers(0, 365)) / 365)
        + _ar1(rng, n, cv, 0.3)
        - effect("steps", cv)
        - 0.7 * ill
        + after * np.log(steps_shift)
    )
    steps = np.exp(log_steps)
    active = np.clip(steps / rng.uniform(200, 300) * rng.lognormal(0, 0.3, n) - 5, 0, None)
    rhr_sd = rng.uniform(1.5, 2.5)
    rhr = (
        rng.normal(63, 6)
        + _ar1(rng, n, rhr_sd, 0.5)
        + effect("rhr", rhr_sd)
        + 5.0 * ill
        + after * rhr_shift
    )
    hrv_cv = rng.uniform(0.12, 0.2)
    sdnn = np.where(after > 0, sdnn_after, sdnn_before)
    hrv = np.exp(
        np.log(rng.lognormal(np.log(40), 0.35))
        + _ar1(rng, n, hrv_cv, 0.4)
        - effect("hrv", hrv_cv)
        - 0.2 * ill
        + after * np.log(hrv_shift)
        + sdnn * np.log(1.3)
    )
    mood_sd = rng.uniform(0.7, 1.1)
    mood = (
        rng.normal(6.5, 1.0)
        + _ar1(rng, n, mood_sd, 0.4)
        - effect("mood", mood_sd)
        - 2.0 * event
        - 1.0 * ill
    ).clip(0, 10)

    # What gets recorded: worn days, missing stretches, mood when the member rates it.
    worn = rng.random(n) < rng.uniform(0.7, 0.98)
    for _ in range(rng.poisson(1.5 * n / 365)):
        at = int(rng.integers(0, n))
        worn[at : at + int(rng.integers(3, 22))] = False
    rates = rng.uniform(0.15, 0.9) if rng.random() < 0.9 else 0.0
    rated = rng.random(n) < rates * (1 - 0.3 * intensity)
    asked = np.zeros(n, dtype=bool)
    fortnights = np.arange(int(rng.integers(0, 14)), n, 14)
    asked[np.clip(fortnights + rng.integers(-1, 2, fortnights.size), 0, n - 1)] = True
    answered = asked & (rng.random(n) < 0.85)
    phq_rise = [rng.uniform(4, 12) for _ in curves]
    gad_rise = [rng.uniform(1, 8) for _ in curves]
    phq = (
        rng.uniform(2, 8)
        + rng.normal(0, 1.5, n)
        + sum((c * r for c, r in zip(curves, phq_rise, strict=True)), np.zeros(n))
    )
    gad = (
        rng.uniform(1, 7)
        + rng.normal(0, 1.5, n)
        + sum((c * r for c, r in zip(curves, gad_rise, strict=True)), np.zeros(n))
    )

    midnight = np.datetime64(first, "s") + t.astype("timedelta64[D]")
    hour = np.timedelta64(3600, "s")
    sleep_start = midnight - 24 * hour + ((midpoint - sleep_h / 2) * 3600).astype("timedelta64[s]")
    parts: list[tuple[np.ndarray, str, np.ndarray]] = [
        (sleep_start[worn], "sleep", np.round(sleep_h[worn] * 60)),
    ]
    nap = worn & (rng.random(n) < 0.05)
    parts.append((midnight[nap] + 14 * hour, "sleep", rng.integers(20, 60, int(nap.sum()))))
    for share, at in ((0.3, 12), (0.45, 18), (0.25, 23)):
        parts.append((midnight[worn] + at * hour, "steps", np.round(steps[worn] * share)))
    parts += [
        (midnight[worn] + 22 * hour, "active_minutes", np.round(active[worn])),
        (midnight[worn] + 8 * hour, "resting_heart_rate", np.round(rhr[worn], 1)),
        (midnight[worn & ~sdnn] + 4 * hour, "hrv_rmssd", np.round(hrv[worn & ~sdnn], 1)),
        (midnight[worn & sdnn] + 4 * hour, "hrv_sdnn", np.round(hrv[worn & sdnn], 1)),
        (midnight[rated] + 20 * hour, "mood", np.round(mood[rated])),
        (midnight[answered] + 10 * hour, "phq9", np.round(phq[answered]).clip(0, 27)),
        (midnight[answered] + 10 * hour + 300, "gad7", np.round(gad[answered]).clip(0, 21)),
    ]
    offset = str(rng.choice(_OFFSETS))
    frame = pl.concat(
        [
            pl.DataFrame(
                {
                    "local": pl.Series(stamps.astype("datetime64[us]")),
                    "metric": metric,
                    "value": pl.Series(values.astype(float)),
                    "unit": METRICS[metric].unit,
                }
            )
            for stamps, metric, values in parts
        ]
    ).sort("local", "metric")
    frame = frame.select(
        timestamp=pl.col("local").dt.strftime("%Y-%m-%dT%H:%M:%S") + offset,
        metric="metric",
        value="value",
        unit="unit",
    )
    labelled = [
        (first + timedelta(days=onset), first + timedelta(days=end)) for _, onset, end in spans
    ]
    return frame, labelled


def simulate_cohort(*, members: int, days: int, seed: int) -> Cohort:
    """``members`` synthetic members of ``days`` days each (enrolment staggered over 4 weeks)."""
    rows: dict[str, pl.DataFrame] = {}
    episodes: list[Episode] = []
    for index in range(members):
        member_id = f"m{index + 1:05d}"
        frame, spans = _member(seed, index, days)
        rows[member_id] = frame
        episodes += [Episode(member_id, onset, end) for onset, end in spans]
    return Cohort(members=rows, episodes=episodes, days=days)


def write_cohort(cohort: Cohort, out: Path) -> None:
    """``out/members/<member_id>.csv`` (generic format) and ``out/episodes.csv``."""
    folder = out / "members"
    folder.mkdir(parents=True, exist_ok=True)
    for member_id, frame in cohort.members.items():
        frame.write_csv(folder / f"{member_id}.csv", float_precision=1)
    pl.DataFrame(
        {
            "member_id": [e.member_id for e in cohort.episodes],
            "onset_date": [e.onset.isoformat() for e in cohort.episodes],
            "end_date": [e.end.isoformat() for e in cohort.episodes],
        },
        schema={"member_id": pl.String, "onset_date": pl.String, "end_date": pl.String},
    ).write_csv(out / "episodes.csv")
