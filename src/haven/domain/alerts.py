"""Alerts for the care team: one queue for everything that needs a human to look.

An alert names its source (a questionnaire answer today; risky messages and deterioration
later), a level and the signals that raised it, as codes rather than the member's words, so
the queue itself holds no free text. A clinician acknowledges an alert to take it off the
open queue; the acknowledgement is kept, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from haven.domain.instruments import RiskLevel

__all__ = ["Alert", "AlertSource"]


class AlertSource(StrEnum):
    ASSESSMENT = "assessment"


@dataclass(frozen=True, slots=True)
class Alert:
    id: UUID
    member_id: UUID
    source: AlertSource
    source_id: UUID
    level: RiskLevel
    signals: tuple[str, ...]
    created_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: UUID | None = None

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None
