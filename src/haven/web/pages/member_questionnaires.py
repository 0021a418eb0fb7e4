"""The member's questionnaires: what is due, answering one as a form, and each result with
its severity band, the change since last time and, after a dangerous answer, who to call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from haven.domain.consent import ConsentKind
from haven.domain.errors import HavenError, NotFound
from haven.domain.instruments import Instrument, Item
from haven.domain.outcomes import MemberOutcome, member_outcome
from haven.domain.people import Account
from haven.domain.schedules import DueState
from haven.domain.scoring import Assessment, asked_items
from haven.services.assessments import assessment, assessments_of, submit_assessment
from haven.services.consents import consent_status
from haven.services.schedules import schedule_statuses
from haven.web.api.crisis import resources_for
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import MemberPage, Pages, visitor_country

__all__ = ["build_router", "date_formatter"]


def date_formatter(locale: str) -> Callable[[datetime], str]:
    """Dates as people read them in their language ("3 March 2026", "3 de marzo de 2026")."""
    return lambda moment: format_date(moment, format="long", locale=locale)


def _text(text: Mapping[str, str], locale: str) -> str:
    return text.get(locale) or text["en"]


def _read_answers(instrument: Instrument, form: Mapping[str, Any]) -> dict[str, int]:
    """The answers a form carries, keeping only values the item offers; anything else is
    treated as unanswered so the question is shown again."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        raw = form.get(item.id)
        if not isinstance(raw, str) or not raw.strip().lstrip("-").isdigit():
            continue
        value = int(raw)
        if value in {option.value for option in instrument.options_for(item)}:
            answers[item.id] = value
    return answers


def _unanswered(instrument: Instrument, answers: Mapping[str, int]) -> list[Item]:
    """The required questions still open, given skip logic (a follow-up nobody is asked
    cannot be missing)."""
    return [
        item
        for item in asked_items(instrument, answers)
        if item.required and item.id not in answers
    ]


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def assigned(services: Services, account: Account) -> dict[str, Any]:
        statuses = schedule_statuses(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        return {status.schedule.instrument_id: status for status in statuses}

    def unavailable(request: Request, account: Account) -> HTMLResponse:
        return pages.render(
            request, "member/questionnaires_unavailable.html", account=account, status_code=404
        )

    def form_page(
        request: Request,
        account: Account,
        instrument: Instrument,
        *,
        answers: Mapping[str, int],
        missing: list[Item] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        locale = account.locale
        numbered = list(enumerate(instrument.items, start=1))
        asked = asked_items(instrument, answers)
        return pages.render(
            request,
            "member/questionnaires_form.html",
            account=account,
            status_code=status_code,
            instrument=instrument,
            instrument_name=_text(instrument.name, locale),
            instructions=_text(instrument.instructions, locale),
            items=[
                {
                    "number": number,
                    "item": item,
                    "text": _text(item.text, locale),
                    "options": [
                        (option.value, _text(option.label, locale))
                        for option in instrument.options_for(item)
                    ],
                    "condition": _condition(instrument, item, numbered, locale),
                }
                for number, item in numbered
            ],
            answers=answers,
            asked={item.id for item in asked},
            answered=sum(1 for item in asked if item.id in answers),
            missing=[n for n, item in numbered if item in (missing or [])],
            error=error,
        )

    @router.get("/questionnaires", response_class=HTMLResponse)
    def questionnaires(request: Request, services: Services, account: MemberPage) -> Response:
        statuses = assigned(services, account)
        results = assessments_of(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        locale = account.locale
        rows = [
            {
                "status": status,
                "instrument": services.instruments[instrument_id],
                "name": _text(services.instruments[instrument_id].name, locale),
            }
            for instrument_id, status in statuses.items()
            if instrument_id in services.instruments
        ]
        return pages.render(
            request,
            "member/questionnaires.html",
            account=account,
            due=[row for row in rows if row["status"].state is not DueState.UPCOMING],
            upcoming=[row for row in rows if row["status"].state is DueState.UPCOMING],
            results=[
                {
                    "assessment": a,
                    "instrument": services.instruments[a.instrument_id],
                    "band": _text(
                        services.instruments[a.instrument_id].band(a.severity).label, locale
                    ),
                }
                for a in reversed(results)
                if a.instrument_id in services.instruments
            ],
            when=date_formatter(locale),
        )

    @router.get("/questionnaires/{instrument_id}", response_class=HTMLResponse)
    def questionnaire(
        request: Request, services: Services, account: MemberPage, instrument_id: str
    ) -> Response:
        instrument = services.instruments.get(instrument_id[:40])
        if instrument is None or instrument.id not in assigned(services, account):
            return unavailable(request, account)
        return form_page(request, account, instrument, answers={})

    @router.post("/questionnaires/{instrument_id}", response_class=HTMLResponse)
    async def answer(
        request: Request, services: Services, account: MemberPage, instrument_id: str
    ) -> Response:
        instrument = services.instruments.get(instrument_id[:40])
        if instrument is None:
            return unavailable(request, account)
        form = await request.form()
        answers = _read_answers(instrument, form)
        if not pages.csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
            return form_page(
                request,
                account,
                instrument,
                answers=answers,
                error=pages.expired_message(request, account),
                status_code=403,
            )
        missing = _unanswered(instrument, answers)
        if missing:
            return form_page(
                request, account, instrument, answers=answers, missing=missing, status_code=400
            )
        # A follow-up answered before its gate question was changed no longer applies.
        asked = {item.id for item in asked_items(instrument, answers)}
        try:
            result = submit_assessment(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                instrument_id=instrument.id,
                answers={k: v for k, v in answers.items() if k in asked},
                instruments=services.instruments,
                documents=services.documents,
            )
        except HavenError as exc:
            return form_page(
                request,
                account,
                instrument,
                answers=answers,
                error=pages.error_message(request, exc, account),
                status_code=400,
            )
        return pages.done(f"/questionnaires/results/{result.id}", "submitted")

    @router.get("/questionnaires/results/{assessment_id}", response_class=HTMLResponse)
    def result(
        request: Request, services: Services, account: MemberPage, assessment_id: UUID
    ) -> Response:
        try:
            found = assessment(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                assessment_id=assessment_id,
                documents=services.documents,
            )
        except NotFound:
            return unavailable(request, account)
        instrument = services.instruments[found.instrument_id]
        earlier = [
            a
            for a in assessments_of(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                documents=services.documents,
                instrument_id=instrument.id,
            )
            if a.submitted_at < found.submitted_at and a.total is not None
        ]
        previous = earlier[-1] if earlier else None
        locale = account.locale
        context: dict[str, Any] = {
            "instrument": instrument,
            "instrument_name": _text(instrument.name, locale),
            "result": found,
            "band": _text(instrument.band(found.severity).label, locale),
            "total_max": instrument.total_range[1],
            "previous": previous,
            "change": _change(instrument, previous, found),
            "higher_is_worse": instrument.change.higher_is_worse if instrument.change else True,
            "recall": _text(instrument.recall_period, locale),
            "when": date_formatter(locale),
            "resources": None,
            "shares": False,
        }
        if found.flags:
            # The same resources the help page and the chat show, for the visitor's country.
            context["resources"] = resources_for(visitor_country(request), locale)
            context["shares"] = any(
                s.document.kind is ConsentKind.CARE_TEAM_SHARING and s.grant is not None
                for s in consent_status(services.uow(), actor=account, documents=services.documents)
            )
        return pages.render(
            request, "member/questionnaires_result.html", account=account, **context
        )

    return router


def _condition(
    instrument: Instrument, item: Item, numbered: list[tuple[int, Item]], locale: str
) -> tuple[int, str] | None:
    """For a follow-up question: the number of the question it depends on and the answer
    that opens it ("question 2", "Yes")."""
    if item.ask_if is None:
        return None
    for number, other in numbered:
        if other.id == item.ask_if.item:
            for option in instrument.options_for(other):
                if option.value == item.ask_if.equals:
                    return number, _text(option.label, locale)
    return None


def _change(
    instrument: Instrument, previous: Assessment | None, current: Assessment
) -> MemberOutcome | None:
    """Reliable change from the previous total to this one, by the instrument's criteria."""
    if previous is None or instrument.change is None or previous.total is None:
        return None
    if current.total is None:
        return None
    return member_outcome(
        instrument_id=instrument.id,
        criteria=instrument.change,
        totals=[(previous.submitted_at, previous.total), (current.submitted_at, current.total)],
    )
