"""The member's safety plan: they write it; their care team reads it with consent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import PermissionDenied
from haven.domain.people import Account
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.safety_plan import SafetyPlan, check_safety_plan
from haven.domain.text import N_
from haven.services import _audit
from haven.services._access import open_member_record

__all__ = ["safety_plan", "save_safety_plan"]

Documents = Mapping[ConsentKind, ConsentDocument]


def safety_plan(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> SafetyPlan:
    """The member's plan; an empty one (every step blank) until they write it."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        plan = uow.safety_plans.get(member_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="safety_plan.read",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return plan or SafetyPlan(member_id=member_id, steps={}, updated_at=clock.now())


def save_safety_plan(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    steps: Mapping[str, Sequence[str]],
    documents: Documents,
) -> SafetyPlan:
    """Replace the member's plan with what they typed; only the member edits it."""
    checked = check_safety_plan(steps)
    plan = SafetyPlan(member_id=member_id, steps=checked, updated_at=clock.now())
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        if actor.id != member_id:
            raise PermissionDenied(N_("Only the member edits their own safety plan."))
        uow.safety_plans.save(plan)
        _audit.record(
            uow,
            at=plan.updated_at,
            actor=actor,
            action="safety_plan.write",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return plan
