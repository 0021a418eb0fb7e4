"""The member's journal and the CBT tools done as forms.

Both save journal entries through the same risk check as the API: an entry that reads as
risky is saved, reaches the care team, and the page that follows puts the crisis lines for
the member's country in front of them at once.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from haven.content import flows
from haven.domain.conversation.flows import Flow, FlowKind
from haven.domain.errors import HavenError, InvalidInput, NotFound
from haven.domain.journal import MAX_FREE_TEXT_LENGTH, JournalEntry
from haven.domain.people import Account
from haven.domain.risk import RiskAssessment
from haven.domain.written_exercise import InvalidAnswers, form_steps
from haven.services.exercises import write_exercise
from haven.services.records import journal_entries, journal_entry, write_checked_journal_entry
from haven.web.api.crisis import CrisisResourcesOut, resources_for
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import MemberPage, Pages, field_errors, moment_text, visitor_country
from haven.web.pages.member_chat import language_of
from haven.web.pages.member_suggestions import suggestions_for

__all__ = ["build_router"]

CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]
Country = Annotated[str | None, Query(max_length=2)]
_SHOWN_ENTRIES = 50
_TOOL_ORDER = (FlowKind.EXERCISE, FlowKind.PSYCHOEDUCATION)


def _when(entry: JournalEntry, locale: str) -> str:
    return moment_text(entry.created_at, locale)


def _crisis_code(request: Request, risk: RiskAssessment | None) -> str | None:
    """Where to send the member after saving: the country whose lines to show, if risky."""
    if risk is None or not risk.flagged:
        return None
    # ZZ (ISO 3166 "unknown") shows the international lines.
    return visitor_country(request) or "ZZ"


def _resources(code: str | None, account: Account) -> CrisisResourcesOut | None:
    if not code or len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return resources_for(code, language_of(account))


def _tool_flow(tool: str) -> Flow | None:
    """The flow behind ``/tools/<tool>`` (``thought-record``), when it has a form."""
    flow = flows().get(tool.replace("-", "_"))
    return flow if flow is not None and form_steps(flow) else None


def _slug(flow: Flow) -> str:
    return flow.id.replace("_", "-")


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def journal_page(
        request: Request,
        services: Services,
        account: Account,
        *,
        body: str = "",
        error: str | None = None,
        crisis: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        entries = journal_entries(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        newest = list(reversed(entries))
        return pages.render(
            request,
            "member/journal.html",
            account=account,
            status_code=status_code,
            entries=[(e, _when(e, account.locale)) for e in newest[:_SHOWN_ENTRIES]],
            more=max(0, len(newest) - _SHOWN_ENTRIES),
            body=body,
            error=error,
            crisis=_resources(crisis, account),
            max_length=MAX_FREE_TEXT_LENGTH,
        )

    @router.get("/journal", response_class=HTMLResponse)
    def journal(
        request: Request, services: Services, account: MemberPage, resources: Country = None
    ) -> HTMLResponse:
        return journal_page(request, services, account, crisis=resources)

    @router.post("/journal", response_class=HTMLResponse)
    def write(
        request: Request,
        services: Services,
        account: MemberPage,
        # No length cap here: the service answers an overlong entry with a clear message.
        body: Annotated[str, Form()] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        if not pages.csrf_ok(request, csrf_token):
            return journal_page(
                request,
                services,
                account,
                body=body,
                error=pages.expired_message(request, account),
                status_code=403,
            )
        try:
            written = write_checked_journal_entry(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                body=body,
                documents=services.documents,
                risk_check=services.check_writing,
            )
        except HavenError as exc:
            return journal_page(
                request,
                services,
                account,
                body=body,
                error=pages.error_message(request, exc, account),
                status_code=400 if isinstance(exc, InvalidInput) else 403,
            )
        code = _crisis_code(request, written.risk)
        location = f"/journal?resources={code}" if code else "/journal"
        return pages.done(location, "saved")

    @router.get("/tools", response_class=HTMLResponse)
    def tools(request: Request, services: Services, account: MemberPage) -> HTMLResponse:
        lang = language_of(account)
        notes = {s.flow_id: s.note for s in suggestions_for(services, account)}
        available = [f for f in flows().values() if f.kind in _TOOL_ORDER]
        # What the care team suggested first; then the thought record, the core skill of CBT;
        # then exercises, then reading.
        available.sort(
            key=lambda f: (
                f.id not in notes,
                f.id != "thought_record",
                _TOOL_ORDER.index(f.kind),
                f.id,
            )
        )
        return pages.render(
            request,
            "member/tools.html",
            account=account,
            tools=[
                {
                    "id": f.id,
                    "kind": f.kind.value,
                    "title": f.title.get(lang) or f.title["en"],
                    "offer": f.offer.get(lang) or f.offer["en"],
                    "minutes": f.minutes,
                    "form": f"/tools/{_slug(f)}" if form_steps(f) else None,
                    "suggested": f.id in notes,
                    "note": notes.get(f.id),
                }
                for f in available
            ],
        )

    def tool_page(
        request: Request,
        account: Account,
        flow: Flow,
        *,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        lang = language_of(account)
        steps = [
            {
                "id": step.id,
                "kind": step.kind.value,
                "label": (step.label or {}).get(lang) or (step.label or {}).get("en", ""),
                "hint": (step.hint.get(lang) or step.hint["en"]) if step.hint else None,
                "min": step.min,
                "max": step.max,
            }
            for step in form_steps(flow)
        ]
        return pages.render(
            request,
            "member/tools_form.html",
            account=account,
            status_code=status_code,
            title=flow.title.get(lang) or flow.title["en"],
            offer=flow.offer.get(lang) or flow.offer["en"],
            flow_id=flow.id,
            action=f"/tools/{_slug(flow)}",
            steps=steps,
            values=values,
            errors=errors,
        )

    @router.get("/tools/{tool}", response_model=None)
    def tool_form(request: Request, account: MemberPage, tool: str) -> Response:
        flow = _tool_flow(tool)
        if flow is None:
            return RedirectResponse("/tools", status_code=303)
        return tool_page(request, account, flow, values={}, errors={})

    @router.post("/tools/{tool}", response_model=None)
    async def tool_submit(
        request: Request, services: Services, account: MemberPage, tool: str
    ) -> Response:
        flow = _tool_flow(tool)
        if flow is None:
            return RedirectResponse("/tools", status_code=303)
        form = await request.form()
        values = {
            step.id: str(form.get(step.id, ""))
            for step in form_steps(flow)
            if isinstance(form.get(step.id, ""), str)
        }
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
            problems.append(("form", pages.expired_message(request, account)))
        else:
            try:
                saved = write_exercise(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    flow=flow,
                    answers=values,
                    lang=language_of(account),
                    documents=services.documents,
                    risk_check=services.check_writing,
                )
            except InvalidAnswers as exc:
                problems = [
                    (p.field, pages.error_message(request, p, account)) for p in exc.problems
                ]
            except HavenError as exc:
                problems.append(("form", pages.error_message(request, exc, account)))
        if problems:
            return tool_page(
                request,
                account,
                flow,
                values=values,
                errors=field_errors(problems),
                status_code=403 if problems[0][0] == "form" else 400,
            )
        location = f"/tools/{_slug(flow)}/saved?entry={saved.entry_id}"
        change = saved.exercise.rating_change()
        if change is not None:
            location += f"&before={change[0]}&after={change[1]}"
        code = _crisis_code(request, saved.written.risk)
        if code:
            location += f"&resources={code}"
        return RedirectResponse(location, status_code=303)

    @router.get("/tools/{tool}/saved", response_model=None)
    def tool_saved(
        request: Request,
        services: Services,
        account: MemberPage,
        tool: str,
        entry: UUID,
        before: Annotated[int | None, Query(ge=0, le=1000)] = None,
        after: Annotated[int | None, Query(ge=0, le=1000)] = None,
        resources: Country = None,
    ) -> Response:
        flow = _tool_flow(tool)
        if flow is None:
            return RedirectResponse("/tools", status_code=303)
        try:
            found = journal_entry(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                entry_id=entry,
                documents=services.documents,
            )
        except NotFound:
            return RedirectResponse("/journal", status_code=303)
        lang = language_of(account)
        return pages.render(
            request,
            "member/tools_saved.html",
            account=account,
            title=flow.title.get(lang) or flow.title["en"],
            action=f"/tools/{_slug(flow)}",
            entry=found,
            when=_when(found, account.locale),
            before=before,
            after=after,
            crisis=_resources(resources, account),
        )

    return router
