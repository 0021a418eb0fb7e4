"""Wearable imports: the sources Haven reads, the checks every imported reading passes, and
the error a damaged file gets.

A reading is kept only if its metric and unit are a pair of the monitoring vocabulary
(``haven.domain.monitoring.METRICS``) and its value lies in that metric's plausible range:
a step count of a million or a resting heart rate of 3 bpm is a damaged file, not a member
getting worse, and one such row stops the import so that nothing half-read is stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from haven.domain.errors import InvalidInput
from haven.domain.monitoring import METRICS, Observation
from haven.domain.text import N_

__all__ = [
    "SOURCES",
    "ImportSummary",
    "WearableFileError",
    "check_observation",
    "reading_problem",
]

SOURCES = frozenset({"apple_health", "fitbit", "google", "csv"})
MAX_DEVICE_LENGTH = 200


class WearableFileError(InvalidInput):
    """A wearable file that cannot be imported, with the record that broke it: "export.xml
    line 4,211: Record startDate is not a date like 2024-01-05 23:10:00 +0100". The message
    names the field and what it should be, never the field's content."""

    def __init__(self, *, file: str, where: str, problem: str) -> None:
        super().__init__(
            N_("{file}, {where}: {problem}"), field="file", file=file, where=where, problem=problem
        )
        self.file = file
        self.where = where
        self.problem = problem


def reading_problem(metric: str, value: float, unit: str) -> str | None:
    """What is wrong with a reading of ``metric``, or None when it can be stored."""
    spec = METRICS.get(metric)
    if spec is None:
        return f"unknown metric (one of {', '.join(METRICS)})"
    if unit != spec.unit:
        return f"unit of {metric} must be {spec.unit}"
    if math.isnan(value) or not spec.low <= value <= spec.high:
        return f"{metric} must lie between {spec.low:g} and {spec.high:g} {spec.unit}"
    return None


def _aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


def check_observation(observation: Observation) -> str | None:
    """What is wrong with an observation as a whole, or None: the reading itself, aware
    timestamps in order, a known source and a device name of sane length."""
    o = observation
    problem = reading_problem(o.metric, o.value, o.unit)
    if problem is not None:
        return problem
    if not (_aware(o.start_at) and _aware(o.end_at)):
        return "timestamps need a UTC offset"
    if o.end_at < o.start_at:
        return "the end comes before the start"
    if o.source not in SOURCES:
        return f"unknown source (one of {', '.join(sorted(SOURCES))})"
    if len(o.device) > MAX_DEVICE_LENGTH:
        return f"device name longer than {MAX_DEVICE_LENGTH} characters"
    return None


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: readings newly stored, and readings already there (a re-import
    of the same file adds nothing)."""

    added: int
    already_there: int

    @property
    def read(self) -> int:
        return self.added + self.already_there
