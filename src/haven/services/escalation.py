"""Escalation: the one door through which anything dangerous reaches a human.

A questionnaire answer that raises a flag (PHQ-9 item 9 above 0, any "yes" on the C-SSRS
screener) and a member's message that the risk check rates moderate or above each open an
alert in the care team's queue, in the same transaction as the record that raised it, so a
stored answer or entry can never miss its alert.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from haven.domain.alerts import Alert, AlertSource
from haven.domain.instruments import ItemFlag, RiskLevel
from haven.domain.ports import UnitOfWork
from haven.domain.risk import MessageRisk, RiskAssessment
from haven.domain.risk_combination import EARLIER_RISK_SIGNAL
from haven.domain.scoring import Assessment

__all__ = ["escalate_assessment", "escalate_message"]

# A message reaches the care team from "moderate" up, as ``haven eval risk`` counts a flag.
_FLAGGED = MessageRisk.MODERATE


def escalate_assessment(
    uow: UnitOfWork, *, assessment: Assessment, flags: Sequence[ItemFlag], at: datetime
) -> Alert | None:
    """Open one alert for a result's flags, at the most urgent flag's level; None if none."""
    if not flags:
        return None
    alert = Alert(
        id=uuid.uuid4(),
        member_id=assessment.member_id,
        source=AlertSource.ASSESSMENT,
        source_id=assessment.id,
        level=max((flag.level for flag in flags), key=lambda level: level.rank),
        signals=tuple(flag.code for flag in flags),
        created_at=at,
    )
    uow.alerts.add(alert)
    return alert


def escalate_message(
    uow: UnitOfWork,
    *,
    member_id: UUID,
    source: AlertSource,
    source_id: UUID,
    risk: RiskAssessment,
    at: datetime,
) -> Alert | None:
    """Open an alert for a member's message the risk check flagged; None below moderate, and
    None for a message flagged only because an earlier one was while that one's alert (or
    another of the same source at its level or above) is still open: the care team is already
    reading that conversation, and one crisis should ring once."""
    if risk.level.rank < _FLAGGED.rank:
        return None
    level = RiskLevel(risk.level.value)
    if EARLIER_RISK_SIGNAL in risk.signals and any(
        open_alert.source is source and open_alert.level.rank >= level.rank
        for open_alert in uow.alerts.for_members([member_id])
    ):
        return None
    alert = Alert(
        id=uuid.uuid4(),
        member_id=member_id,
        source=source,
        source_id=source_id,
        level=level,
        signals=risk.signals,
        created_at=at,
    )
    uow.alerts.add(alert)
    return alert
