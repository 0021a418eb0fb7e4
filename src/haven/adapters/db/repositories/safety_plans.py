"""Members' safety plans, encrypted whole under the member's data key."""

from __future__ import annotations

import json
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import safety_plans
from haven.domain.safety_plan import SafetyPlan, SafetyPlanStep

__all__ = ["SqlSafetyPlans"]


class SqlSafetyPlans:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def get(self, member_id: UUID) -> SafetyPlan | None:
        row = self._session.execute(
            select(safety_plans).where(safety_plans.c.member_id == member_id)
        ).one_or_none()
        if row is None:
            return None
        steps = json.loads(
            self._cipher.decrypt(
                row.plan_ct,
                owner_id=member_id,
                table="safety_plans",
                column="plan_ct",
                row_id=member_id,
            )
        )
        return SafetyPlan(
            member_id=member_id,
            steps={SafetyPlanStep(step): tuple(entries) for step, entries in steps.items()},
            updated_at=row.updated_at,
        )

    def save(self, plan: SafetyPlan) -> None:
        sealed = self._cipher.encrypt(
            json.dumps({step.value: list(entries) for step, entries in plan.steps.items()}),
            owner_id=plan.member_id,
            table="safety_plans",
            column="plan_ct",
            row_id=plan.member_id,
        )
        # Replace in one transaction: delete then insert works alike on SQLite and PostgreSQL.
        self._session.execute(
            delete(safety_plans).where(safety_plans.c.member_id == plan.member_id)
        )
        self._session.execute(
            insert(safety_plans).values(
                member_id=plan.member_id, plan_ct=sealed, updated_at=plan.updated_at
            )
        )
