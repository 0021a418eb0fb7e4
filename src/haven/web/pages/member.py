"""Pages for the member: Today, and (from their own modules) the chat, the journal and the
tools. Check-in, questionnaires, progress, the safety plan and settings live in
``member_checkin`` and ``member_care``."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from haven.domain.schedules import DueState
from haven.services.assessments import assessments_of
from haven.services.conversations import conversations_of
from haven.services.records import journal_entries
from haven.services.schedules import schedule_statuses
from haven.web.deps import Services
from haven.web.pages import member_chat, member_writing
from haven.web.pages.kit import MemberPage, Pages, moment_text
from haven.web.pages.member_chat import language_of
from haven.web.pages.member_suggestions import suggestions_for

__all__ = ["build_router"]

_RECENT = 3  # things done lately that Today recalls
_SNIPPET = 80  # characters of a journal entry shown on Today


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/today", response_class=HTMLResponse)
    def today(request: Request, services: Services, account: MemberPage) -> HTMLResponse:
        lang = language_of(account)
        locale = account.locale
        uow, clock, documents = services.uow, services.clock, services.documents
        statuses = schedule_statuses(
            uow(), clock=clock, actor=account, member_id=account.id, documents=documents
        )
        due = [
            {
                "id": s.schedule.instrument_id,
                "name": _instrument_name(services, s.schedule.instrument_id, lang),
                "overdue": s.state is DueState.OVERDUE,
            }
            for s in statuses
            if s.state in (DueState.DUE, DueState.OVERDUE)
        ]
        upcoming = [
            {
                "name": _instrument_name(services, s.schedule.instrument_id, lang),
                "when": format_date(s.due_at, format="long", locale=locale),
            }
            for s in statuses
            if s.state is DueState.UPCOMING
        ][:_RECENT]
        recent: list[tuple[datetime, str, str]] = []  # (when, kind, what)
        for entry in journal_entries(
            uow(), clock=clock, actor=account, member_id=account.id, documents=documents
        )[-_RECENT:]:
            snippet = entry.body if len(entry.body) <= _SNIPPET else entry.body[:_SNIPPET] + "…"
            recent.append((entry.created_at, "journal", snippet))
        for result in assessments_of(
            uow(), clock=clock, actor=account, member_id=account.id, documents=documents
        )[-_RECENT:]:
            name = _instrument_name(services, result.instrument_id, lang)
            recent.append((result.submitted_at, "questionnaire", name))
        conversations = conversations_of(
            uow(), clock=clock, actor=account, member_id=account.id, documents=documents
        )
        talked = next((c.last_message_at for c, _ in conversations if c.last_message_at), None)
        recent.sort(key=lambda item: item[0], reverse=True)
        return pages.render(
            request,
            "member/today.html",
            account=account,
            suggested=suggestions_for(services, account),
            due=due,
            upcoming=upcoming,
            recent=[
                {
                    "when": moment_text(at, locale),
                    "kind": kind,
                    "what": what,
                }
                for at, kind, what in recent[:_RECENT]
            ],
            talked=moment_text(talked, locale) if talked else None,
        )

    router.include_router(member_chat.build_router(pages))
    router.include_router(member_writing.build_router(pages))
    return router


def _instrument_name(services: Services, instrument_id: str, lang: str) -> str:
    instrument = services.instruments.get(instrument_id)
    if instrument is None:
        return instrument_id
    return instrument.name.get(lang) or instrument.name["en"]
