"""The deterioration detector over stored readings, for the daily monitoring run.

``haven.services.monitoring`` gathers every member's readings (wearables, mood ratings,
questionnaire totals) as plain ``Reading`` rows and stays free of polars; this adapter makes
the long frame that ``features`` expects, scores the days and returns the alerts of one day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from haven.adapters.monitoring.detector import alerts_on
from haven.adapters.monitoring.features import METRIC_TYPE, features
from haven.domain.deterioration import Reading
from haven.domain.monitoring import METRICS, DetectorPolicy, DeteriorationAlert

__all__ = ["PolarsDetector"]

_SCHEMA: dict[str, pl.DataType] = {
    "member_id": pl.String(),
    "local": pl.Datetime("us"),
    "metric": METRIC_TYPE,
    "value": pl.Float64(),
}


class PolarsDetector:
    """``DeteriorationDetector`` with the calibrated policy (docs/monitoring.md)."""

    def __init__(self, policy: DetectorPolicy) -> None:
        self.policy = policy

    def alerts_on(self, readings: Sequence[Reading], *, day: date) -> list[DeteriorationAlert]:
        known = [r for r in readings if r.metric in METRICS]
        if not known:
            return []
        frame = pl.DataFrame(
            {
                "member_id": [r.member_id for r in known],
                "local": [r.local.replace(tzinfo=None) for r in known],
                "metric": [r.metric for r in known],
                "value": [float(r.value) for r in known],
            },
            schema=_SCHEMA,
        )
        return alerts_on(features(frame.lazy()), self.policy, day=day)
