"""Mood check-ins over the API: a member checks in; they and their care team read the list
and the daily series a chart draws."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from haven.domain.crisis import country_from_accept_language
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.domain.mood import MAX_RATING, MIN_RATING, MOOD_TAGS, MoodCheckIn
from haven.services import moods
from haven.web.api.crisis import CrisisResourcesOut, resources_for
from haven.web.api.schemas import API_PREFIX, Body, ErrorOut
from haven.web.deps import CurrentAccount, Services

__all__ = ["router"]

router = APIRouter(
    prefix=API_PREFIX,
    tags=["mood"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)

Tag = Annotated[str, StringConstraints(max_length=40)]


class MoodCheckInIn(Body):
    # Bounds are the service's to check, so that its clear message answers a wrong value.
    rating: int = Field(
        description=f"How the member feels: {MIN_RATING} (worst) to {MAX_RATING} (best).",
        examples=[6],
    )
    tags: list[Tag] = Field(
        default_factory=list,
        max_length=len(MOOD_TAGS) * 2,
        description=f"Emotions, from: {', '.join(MOOD_TAGS)}.",
        examples=[["calm", "tiredness"]],
    )
    # Twice the service's limit here, so the service's clear message answers a long one.
    note: str | None = Field(default=None, max_length=MAX_FREE_TEXT_LENGTH * 2)
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None,
        description="ISO 3166-1 code for crisis lines; default: from Accept-Language.",
    )


class MoodCheckInOut(BaseModel):
    id: UUID
    member_id: UUID
    rating: int = Field(description=f"{MIN_RATING} (worst) to {MAX_RATING} (best).")
    tags: list[str]
    note: str | None
    created_at: datetime


class CheckedInOut(MoodCheckInOut):
    alert_id: UUID | None = Field(description="The care-team alert the note opened, if any.")
    crisis_resources: CrisisResourcesOut | None = Field(
        description="Crisis lines for the member's country, when the note raised an alert."
    )


class DailyMoodOut(BaseModel):
    day: date = Field(description="A calendar day in UTC.")
    mean: float = Field(description="The mean rating that day, 0-10.")
    count: int = Field(description="How many check-ins that day.")


def _out(checkin: MoodCheckIn) -> MoodCheckInOut:
    return MoodCheckInOut(
        id=checkin.id,
        member_id=checkin.member_id,
        rating=checkin.rating,
        tags=list(checkin.tags),
        note=checkin.note,
        created_at=checkin.created_at,
    )


@router.post(
    "/members/{member_id}/mood-checkins",
    response_model=CheckedInOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorOut}},
)
def check_in(
    request: Request,
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    body: MoodCheckInIn,
) -> CheckedInOut:
    """Record how the member feels now. A note is risk-checked as a journal entry is: at
    moderate risk or above the care team is alerted and crisis lines come back."""
    saved = moods.check_in(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        rating=body.rating,
        tags=body.tags,
        note=body.note,
        documents=services.documents,
        risk_check=services.check_writing,
    )
    resources = None
    if saved.alert is not None:
        country = body.country or country_from_accept_language(
            request.headers.get("accept-language")
        )
        resources = resources_for(country, account.locale.split("-")[0])
    return CheckedInOut(
        **_out(saved.checkin).model_dump(),
        alert_id=saved.alert.id if saved.alert else None,
        crisis_resources=resources,
    )


@router.get("/members/{member_id}/mood-checkins", response_model=list[MoodCheckInOut])
def checkins(
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    since: Annotated[AwareDatetime | None, Query(description="Only from this time.")] = None,
) -> list[MoodCheckInOut]:
    """The member's check-ins, oldest first."""
    found = moods.mood_checkins(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
        since=since,
    )
    return [_out(c) for c in found]


@router.get("/members/{member_id}/mood-series", response_model=list[DailyMoodOut])
def series(
    services: Services,
    account: CurrentAccount,
    member_id: UUID,
    since: Annotated[AwareDatetime | None, Query(description="Only from this time.")] = None,
) -> list[DailyMoodOut]:
    """Mood over time: the mean rating of each day with a check-in, oldest first."""
    days = moods.mood_series(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
        since=since,
    )
    return [DailyMoodOut(day=d.day, mean=d.mean, count=d.count) for d in days]
