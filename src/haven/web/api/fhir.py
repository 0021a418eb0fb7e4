"""FHIR R4 exchange over the API: a member's questionnaires as a Bundle, and importing a
QuestionnaireResponse from a health record."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Request, status
from fastapi.responses import JSONResponse

from haven.adapters import fhir
from haven.services import assessments
from haven.web.api.assessments import AssessmentOut, assessment_out
from haven.web.api.schemas import API_PREFIX, ErrorOut
from haven.web.deps import CurrentAccount, Services
from haven.web.locale import request_locale

__all__ = ["FHIR_JSON", "router"]

FHIR_JSON = "application/fhir+json"

router = APIRouter(
    prefix=API_PREFIX,
    tags=["fhir"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


@router.get(
    "/members/{member_id}/fhir",
    response_class=JSONResponse,
    responses={200: {"content": {FHIR_JSON: {}}, "description": "A FHIR collection Bundle."}},
)
def export_bundle(services: Services, account: CurrentAccount, member_id: UUID) -> JSONResponse:
    """The member's questionnaires as a FHIR Bundle: Questionnaire, QuestionnaireResponse and
    Observation (totals with LOINC codes, derived from the response) resources."""
    found = assessments.assessments_of(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    bundle = fhir.member_bundle(
        assessments=found, instruments=services.instruments, base_url=services.settings.public_url
    )
    return JSONResponse(bundle, media_type=FHIR_JSON)


@router.post(
    "/members/{member_id}/fhir/QuestionnaireResponse",
    response_model=AssessmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def import_response(
    request: Request,
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    resource: Annotated[
        dict[str, Any],
        Body(description="A FHIR R4 QuestionnaireResponse for one of Haven's instruments."),
    ],
) -> AssessmentOut:
    """Import a completed QuestionnaireResponse; Haven scores it with its own rules."""
    imported = fhir.parse_questionnaire_response(resource, services.instruments)
    stored = assessments.record_imported_response(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        instrument_id=imported.instrument_id,
        answers=imported.answers,
        authored=imported.authored,
        instruments=services.instruments,
        documents=services.documents,
    )
    return assessment_out(services, stored, request_locale(request))
