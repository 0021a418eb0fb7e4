"""Matching alerts to labelled episodes: sensitivity, lead time and false alerts.

An episode is caught when an alert for its member falls between ``onset - lead_window`` days
and its end (inclusive); its lead time is onset minus the first such alert, in days
(negative when the alert came after onset). An alert inside no episode's window is false.
Member-months are member-days / 30.44.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["DAYS_PER_MONTH", "Evaluation", "evaluate"]

DAYS_PER_MONTH = 30.44


@dataclass(frozen=True, slots=True)
class Evaluation:
    episodes: int
    caught: int
    lead_times: list[int] = field(default_factory=list)
    alerts: int = 0
    false_alerts: int = 0
    member_days: int = 0

    @property
    def sensitivity(self) -> float | None:
        return self.caught / self.episodes if self.episodes else None

    @property
    def median_lead_time_days(self) -> float | None:
        return float(statistics.median(self.lead_times)) if self.lead_times else None

    @property
    def member_months(self) -> float:
        return self.member_days / DAYS_PER_MONTH

    @property
    def false_alerts_per_member_month(self) -> float | None:
        return self.false_alerts / self.member_months if self.member_days else None

    def as_dict(self) -> dict[str, float | int | None]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "sensitivity": rounded(self.sensitivity),
            "median_lead_time_days": self.median_lead_time_days,
            "false_alerts_per_member_month": rounded(self.false_alerts_per_member_month),
            "episodes": self.episodes,
            "caught": self.caught,
            "alerts": self.alerts,
            "false_alerts": self.false_alerts,
            "member_months": round(self.member_months, 1),
        }


def evaluate(
    *,
    alerts: Iterable[tuple[str, date]],
    episodes: Sequence[tuple[str, date, date]],
    member_days: int,
    lead_window: int = 14,
) -> Evaluation:
    """Score (member_id, alert day) pairs against (member_id, onset, end) episodes."""
    sent = sorted(set(alerts))
    windows: dict[str, list[tuple[date, date]]] = {}
    for member, onset, end in episodes:
        windows.setdefault(member, []).append((onset - timedelta(days=lead_window), end))
    lead_times = []
    for member, onset, end in episodes:
        start = onset - timedelta(days=lead_window)
        inside = [day for m, day in sent if m == member and start <= day <= end]
        if inside:
            lead_times.append((onset - inside[0]).days)
    false = sum(
        1
        for member, day in sent
        if not any(start <= day <= end for start, end in windows.get(member, []))
    )
    return Evaluation(
        episodes=len(episodes),
        caught=len(lead_times),
        lead_times=lead_times,
        alerts=len(sent),
        false_alerts=false,
        member_days=member_days,
    )
