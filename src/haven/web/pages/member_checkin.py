"""The member's mood check-in: a rating 0-10, emotion tags and an optional note, with the
past week's check-ins beneath the form."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from haven.domain.errors import HavenError, InvalidInput
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.domain.mood import MAX_RATING, MIN_RATING, MOOD_TAGS, RATING_WORDS, check_in_problems
from haven.domain.people import Account
from haven.domain.reminders import DAY_NAMES, WEEKDAYS
from haven.services.checkin_reminders import checkin_reminder, set_checkin_reminder
from haven.services.moods import check_in, mood_checkins
from haven.web.api.crisis import resources_for
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import MemberPage, Pages, field_errors, visitor_country, visitor_locale

__all__ = ["build_router"]

CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]
_RECENT = timedelta(days=7)  # how far back the list under the form reaches


def _rating(typed: str) -> int | None:
    """The rating a form sent, or None when it sent none or not a whole number."""
    typed = typed.strip()
    if typed.lstrip("-").isdigit() and len(typed) <= 4:
        return int(typed)
    return None


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def show(
        request: Request,
        services: Services,
        account: Account,
        *,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        support: bool = False,
        reminder_values: dict[str, Any] | None = None,
        reminder_errors: dict[str, str] | None = None,
    ) -> HTMLResponse:
        recent = mood_checkins(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
            since=services.clock.now() - _RECENT,
        )
        saved = checkin_reminder(services.uow(), actor=account, documents=services.documents)
        schedule = reminder_values or {
            "days": [WEEKDAYS[d] for d in sorted(saved.weekdays)] if saved else [],
            "hour": str(saved.hour) if saved else "19",
            "zone": saved.zone if saved else "UTC",
        }
        resources = None
        if support:
            resources = resources_for(visitor_country(request), visitor_locale(request, account))
        return pages.render(
            request,
            "member/checkin.html",
            account=account,
            status_code=status_code,
            values=values,
            errors=errors,
            ratings=[(n, RATING_WORDS.get(n)) for n in range(MIN_RATING, MAX_RATING + 1)],
            tags=MOOD_TAGS,
            recent=list(reversed(recent)),
            resources=resources,
            max_note=MAX_FREE_TEXT_LENGTH,
            weekdays=WEEKDAYS,
            day_names=DAY_NAMES,
            schedule=schedule,
            reminder_on=bool(saved and saved.on),
            reminder_errors=reminder_errors or {},
        )

    @router.get("/checkin", response_class=HTMLResponse)
    def checkin_form(
        request: Request, services: Services, account: MemberPage, support: bool = False
    ) -> Response:
        values = {"rating": "", "tags": [], "note": ""}
        return show(request, services, account, values=values, errors={}, support=support)

    @router.post("/checkin", response_class=HTMLResponse)
    def checkin(
        request: Request,
        services: Services,
        account: MemberPage,
        rating: Annotated[str, Form(max_length=20)] = "",
        tags: Annotated[list[str] | None, Form(max_length=len(MOOD_TAGS) * 2)] = None,
        note: Annotated[str, Form(max_length=MAX_FREE_TEXT_LENGTH * 2)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        chosen = tags or []
        values = {"rating": rating.strip(), "tags": chosen, "note": note}
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, csrf_token):
            problems.append(("form", pages.expired_message(request, account)))
        found = check_in_problems(rating=_rating(rating), tags=chosen, note=note)
        problems += [(p.field, pages.error_message(request, p, account)) for p in found]
        if not problems:
            try:
                saved = check_in(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    member_id=account.id,
                    rating=_rating(rating),
                    tags=chosen,
                    note=note,
                    documents=services.documents,
                    risk_check=services.check_writing,
                )
            except InvalidInput as exc:
                problems.append((exc.field, pages.error_message(request, exc, account)))
            except HavenError as exc:
                problems.append(("form", pages.error_message(request, exc, account)))
            else:
                location = "/checkin?support=true" if saved.alert is not None else "/checkin"
                return pages.done(location, "checked_in")
        return show(
            request,
            services,
            account,
            values=values,
            errors=field_errors(problems),
            status_code=403 if problems[0][0] == "form" else 400,
        )

    @router.post("/checkin/reminders", response_class=HTMLResponse)
    def reminders(
        request: Request,
        services: Services,
        account: MemberPage,
        days: Annotated[list[str] | None, Form(max_length=len(WEEKDAYS) * 2)] = None,
        hour: Annotated[str, Form(max_length=20)] = "",
        zone: Annotated[str, Form(max_length=200)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        chosen = days or []
        values = {"days": chosen, "hour": hour.strip(), "zone": zone}
        problem: tuple[str, str] | None = None
        if not pages.csrf_ok(request, csrf_token):
            problem = ("form", pages.expired_message(request, account))
        else:
            try:
                set_checkin_reminder(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    weekdays=chosen,
                    hour=_rating(hour),
                    zone=zone,
                    documents=services.documents,
                )
            except InvalidInput as exc:
                problem = (exc.field, pages.error_message(request, exc, account))
            except HavenError as exc:
                problem = ("form", pages.error_message(request, exc, account))
            else:
                return pages.done("/checkin", "reminders_saved")
        return show(
            request,
            services,
            account,
            values={"rating": "", "tags": [], "note": ""},
            errors={},
            reminder_values=values,
            reminder_errors=dict([problem]),
            status_code=403 if problem[0] == "form" else 400,
        )

    return router
