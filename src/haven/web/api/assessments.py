"""Questionnaires over the API: the instruments, answering one, and reading results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field, StringConstraints

from haven.bootstrap import Container
from haven.domain.errors import NotFound
from haven.domain.instruments import Instrument, RiskLevel, Text
from haven.domain.scoring import Assessment
from haven.domain.text import N_
from haven.services import assessments
from haven.web.api.schemas import API_PREFIX, Body, ErrorOut
from haven.web.deps import CurrentAccount, Services
from haven.web.locale import request_locale

__all__ = ["AssessmentOut", "LabelledCode", "assessment_out", "router"]

router = APIRouter(
    prefix=API_PREFIX,
    tags=["questionnaires"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)

ItemId = Annotated[str, StringConstraints(max_length=32)]
InstrumentName = Annotated[str, StringConstraints(min_length=1, max_length=40)]


def _text(text: Text, locale: str) -> str:
    return text.get(locale) or text["en"]


class LabelledCode(BaseModel):
    code: str
    label: str


class FlagOut(LabelledCode):
    level: RiskLevel


class OptionOut(BaseModel):
    value: int
    label: str


class ConditionOut(BaseModel):
    item: str
    equals: int


class ItemOut(BaseModel):
    id: str
    text: str
    loinc: str | None
    required: bool
    ask_if: ConditionOut | None
    options: list[OptionOut]


class BandOut(BaseModel):
    min: int
    max: int
    code: str
    label: str


class InstrumentFlagOut(BaseModel):
    code: str
    item: str
    at_least: int
    level: RiskLevel
    label: str


class InstrumentSummaryOut(BaseModel):
    id: str
    short_name: str
    name: str
    recall_period: str
    items: int
    total_min: int | None = Field(description="Lowest total; null for triage instruments.")
    total_max: int | None
    loinc_panel: str | None
    loinc_total: str | None


class InstrumentOut(InstrumentSummaryOut):
    version: int
    instructions: str
    citation: str
    licence: str
    questions: list[ItemOut]
    bands: list[BandOut]
    flags: list[InstrumentFlagOut]


def _summary(instrument: Instrument, locale: str) -> dict[str, Any]:
    totals = instrument.total_range if instrument.scoring == "sum" else (None, None)
    return {
        "id": instrument.id,
        "short_name": instrument.short_name,
        "name": _text(instrument.name, locale),
        "recall_period": _text(instrument.recall_period, locale),
        "items": len(instrument.items),
        "total_min": totals[0],
        "total_max": totals[1],
        "loinc_panel": instrument.loinc.panel,
        "loinc_total": instrument.loinc.total,
    }


@router.get("/instruments", response_model=list[InstrumentSummaryOut])
def list_instruments(request: Request, services: Services) -> list[InstrumentSummaryOut]:
    """Every questionnaire Haven administers, in the reader's language."""
    locale = request_locale(request)
    return [InstrumentSummaryOut(**_summary(i, locale)) for i in services.instruments.values()]


@router.get("/instruments/{instrument_id}", response_model=InstrumentOut)
def get_instrument(request: Request, services: Services, instrument_id: str) -> InstrumentOut:
    """One questionnaire whole: questions, answer values, bands, flags and its source."""
    instrument = services.instruments.get(instrument_id)
    if instrument is None:
        raise NotFound(
            N_("There is no instrument called {instrument}."), instrument=instrument_id[:40]
        )
    locale = request_locale(request)
    return InstrumentOut(
        **_summary(instrument, locale),
        version=instrument.version,
        instructions=_text(instrument.instructions, locale),
        citation=instrument.citation,
        licence=instrument.licence,
        questions=[
            ItemOut(
                id=item.id,
                text=_text(item.text, locale),
                loinc=item.loinc,
                required=item.required,
                ask_if=ConditionOut(item=item.ask_if.item, equals=item.ask_if.equals)
                if item.ask_if
                else None,
                options=[
                    OptionOut(value=o.value, label=_text(o.label, locale))
                    for o in instrument.options_for(item)
                ],
            )
            for item in instrument.items
        ],
        bands=[
            BandOut(min=b.min, max=b.max, code=b.code, label=_text(b.label, locale))
            for b in instrument.bands
        ],
        flags=[
            InstrumentFlagOut(
                code=f.code,
                item=f.item,
                at_least=f.at_least,
                level=f.level,
                label=_text(f.label, locale),
            )
            for f in instrument.flags
        ],
    )


class AssessmentIn(Body):
    instrument: InstrumentName = Field(examples=["phq9"])
    answers: dict[ItemId, int] | list[int | None] = Field(
        max_length=64,
        description="Item id to answer value, or the answer values in question order "
        "(null for a question skip logic did not ask).",
        examples=[[0, 1, 2, 1, 0, 1, 0, 0, 0]],
    )


class AssessmentOut(BaseModel):
    id: UUID
    member_id: UUID
    instrument: str
    instrument_version: int
    total: int | None = Field(description="The published total; null for C-SSRS triage.")
    raw_total: int | None
    severity: LabelledCode
    flags: list[FlagOut]
    answers: dict[str, int]
    submitted_at: datetime
    source: str


def assessment_out(services: Container, assessment: Assessment, locale: str) -> AssessmentOut:
    instrument = services.instruments[assessment.instrument_id]
    flags = {flag.code: flag for flag in instrument.flags}
    return AssessmentOut(
        id=assessment.id,
        member_id=assessment.member_id,
        instrument=assessment.instrument_id,
        instrument_version=assessment.instrument_version,
        total=assessment.total,
        raw_total=assessment.raw_total,
        severity=LabelledCode(
            code=assessment.severity,
            label=_text(instrument.band(assessment.severity).label, locale),
        ),
        flags=[
            FlagOut(code=code, level=flags[code].level, label=_text(flags[code].label, locale))
            for code in assessment.flags
            if code in flags
        ],
        answers=dict(assessment.answers),
        submitted_at=assessment.submitted_at,
        source=assessment.source,
    )


@router.post(
    "/members/{member_id}/assessments",
    response_model=AssessmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorOut}},
)
def submit(
    request: Request,
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    body: AssessmentIn,
) -> AssessmentOut:
    """Answer an assigned questionnaire. A flagged answer opens an alert for the care team."""
    result = assessments.submit_assessment(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        instrument_id=body.instrument,
        answers=body.answers,
        instruments=services.instruments,
        documents=services.documents,
    )
    return assessment_out(services, result, request_locale(request))


@router.get("/members/{member_id}/assessments", response_model=list[AssessmentOut])
def results(
    request: Request,
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    instrument: Annotated[InstrumentName | None, Query()] = None,
) -> list[AssessmentOut]:
    """A member's questionnaire results, oldest first, optionally for one instrument."""
    instrument_id = (
        assessments.find_instrument(services.instruments, instrument).id if instrument else None
    )
    found = assessments.assessments_of(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
        instrument_id=instrument_id,
    )
    locale = request_locale(request)
    return [assessment_out(services, a, locale) for a in found]


@router.get("/members/{member_id}/assessments/{assessment_id}", response_model=AssessmentOut)
def result(
    request: Request,
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    assessment_id: UUID,
) -> AssessmentOut:
    found = assessments.assessment(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        assessment_id=assessment_id,
        documents=services.documents,
    )
    return assessment_out(services, found, request_locale(request))
