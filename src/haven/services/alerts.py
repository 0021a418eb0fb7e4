"""The care team's alert queue: what needs a clinician, and acknowledging it."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.alerts import Alert
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, NotFound
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit
from haven.services._access import open_member_record, shared_caseload

__all__ = ["acknowledge_alert", "alert_queue"]

Documents = Mapping[ConsentKind, ConsentDocument]


def alert_queue(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    documents: Documents,
    open_only: bool = True,
) -> list[Alert]:
    """Alerts about the members who share their records with this clinician, newest first,
    the most urgent level first among those open."""
    require_role(actor, Role.CLINICIAN)
    with uow:
        found = uow.alerts.for_members(
            shared_caseload(uow, clinician=actor, documents=documents), open_only=open_only
        )
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="alert.list",
            purpose=Purpose.CARE_TEAM_REVIEW,
        )
        uow.commit()
    return sorted(found, key=lambda a: (not a.open, -a.level.rank))


def acknowledge_alert(
    uow: UnitOfWork, *, clock: Clock, actor: Account, alert_id: UUID, documents: Documents
) -> Alert:
    """A clinician in the member's care team takes an alert off the open queue."""
    require_role(actor, Role.CLINICIAN)
    now = clock.now()
    with uow:
        alert = uow.alerts.get(alert_id)
        if alert is None:
            raise NotFound(N_("No alert with that id is visible to you."))
        try:
            purpose = open_member_record(
                uow, actor=actor, member_id=alert.member_id, documents=documents
            )
        except NotFound:
            raise NotFound(N_("No alert with that id is visible to you.")) from None
        if not alert.open:
            raise Conflict(N_("This alert has already been acknowledged."))
        uow.alerts.acknowledge(alert_id, by=actor.id, at=now)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="alert.acknowledge",
            purpose=purpose,
            subject_id=alert.member_id,
            target_id=alert_id,
        )
        uow.commit()
        acknowledged = uow.alerts.get(alert_id)
    assert acknowledged is not None
    return acknowledged
