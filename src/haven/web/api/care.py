"""Measurement-based care over the API: questionnaire schedules and outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from haven.domain.outcomes import Category
from haven.domain.schedules import MAX_CADENCE_DAYS, DueState, ScheduleStatus, status_of
from haven.services import outcomes, schedules
from haven.web.api.schemas import API_PREFIX, Body, ErrorOut
from haven.web.deps import CurrentAccount, Services

__all__ = ["router"]

router = APIRouter(
    prefix=API_PREFIX,
    tags=["care"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)

InstrumentName = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class ScheduleIn(Body):
    instrument: InstrumentName = Field(examples=["phq9"])
    every_days: int = Field(ge=1, le=MAX_CADENCE_DAYS, examples=[14])
    starts_at: AwareDatetime | None = Field(
        default=None, description="When the first is due; default now."
    )


class ScheduleOut(BaseModel):
    id: UUID
    instrument: str
    every_days: int
    starts_at: datetime
    due_at: datetime
    overdue_at: datetime
    state: DueState
    last_completed_at: datetime | None


def _schedule(status: ScheduleStatus) -> ScheduleOut:
    return ScheduleOut(
        id=status.schedule.id,
        instrument=status.schedule.instrument_id,
        every_days=status.schedule.every_days,
        starts_at=status.schedule.starts_at,
        due_at=status.due_at,
        overdue_at=status.overdue_at,
        state=status.state,
        last_completed_at=status.last_completed_at,
    )


@router.get("/members/{member_id}/schedules", response_model=list[ScheduleOut])
def member_schedules(
    services: Services, account: CurrentAccount, member_id: UUID
) -> list[ScheduleOut]:
    """What the member has been asked to answer, soonest due first, with due/overdue state."""
    found = schedules.schedule_statuses(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    return [_schedule(s) for s in found]


@router.post(
    "/members/{member_id}/schedules",
    response_model=ScheduleOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorOut}},
)
def assign(
    services: Services, account: CurrentAccount, member_id: UUID, body: ScheduleIn
) -> ScheduleOut:
    """A clinician assigns a questionnaire with a cadence (replacing an earlier cadence)."""
    created = schedules.assign_schedule(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        instrument_id=body.instrument,
        every_days=body.every_days,
        starts_at=body.starts_at,
        instruments=services.instruments,
        documents=services.documents,
    )
    # A new schedule counts no earlier completion, so its state follows from it alone.
    return _schedule(status_of(created, last_completed_at=None, now=created.created_at))


@router.delete(
    "/members/{member_id}/schedules/{schedule_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
def end(
    services: Services, account: CurrentAccount, member_id: UUID, schedule_id: UUID
) -> Response:
    schedules.end_schedule(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        schedule_id=schedule_id,
        documents=services.documents,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class PointOut(BaseModel):
    at: datetime
    total: int
    severity: str


class MemberOutcomeOut(BaseModel):
    first_total: float
    last_total: float
    change: float = Field(description="Last minus first, in score points.")
    measurements: int
    reliably_improved: bool
    reliably_deteriorated: bool
    case_at_start: bool
    recovered: bool
    reliably_recovered: bool
    category: Category


class InstrumentOutcomeOut(BaseModel):
    instrument: str
    reliable_change: float | None = Field(description="Points of change that count as reliable.")
    caseness: float | None
    trajectory: list[PointOut]
    outcome: MemberOutcomeOut | None = Field(description="Null until there are two totals.")


@router.get("/members/{member_id}/outcomes", response_model=list[InstrumentOutcomeOut])
def member_outcomes(
    services: Services, account: CurrentAccount, member_id: UUID
) -> list[InstrumentOutcomeOut]:
    """Per instrument: the trajectory of totals and reliable change / recovery so far."""
    found = outcomes.member_outcomes(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        instruments=services.instruments,
        documents=services.documents,
    )
    result = []
    for entry in found:
        change = services.instruments[entry.instrument_id].change
        o = entry.outcome
        result.append(
            InstrumentOutcomeOut(
                instrument=entry.instrument_id,
                reliable_change=change.reliable_change if change else None,
                caseness=change.caseness if change else None,
                trajectory=[
                    PointOut(at=p.at, total=p.total, severity=p.severity) for p in entry.trajectory
                ],
                outcome=None
                if o is None
                else MemberOutcomeOut(
                    first_total=o.first_total,
                    last_total=o.last_total,
                    change=o.change,
                    measurements=o.measurements,
                    reliably_improved=o.reliably_improved,
                    reliably_deteriorated=o.reliably_deteriorated,
                    case_at_start=o.case_at_start,
                    recovered=o.recovered,
                    reliably_recovered=o.reliably_recovered,
                    category=o.category,
                ),
            )
        )
    return result


class CaseloadOutcomeOut(BaseModel):
    instrument: str
    members: int = Field(description="Members with at least two totals.")
    cases_at_start: int
    reliably_improved_pct: float | None
    reliably_deteriorated_pct: float | None
    recovered_pct: float | None = Field(description="Of the members who were cases at start.")
    reliably_recovered_pct: float | None
    mean_change: float | None
    sd_change: float | None
    cohens_d: float | None = Field(description="Standardized mean change; positive is better.")
    d_ci_low: float | None
    d_ci_high: float | None
    reliable_change: float = Field(description="Points of change counted as reliable.")
    reliability: float | None = Field(description="The published reliability used below.")
    baseline_sd: float | None = Field(description="SD of the members' first totals.")
    jacobson_truax_threshold: float | None = Field(
        description="1.96 x baseline SD x sqrt(2 x (1 - reliability)), for comparison."
    )


@router.get(
    "/caseload/outcomes", response_model=CaseloadOutcomeOut, responses={422: {"model": ErrorOut}}
)
def caseload_outcomes(
    services: Services,
    account: CurrentAccount,
    instrument: Annotated[InstrumentName, Query()] = "phq9",
) -> CaseloadOutcomeOut:
    """Outcomes over the members who share their records with the signed-in clinician."""
    report = outcomes.caseload_outcomes(
        services.uow(),
        clock=services.clock,
        actor=account,
        instrument_id=instrument,
        instruments=services.instruments,
        documents=services.documents,
    )
    o = report.outcome
    change = services.instruments[o.instrument_id].change
    return CaseloadOutcomeOut(
        instrument=o.instrument_id,
        members=o.members,
        cases_at_start=o.cases_at_start,
        reliably_improved_pct=o.reliably_improved_pct,
        reliably_deteriorated_pct=o.reliably_deteriorated_pct,
        recovered_pct=o.recovered_pct,
        reliably_recovered_pct=o.reliably_recovered_pct,
        mean_change=o.mean_change,
        sd_change=o.sd_change,
        cohens_d=o.cohens_d,
        d_ci_low=o.d_ci_low,
        d_ci_high=o.d_ci_high,
        reliable_change=report.reliable_change,
        reliability=change.reliability if change else None,
        baseline_sd=report.baseline_sd,
        jacobson_truax_threshold=report.jacobson_truax_threshold,
    )
