"""Writing audit entries from the use cases."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from haven.domain.audit import AuditEvent
from haven.domain.people import Account
from haven.domain.ports import UnitOfWork

OPERATOR = "operator"  # the person at the server's command line


def record(
    uow: UnitOfWork,
    *,
    at: datetime,
    actor: Account | None,
    action: str,
    purpose: str,
    subject_id: UUID | None = None,
    target_id: object | None = None,
) -> None:
    uow.audit.append(
        AuditEvent(
            at=at,
            actor_id=actor.id if actor else None,
            actor_role=actor.role.value if actor else OPERATOR,
            action=action,
            purpose=purpose,
            subject_id=subject_id,
            target_id=None if target_id is None else str(target_id),
        )
    )
