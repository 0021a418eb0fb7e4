"""Crisis resources over the API: open to anyone, signed in or not."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from haven.content import crisis_directory
from haven.domain.crisis import CrisisLine, country_from_accept_language
from haven.web.api.schemas import API_PREFIX, ErrorOut
from haven.web.locale import request_locale

__all__ = ["CrisisResourcesOut", "resources_for", "router"]

router = APIRouter(prefix=API_PREFIX, tags=["crisis"], responses={422: {"model": ErrorOut}})


class CrisisLineOut(BaseModel):
    name: str
    phone: str | None
    text: str | None
    text_keyword: str | None
    url: str
    hours: str
    languages: list[str]
    note: str | None


class CrisisResourcesOut(BaseModel):
    country: str | None = Field(description="ISO 3166-1 code; null when none matched.")
    name: str
    emergency: str | None = Field(description="The country's emergency number.")
    lines: list[CrisisLineOut]
    advice: str
    directories: list[CrisisLineOut] = Field(description="Helpline directories for anywhere.")
    abuse_lines: list[CrisisLineOut] = Field(
        description="Support for people facing abuse or domestic violence in that country "
        "(an international directory when none is listed)."
    )
    reviewed: date


def _line(line: CrisisLine, locale: str) -> CrisisLineOut:
    return CrisisLineOut(
        name=line.name,
        phone=line.phone,
        text=line.text,
        text_keyword=line.text_keyword,
        url=line.url,
        hours=line.hours.get(locale) or line.hours["en"],
        languages=line.languages,
        note=(line.note.get(locale) or line.note["en"]) if line.note else None,
    )


@router.get("/crisis-resources", response_model=CrisisResourcesOut)
def crisis_resources(
    request: Request,
    country: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z]{2}$",
            description="ISO 3166-1 alpha-2 code; default: guessed from Accept-Language.",
        ),
    ] = None,
) -> CrisisResourcesOut:
    """Who to call or text now, for a country; a country without entries gets the
    international advice, never nothing."""
    return resources_for(
        country or country_from_accept_language(request.headers.get("accept-language")),
        request_locale(request),
    )


def resources_for(country: str | None, locale: str) -> CrisisResourcesOut:
    """The crisis lines for ``country`` (ISO code, any case), else the international ones."""
    directory = crisis_directory()
    chosen = directory.for_country(country)
    fallback = directory.international
    place = chosen or fallback
    return CrisisResourcesOut(
        country=chosen.code if chosen else None,
        name=place.name.get(locale) or place.name["en"],
        emergency=chosen.emergency if chosen else None,
        lines=[_line(line, locale) for line in place.lines],
        advice=fallback.advice.get(locale) or fallback.advice["en"],
        directories=[_line(line, locale) for line in fallback.lines],
        abuse_lines=[
            _line(line, locale)
            for line in (
                chosen.abuse_lines if chosen and chosen.abuse_lines else fallback.abuse_lines
            )
        ],
        reviewed=directory.reviewed,
    )
