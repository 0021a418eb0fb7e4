"""``haven simulate cohort`` and ``haven eval deterioration``.

``simulate cohort`` writes synthetic members with labelled relapse episodes in the cohort
directory format of docs/monitoring.md; ``eval deterioration`` runs the daily features and
the deterioration detector on any such directory and prints a summary, then, as its last
line, one JSON object (``sensitivity``, ``median_lead_time_days``,
``false_alerts_per_member_month`` and the counts behind them).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from haven.domain.monitoring import QUESTIONNAIRES, DetectorPolicy

__all__ = ["detector_policy", "eval_deterioration", "simulate_cohort"]

out = Console()
err = Console(stderr=True)


def detector_policy() -> DetectorPolicy:
    """The default policy, with the reliable-change amounts of the instrument files."""
    from haven.content import instruments

    loaded = instruments()
    reliable = {}
    for name in QUESTIONNAIRES:
        change = loaded[name].change
        assert change is not None, f"instruments/{name}.yaml has no change criteria"
        reliable[name] = change.reliable_change
    return DetectorPolicy(reliable_change=reliable)


def simulate_cohort(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the cohort to.")],
    members: Annotated[int, typer.Option(min=1, max=100_000, help="Simulated members.")] = 200,
    days: Annotated[int, typer.Option(min=14, max=3650, help="Days per member.")] = 365,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Write synthetic members (members/<id>.csv) and their relapse episodes (episodes.csv)."""
    from haven.adapters.monitoring.simulation import simulate_cohort as simulate
    from haven.adapters.monitoring.simulation import write_cohort

    started = time.perf_counter()
    cohort = simulate(members=members, days=days, seed=seed)
    write_cohort(cohort, out_dir)
    relapsing = len({e.member_id for e in cohort.episodes})
    err.print(
        f"{members} members x {days} days (seed {seed}): {len(cohort.episodes)} episodes in "
        f"{relapsing} members, written to {escape(str(out_dir))} in "
        f"{time.perf_counter() - started:.1f} s",
        highlight=False,
    )
    summary = {
        "members": members,
        "days": days,
        "seed": seed,
        "episodes": len(cohort.episodes),
        "out": str(out_dir),
    }
    sys.stdout.write(json.dumps(summary) + "\n")


def eval_deterioration(
    directory: Annotated[
        Path, typer.Argument(help="Cohort directory: members/<id>.csv and episodes.csv.")
    ],
    lead_window: Annotated[
        int, typer.Option(min=0, help="Days before onset an alert still counts as a catch.")
    ] = 14,
    show_alerts: Annotated[
        int, typer.Option(min=0, help="Print this many alerts with their explanations.")
    ] = 5,
) -> None:
    """Run the deterioration detector on a cohort and match its alerts to the episodes."""
    from haven.adapters.monitoring.cohort import CohortError, read_episodes, read_observations
    from haven.adapters.monitoring.detector import detect
    from haven.adapters.monitoring.evaluation import evaluate
    from haven.adapters.monitoring.features import features

    started = time.perf_counter()
    try:
        observations = read_observations(directory)
        episodes = read_episodes(directory)
    except CohortError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from None
    daily = features(observations).collect()
    policy = detector_policy()
    alerts = detect(daily.lazy(), policy)
    result = evaluate(
        alerts=[(a.member_id, a.day) for a in alerts],
        episodes=episodes,
        member_days=daily.height,
        lead_window=lead_window,
    )
    elapsed = time.perf_counter() - started
    members = daily["member_id"].n_unique()
    table = Table(title=f"Deterioration detector on {escape(str(directory))}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in (
        ("members", str(members)),
        ("member-months", f"{result.member_months:.1f}"),
        ("episodes", str(result.episodes)),
        ("caught", str(result.caught)),
        ("sensitivity", _maybe(result.sensitivity, "{:.1%}")),
        ("median lead time (days before onset)", _maybe(result.median_lead_time_days, "{:.1f}")),
        ("alerts", str(result.alerts)),
        ("false alerts", str(result.false_alerts)),
        ("false alerts per member-month", _maybe(result.false_alerts_per_member_month, "{:.3f}")),
        ("seconds", f"{elapsed:.1f}"),
    ):
        table.add_row(label, value)
    out.print(table)
    for alert in alerts[:show_alerts]:
        out.print(
            f"{alert.member_id} {alert.day.isoformat()}: {escape(alert.explanation)}",
            highlight=False,
            soft_wrap=True,
        )
    report = result.as_dict() | {"members": members, "seconds": round(elapsed, 2)}
    sys.stdout.write(json.dumps(report) + "\n")


def _maybe(value: float | None, form: str) -> str:
    return "-" if value is None else form.format(value)
