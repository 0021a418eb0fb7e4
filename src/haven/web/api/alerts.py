"""The care team's alert queue over the API: list, read with notes, note, acknowledge."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field

from haven.domain.alerts import Alert, AlertNote, AlertSource
from haven.domain.deterioration import explanation_of
from haven.domain.instruments import RiskLevel
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.services import alerts
from haven.web.api.assessments import LabelledCode
from haven.web.api.schemas import API_PREFIX, Body, ErrorOut
from haven.web.deps import CurrentAccount, Services
from haven.web.locale import request_locale

__all__ = ["router"]

router = APIRouter(
    prefix=API_PREFIX,
    tags=["alerts"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


class AlertOut(BaseModel):
    id: UUID
    member_id: UUID
    source: str
    source_id: UUID
    level: RiskLevel
    signals: list[LabelledCode]
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: UUID | None
    notified_at: datetime | None = Field(description="When the care team was told.")
    escalated_at: datetime | None = Field(description="When the second contact was told.")
    explanation: str | None = Field(
        default=None,
        description="For a deterioration alert, what changed against the member's usual.",
    )


class NoteOut(BaseModel):
    id: UUID
    author_id: UUID | None
    body: str
    created_at: datetime


class AlertDetailOut(AlertOut):
    notes: list[NoteOut]
    trigger: str | None = Field(description="The member's words that raised a message alert.")
    context: list[str] = Field(description="The member's entries just before, oldest first.")


class NoteIn(Body):
    body: str = Field(max_length=MAX_FREE_TEXT_LENGTH)


class AcknowledgeIn(Body):
    note: str | None = Field(
        default=None, max_length=MAX_FREE_TEXT_LENGTH, description="What was done, if anything."
    )


def _labels(services: Services, locale: str) -> dict[str, str]:
    """Readable names of the signal codes, in the reader's language."""
    return {
        flag.code: flag.label.get(locale) or flag.label["en"]
        for instrument in services.instruments.values()
        for flag in instrument.flags
    }


def _alert(alert: Alert, labels: dict[str, str]) -> AlertOut:
    return AlertOut(
        id=alert.id,
        member_id=alert.member_id,
        source=alert.source.value,
        source_id=alert.source_id,
        level=alert.level,
        signals=[LabelledCode(code=s, label=_label(alert, s, labels)) for s in alert.signals],
        created_at=alert.created_at,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by=alert.acknowledged_by,
        notified_at=alert.notified_at,
        escalated_at=alert.escalated_at,
        explanation=(
            explanation_of(alert.signals) if alert.source is AlertSource.DETERIORATION else None
        ),
    )


def _label(alert: Alert, code: str, labels: dict[str, str]) -> str:
    """A flag's name, or for a deterioration alert the finding a code stands for."""
    if alert.source is AlertSource.DETERIORATION:
        return explanation_of([code]) or code
    return labels.get(code, code)


def _note(note: AlertNote) -> NoteOut:
    return NoteOut(id=note.id, author_id=note.author_id, body=note.body, created_at=note.created_at)


@router.get("/alerts", response_model=list[AlertOut])
def alert_queue(
    request: Request,
    services: Services,
    account: CurrentAccount,
    state: Annotated[Literal["open", "all"], Query()] = "open",
) -> list[AlertOut]:
    """The signed-in clinician's alert queue: open alerts, the most urgent first."""
    found = alerts.alert_queue(
        services.uow(),
        clock=services.clock,
        actor=account,
        documents=services.documents,
        open_only=state == "open",
    )
    labels = _labels(services, request_locale(request))
    return [_alert(a, labels) for a in found]


@router.get("/alerts/{alert_id}", response_model=AlertDetailOut)
def alert_detail(
    request: Request, services: Services, account: CurrentAccount, alert_id: UUID
) -> AlertDetailOut:
    """One alert with the care team's notes on it (reading it is audited)."""
    detail = alerts.alert_detail(
        services.uow(),
        clock=services.clock,
        actor=account,
        alert_id=alert_id,
        documents=services.documents,
    )
    summary = _alert(detail.alert, _labels(services, request_locale(request)))
    return AlertDetailOut(
        **summary.model_dump(),
        notes=[_note(n) for n in detail.notes],
        trigger=detail.trigger,
        context=detail.context,
    )


@router.post(
    "/alerts/{alert_id}/notes",
    response_model=NoteOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorOut}},
)
def add_note(services: Services, account: CurrentAccount, alert_id: UUID, body: NoteIn) -> NoteOut:
    note = alerts.add_alert_note(
        services.uow(),
        clock=services.clock,
        actor=account,
        alert_id=alert_id,
        body=body.body,
        documents=services.documents,
    )
    return _note(note)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response_model=AlertOut,
    responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def acknowledge(
    request: Request,
    services: Services,
    account: CurrentAccount,
    alert_id: UUID,
    body: AcknowledgeIn | None = None,
) -> AlertOut:
    """Take the alert off the open queue, with an optional note of what was done."""
    done = alerts.acknowledge_alert(
        services.uow(),
        clock=services.clock,
        actor=account,
        alert_id=alert_id,
        documents=services.documents,
        note=body.note if body else None,
    )
    return _alert(done, _labels(services, request_locale(request)))
