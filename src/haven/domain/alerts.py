"""Alerts for the care team: one queue for everything that needs a human to look.

An alert names its source (a questionnaire answer today; risky messages and deterioration
later), a level and the signals that raised it, as codes rather than the member's words, so
the queue itself holds no free text. The care team is told of each new alert; a clinician
acknowledges it to take it off the open queue, and may add notes (encrypted). An alert left
unacknowledged too long for its level is escalated to a second contact: by default 15
minutes for imminent danger and 4 hours for high risk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from haven.domain.instruments import RiskLevel

__all__ = ["Alert", "AlertNote", "AlertSource", "EscalationPolicy"]


class AlertSource(StrEnum):
    ASSESSMENT = "assessment"  # a questionnaire answer (PHQ-9 item 9, C-SSRS)
    JOURNAL = "journal"  # a journal entry the risk check flagged
    CONVERSATION = "conversation"  # a message to the companion the risk check flagged
    MOOD_CHECKIN = "mood_checkin"  # a mood check-in's note the risk check flagged
    # The monitoring's detector: sustained worsening in what the member reports and what
    # their devices record (haven.domain.deterioration); its signals are finding codes.
    DETERIORATION = "deterioration"


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
    notified_at: datetime | None = None  # when the care team was told
    escalated_at: datetime | None = None  # when the second contact was told

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None


@dataclass(frozen=True, slots=True)
class AlertNote:
    id: UUID
    alert_id: UUID
    member_id: UUID
    author_id: UUID | None
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """How long an open alert of each level may wait before a second contact is told."""

    imminent: timedelta = timedelta(minutes=15)
    high: timedelta = timedelta(hours=4)

    def due(self, alert: Alert, *, now: datetime) -> bool:
        """Whether ``alert`` should be escalated now (once; never for low or moderate)."""
        windows = {RiskLevel.IMMINENT: self.imminent, RiskLevel.HIGH: self.high}
        window = windows.get(alert.level)
        return (
            window is not None
            and alert.open
            and alert.escalated_at is None
            and now >= alert.created_at + window
        )
