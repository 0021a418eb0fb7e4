"""What the clinician's pages share: turning a domain error into a page, reading an id from the
address, and the words for alert levels, sources and signals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Form, Request
from fastapi.responses import HTMLResponse

from haven.domain.alerts import AlertSource
from haven.domain.errors import Conflict, HavenError, InvalidInput, NotFound, PermissionDenied
from haven.domain.instruments import Instrument
from haven.domain.people import Account
from haven.domain.text import N_
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import Pages

__all__ = [
    "SOURCE_NAMES",
    "CsrfField",
    "parse_id",
    "problem_page",
    "signal_labels",
    "when",
]

CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]

SOURCE_NAMES = {
    AlertSource.ASSESSMENT: N_("Questionnaire answer"),
    AlertSource.JOURNAL: N_("Journal entry"),
    AlertSource.CONVERSATION: N_("Chat message"),
    AlertSource.MOOD_CHECKIN: N_("Mood check-in note"),
    AlertSource.DETERIORATION: N_("Monitoring: getting worse"),
}

_STATUS: tuple[tuple[type[HavenError], int], ...] = (
    (NotFound, 404),
    (PermissionDenied, 403),
    (InvalidInput, 400),
    (Conflict, 409),
)


def problem_page(pages: Pages, request: Request, account: Account, exc: HavenError) -> HTMLResponse:
    """A page that says, in the reader's language, why what they asked for cannot be shown."""
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
    return pages.render(
        request,
        "clinician/problem.html",
        account=account,
        status_code=status,
        message=pages.error_message(request, exc, account),
    )


def parse_id(text: str, message: str) -> UUID:
    """An id from the address; a mistyped one is "not found", never a server error."""
    try:
        return UUID(text)
    except ValueError:
        raise NotFound(message) from None


def signal_labels(instruments: Mapping[str, Instrument], locale: str) -> dict[str, str]:
    """Readable names of the questionnaire flag codes, in the reader's language."""
    return {
        flag.code: flag.label.get(locale) or flag.label["en"]
        for instrument in instruments.values()
        for flag in instrument.flags
    }


def when(moment: datetime | None) -> str:
    """A date and time as clinicians write it in notes, in UTC (the server's clock)."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""
