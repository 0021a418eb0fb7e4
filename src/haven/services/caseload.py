"""The clinician's caseload at a glance: one row per member with the latest scores and their
change, the most urgent open alert, when the member was last active and how many
questionnaires are overdue, so that who needs attention today stands out.

Only members who share their records with the care team have their records read; the others
appear by name alone. Each summarised record is audited under the member's id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.alerts import Alert
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.instruments import RiskLevel
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.schedules import DueState, status_of
from haven.services import _audit
from haven.services._access import shared_caseload

__all__ = ["CaseloadRow", "LatestScore", "caseload_overview"]

Documents = Mapping[ConsentKind, ConsentDocument]

# The measures measurement-based care repeats at every contact (depression, anxiety).
HEADLINE_INSTRUMENTS = ("phq9", "gad7")


@dataclass(frozen=True, slots=True)
class LatestScore:
    instrument_id: str
    total: int
    severity: str  # the band code of ``total``
    change: int | None  # points since the previous total (negative is lower); None for a first
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    member: Account
    shares: bool  # False: the member does not share their record, and nothing else is read
    scores: dict[str, LatestScore]  # by instrument id, for the headline instruments answered
    open_alert: RiskLevel | None  # the most urgent level among the open alerts
    open_alerts: int
    last_active: datetime | None  # latest message, journal entry, check-in or questionnaire
    overdue: int  # questionnaires past their grace period


def caseload_overview(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    documents: Documents,
    instrument_ids: Sequence[str] = HEADLINE_INSTRUMENTS,
) -> list[CaseloadRow]:
    """One row per member assigned to ``actor``, in the order they were assigned."""
    require_role(actor, Role.CLINICIAN)
    now = clock.now()
    with uow:
        assigned = uow.care_teams.members_of(actor.id)
        shared = set(shared_caseload(uow, clinician=actor, documents=documents))
        alerts = _open_alerts_by_member(uow.alerts.for_members(sorted(shared), open_only=True))
        rows: list[CaseloadRow] = []
        for member_id in assigned:
            member = uow.accounts.get(member_id)
            if member is None:
                continue
            if member_id not in shared:
                rows.append(CaseloadRow(member, False, {}, None, 0, None, 0))
                continue
            rows.append(
                _row(uow, member=member, alerts=alerts.get(member_id, []), now=now,
                     instrument_ids=instrument_ids)
            )  # fmt: skip
            _audit.record(
                uow,
                at=now,
                actor=actor,
                action="caseload.summary",
                purpose=Purpose.CARE_TEAM_REVIEW,
                subject_id=member_id,
            )
        _audit.record(
            uow, at=now, actor=actor, action="caseload.read", purpose=Purpose.CARE_TEAM_REVIEW
        )
        uow.commit()
    return rows


def _open_alerts_by_member(alerts: list[Alert]) -> dict[UUID, list[Alert]]:
    found: dict[UUID, list[Alert]] = {}
    for alert in alerts:
        if alert.open:
            found.setdefault(alert.member_id, []).append(alert)
    return found


def _row(
    uow: UnitOfWork,
    *,
    member: Account,
    alerts: list[Alert],
    now: datetime,
    instrument_ids: Sequence[str],
) -> CaseloadRow:
    scores: dict[str, LatestScore] = {}
    for instrument_id in instrument_ids:
        results = [
            a
            for a in uow.assessments.for_member(member.id, instrument_id=instrument_id)
            if a.total is not None
        ]
        if not results:
            continue
        last = results[-1]
        assert last.total is not None
        previous = results[-2].total if len(results) > 1 else None
        scores[instrument_id] = LatestScore(
            instrument_id=instrument_id,
            total=last.total,
            severity=last.severity,
            change=None if previous is None else last.total - previous,
            at=last.submitted_at,
        )
    completed = uow.assessments.latest(member.id)
    overdue = sum(
        status_of(s, last_completed_at=completed.get(s.instrument_id), now=now).state
        is DueState.OVERDUE
        for s in uow.schedules.for_member(member.id)
    )
    journal = uow.journal.latest(member.id, count=1)
    moods = uow.moods.latest(member.id, count=1)
    moments = [
        *completed.values(),
        *(entry.created_at for entry in journal),
        *(checkin.created_at for checkin in moods),
        uow.conversations.last_message_at(member.id),
    ]
    last_active = max((m for m in moments if m is not None), default=None)
    top = max(alerts, key=lambda a: a.level.rank, default=None)
    return CaseloadRow(
        member=member,
        shares=True,
        scores=scores,
        open_alert=top.level if top else None,
        open_alerts=len(alerts),
        last_active=last_active,
        overdue=overdue,
    )
