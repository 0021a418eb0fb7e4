"""The safety plan over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field, StringConstraints

from haven.domain.safety_plan import MAX_ENTRIES, MAX_ENTRY_LENGTH, SafetyPlan, SafetyPlanStep
from haven.services import safety_plans
from haven.web.api.schemas import API_PREFIX, Body, ErrorOut
from haven.web.deps import CurrentAccount, Services

__all__ = ["router"]

router = APIRouter(
    prefix=API_PREFIX,
    tags=["safety plan"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)

Entry = Annotated[str, StringConstraints(max_length=MAX_ENTRY_LENGTH * 2)]
Entries = Annotated[list[Entry], Field(max_length=MAX_ENTRIES * 2)]


class SafetyPlanIn(Body):
    steps: dict[SafetyPlanStep, Entries] = Field(
        description="Each step's entries in the member's words; a missing step is left blank.",
        examples=[{"warning_signs": ["Not sleeping"], "people_to_ask": ["My sister Ana"]}],
    )


class SafetyPlanOut(BaseModel):
    member_id: UUID
    steps: dict[SafetyPlanStep, list[str]] = Field(description="Every step, in the plan's order.")
    updated_at: datetime


def _out(plan: SafetyPlan) -> SafetyPlanOut:
    return SafetyPlanOut(
        member_id=plan.member_id,
        steps={step: list(plan.entries(step)) for step in SafetyPlanStep},
        updated_at=plan.updated_at,
    )


@router.get("/members/{member_id}/safety-plan", response_model=SafetyPlanOut)
def read(services: Services, account: CurrentAccount, member_id: UUID) -> SafetyPlanOut:
    """The member's safety plan (Stanley & Brown); blank steps until they write them."""
    plan = safety_plans.safety_plan(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    return _out(plan)


@router.put(
    "/members/{member_id}/safety-plan",
    response_model=SafetyPlanOut,
    responses={422: {"model": ErrorOut}},
)
def write(
    services: Services, account: CurrentAccount, member_id: UUID, body: SafetyPlanIn
) -> SafetyPlanOut:
    """Replace the plan with what the member typed."""
    plan = safety_plans.save_safety_plan(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        steps={step.value: entries for step, entries in body.steps.items()},
        documents=services.documents,
    )
    return _out(plan)
