"""The cohort simulator: deterministic for a seed, in the documented directory format."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from haven.adapters.monitoring.cohort import read_episodes, read_observations
from haven.adapters.monitoring.simulation import simulate_cohort, write_cohort
from haven.domain.monitoring import METRICS


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write_cohort(simulate_cohort(members=6, days=200, seed=11), tmp_path / name)
    first, second = files(tmp_path / "one"), files(tmp_path / "two")
    assert len(first) == 7  # six members and episodes.csv
    assert first == second


def test_another_seed_writes_other_members() -> None:
    one = simulate_cohort(members=3, days=120, seed=1).members["m00001"]
    two = simulate_cohort(members=3, days=120, seed=2).members["m00001"]
    assert not one.equals(two)


def test_members_are_written_in_the_generic_format_the_reader_accepts(tmp_path: Path) -> None:
    cohort = simulate_cohort(members=20, days=365, seed=3)
    write_cohort(cohort, tmp_path)
    header = (tmp_path / "members" / "m00001.csv").read_text().splitlines()[0]
    assert header == "timestamp,metric,value,unit"
    observations = read_observations(tmp_path).collect()
    assert set(observations["metric"].cast(pl.String).unique()) <= set(METRICS)
    episodes = read_episodes(tmp_path)
    assert len(episodes) == len(cohort.episodes) > 0
    assert all(onset < end for _, onset, end in episodes)
    relapsing = {member for member, _, _ in episodes}
    assert 0 < len(relapsing) < 20  # some members never relapse
