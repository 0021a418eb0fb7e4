"""Monitoring benchmark: daily features for 10,000 members over 365 days, in one polars
pipeline (target: at most 10 s on the 2-core machine).

The input is generated here with numpy, vectorised: for every member and day a sleep
session, a step count, active minutes, resting heart rate and HRV (RMSSD for most, SDNN
for some), a mood rating on about half the days and a PHQ-9 every fortnight: about 20
million observations in the generic import vocabulary, already parsed (member, local time,
metric, value), as an importer hands them over. Peak memory is sampled from /proc during
the features step. Run alone with ``python -m bench.monitoring``.
"""

from __future__ import annotations

import json
import resource
import threading
import time
from datetime import datetime

import numpy as np
import polars as pl

from haven.adapters.monitoring.features import METRIC_TYPE, features

MEMBERS = 10_000
DAYS = 365
START = datetime(2024, 1, 1)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


class _PeakRss:
    """Samples the resident set every 10 ms while the block runs."""

    def __enter__(self) -> _PeakRss:
        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def observations(members: int = MEMBERS, days: int = DAYS, seed: int = 0) -> pl.DataFrame:
    """Synthetic parsed observations, one block per metric, all members at once."""
    rng = np.random.default_rng(seed)
    n = members * days
    member = np.repeat(np.arange(members), days)
    day = np.tile(np.arange(days), members)
    weekend = ((day + START.weekday()) % 7 >= 5).astype(float)
    midnight = np.datetime64(START, "s") + day.astype("timedelta64[D]")
    hour = np.timedelta64(3600, "s")

    def trait(mean: float, sd: float) -> np.ndarray:
        return np.repeat(rng.normal(mean, sd, members), days)

    sleep_h = np.clip(trait(7.2, 0.6) + 0.6 * weekend + rng.normal(0, 0.9, n), 2, 13)
    midpoint = trait(27.3, 0.9) + 0.8 * weekend + rng.normal(0, 0.6, n)
    start = midnight - 24 * hour + ((midpoint - sleep_h / 2) * 3600).astype("timedelta64[s]")
    steps = np.exp(trait(8.8, 0.4) - 0.2 * weekend + rng.normal(0, 0.3, n))
    sdnn = np.repeat(rng.random(members) < 0.3, days)
    mood = rng.random(n) < 0.5
    phq = (day + np.repeat(rng.integers(0, 14, members), days)) % 14 == 0
    blocks = [
        (np.ones(n, bool), start, "sleep", np.round(sleep_h * 60)),
        (np.ones(n, bool), midnight + 23 * hour, "steps", np.round(steps)),
        (np.ones(n, bool), midnight + 22 * hour, "active_minutes", np.round(steps / 250)),
        (
            np.ones(n, bool),
            midnight + 8 * hour,
            "resting_heart_rate",
            trait(63, 6) + rng.normal(0, 2, n),
        ),
        (~sdnn, midnight + 4 * hour, "hrv_rmssd", trait(40, 10) + rng.normal(0, 6, n)),
        (sdnn, midnight + 4 * hour, "hrv_sdnn", trait(50, 12) + rng.normal(0, 8, n)),
        (
            mood,
            midnight + 20 * hour,
            "mood",
            np.round(np.clip(trait(6.5, 1) + rng.normal(0, 1, n), 0, 10)),
        ),
        (
            phq,
            midnight + 10 * hour,
            "phq9",
            np.round(np.clip(trait(5, 2) + rng.normal(0, 1.5, n), 0, 27)),
        ),
    ]
    frames = [
        pl.DataFrame(
            {
                "member_index": member[keep].astype(np.int32),
                "local": pl.Series(stamps[keep].astype("datetime64[us]")),
                "metric": pl.Series([metric] * int(keep.sum()), dtype=METRIC_TYPE),
                "value": values[keep].astype(float),
            }
        )
        for keep, stamps, metric, values in blocks
    ]
    return (
        pl.concat(frames)
        .with_columns(member_id="m" + pl.col("member_index").cast(pl.String).str.zfill(5))
        .select("member_id", "local", "metric", "value")
    )


def run(members: int = MEMBERS, days: int = DAYS) -> dict[str, float | int]:
    started = time.perf_counter()
    rows = observations(members, days)
    generate_s = time.perf_counter() - started
    before = _rss_mb()
    with _PeakRss() as memory:
        started = time.perf_counter()
        cpu = _cpu_s()
        daily = features(rows.lazy()).collect()
        features_s = time.perf_counter() - started
        cpu = _cpu_s() - cpu
    assert daily.height == members * days
    return {
        "monitoring_members": members,
        "monitoring_days": days,
        "monitoring_observations": rows.height,
        "monitoring_generate_s": round(generate_s, 2),
        "monitoring_features_s": round(features_s, 2),
        "monitoring_features_cpu_s": round(cpu, 2),
        "monitoring_input_rss_mb": round(before, 1),
        "monitoring_peak_rss_mb": round(memory.peak, 1),
    }


def describe(figures: dict[str, float | int]) -> str:
    return (
        f"daily features, {figures['monitoring_members']:,} members x "
        f"{figures['monitoring_days']} days ({figures['monitoring_observations']:,} "
        f"observations)  {figures['monitoring_features_s']} s "
        f"({figures['monitoring_features_cpu_s']} s CPU), peak RSS "
        f"{figures['monitoring_peak_rss_mb']} MB ({figures['monitoring_input_rss_mb']} MB "
        "before, input included)"
    )


def main() -> None:
    figures = run()
    print(describe(figures))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
