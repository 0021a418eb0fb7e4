"""Escalation: the one door through which anything dangerous reaches a human.

Today a questionnaire answer that raises a flag (PHQ-9 item 9 above 0, any "yes" on the
C-SSRS screener) opens an alert in the care team's queue, in the same transaction as the
result, so a stored answer can never miss its alert. The safety layer (risk detection and
the crisis protocol) will route its findings through this module as well.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from haven.domain.alerts import Alert, AlertSource
from haven.domain.instruments import ItemFlag
from haven.domain.ports import UnitOfWork
from haven.domain.scoring import Assessment

__all__ = ["escalate_assessment"]


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
