"""``haven monitor run``: the daily deterioration run (services/monitoring.py), for cron.

It prints counts only: no member, no finding, nothing anyone wrote.
"""

from __future__ import annotations

import typer
from rich.console import Console

from haven.bootstrap import bootstrap, deterioration_policy
from haven.config import Settings
from haven.content import replies

__all__ = ["monitor_app"]

monitor_app = typer.Typer(
    help="Monitoring: deterioration alerts and companion check-ins.", no_args_is_help=True
)
out = Console()


@monitor_app.command("run")
def monitor_run() -> None:
    """Score yesterday for every member: the companion checks in with those getting worse and
    their care team gets an alert (run it once a day from cron, then `haven alerts notify`)."""
    from haven.services.monitoring import run_monitoring

    container = bootstrap(Settings())
    try:
        run = run_monitoring(
            container.uow,
            clock=container.clock,
            detector=container.detector,
            replies=replies(),
            documents=container.documents,
            rate_limit_days=deterioration_policy(container.instruments).rate_limit_days,
        )
    finally:
        container.close()
    out.print(
        f"{run.members} member(s) read, {run.flagged} flagged: {run.checked_in} check-in(s) "
        f"written, {run.alerts} alert(s) opened, {run.held} held by the rate limit"
    )
