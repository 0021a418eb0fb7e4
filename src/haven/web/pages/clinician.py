"""Pages for the clinician: the caseload, the alert queue with each alert's detail, and the
caseload outcome report. A member's timeline is in ``clinician_member``.

Every read of a member's record goes through the services, which check the care team and the
member's consent and write the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from haven.domain.errors import Conflict, HavenError
from haven.domain.instruments import Instrument
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.services import accounts, alerts, caseload, outcomes
from haven.services.alerts import ALERT_NOT_FOUND
from haven.services.caseload import HEADLINE_INSTRUMENTS, CaseloadRow
from haven.web.deps import Services
from haven.web.pages import clinician_member
from haven.web.pages._clinic import (
    SOURCE_NAMES,
    CsrfField,
    parse_id,
    problem_page,
    signal_labels,
    when,
)
from haven.web.pages.kit import Pages, StaffPage

__all__ = ["build_router"]

SortKey = Literal["name", "phq9", "gad7", "alert", "active", "overdue"]
NoteText = Annotated[str, Form(max_length=MAX_FREE_TEXT_LENGTH * 2)]


def _sort_key(key: SortKey) -> Callable[[CaseloadRow], tuple[int, float | str]]:
    """Rows without a value sort after those with one, whichever the order."""

    def score(instrument_id: str) -> Callable[[CaseloadRow], tuple[int, float | str]]:
        def value(row: CaseloadRow) -> tuple[int, float | str]:
            found = row.scores.get(instrument_id)
            return (0, found.total) if found else (1, 0)

        return value

    keys: dict[str, Callable[[CaseloadRow], tuple[int, float | str]]] = {
        "name": lambda row: (0, row.member.display_name.casefold()),
        "phq9": score("phq9"),
        "gad7": score("gad7"),
        "alert": lambda row: (0, row.open_alert.rank + 1 if row.open_alert else 0),
        "active": lambda row: (0, row.last_active.timestamp()) if row.last_active else (1, 0),
        "overdue": lambda row: (0, row.overdue),
    }
    return keys[key]


def _arrange(
    rows: list[CaseloadRow], *, sort: SortKey | None, descending: bool, needle: str
) -> list[CaseloadRow]:
    """The no-JavaScript fallback of the table's own filter and sort buttons."""
    wanted = needle.strip().casefold()
    shown = [r for r in rows if not wanted or wanted in r.member.display_name.casefold()]
    if sort is None:
        return shown
    key = _sort_key(sort)
    with_value = [r for r in shown if key(r)[0] == 0]
    without = [r for r in shown if key(r)[0] == 1]
    return sorted(with_value, key=key, reverse=descending) + without


def _days_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, (now - moment).days)


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/clinic", response_class=HTMLResponse)
    def caseload_page(
        request: Request,
        services: Services,
        account: StaffPage,
        sort: SortKey | None = None,
        order: Literal["asc", "desc"] = "asc",
        q: Annotated[str, Query(max_length=200)] = "",
    ) -> Response:
        try:
            rows = caseload.caseload_overview(
                services.uow(), clock=services.clock, actor=account, documents=services.documents
            )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        now = services.clock.now()
        return pages.render(
            request,
            "clinician/caseload.html",
            account=account,
            rows=_arrange(rows, sort=sort, descending=order == "desc", needle=q),
            total=len(rows),
            sort=sort,
            order=order,
            q=q,
            instruments=services.instruments,
            days_since=lambda moment: _days_since(moment, now),
        )

    @router.get("/clinic/alerts", response_class=HTMLResponse)
    def alert_queue(
        request: Request,
        services: Services,
        account: StaffPage,
        state: Literal["open", "all"] = "all",
    ) -> Response:
        try:
            found = alerts.alert_queue(
                services.uow(),
                clock=services.clock,
                actor=account,
                documents=services.documents,
                open_only=state == "open",
            )
            names = {
                m.id: m.display_name
                for m in accounts.caseload(services.uow(), clock=services.clock, actor=account)
            }
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        return pages.render(
            request,
            "clinician/alerts.html",
            account=account,
            alerts=found,
            names=names,
            state=state,
            sources=SOURCE_NAMES,
            when=when,
        )

    def detail_page(
        request: Request,
        services: Services,
        account: StaffPage,
        alert_id: str,
        *,
        status_code: int = 200,
        error: str | None = None,
        field: str | None = None,
        typed: str = "",
    ) -> Response:
        try:
            found = alerts.alert_detail(
                services.uow(),
                clock=services.clock,
                actor=account,
                alert_id=parse_id(alert_id, ALERT_NOT_FOUND),
                documents=services.documents,
            )
            member = accounts.member_profile(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=found.alert.member_id,
                documents=services.documents,
            )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        return pages.render(
            request,
            "clinician/alert.html",
            account=account,
            status_code=status_code,
            detail=found,
            member=member,
            sources=SOURCE_NAMES,
            labels=signal_labels(services.instruments, account.locale),
            when=when,
            error=error,
            field=field,
            typed=typed,
        )

    @router.get("/clinic/alerts/{alert_id}", response_class=HTMLResponse)
    def alert_page(
        request: Request, services: Services, account: StaffPage, alert_id: str
    ) -> Response:
        return detail_page(request, services, account, alert_id)

    @router.post("/clinic/alerts/{alert_id}/notes", response_class=HTMLResponse)
    def add_note(
        request: Request,
        services: Services,
        account: StaffPage,
        alert_id: str,
        body: NoteText = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request, account)
        if not pages.csrf_ok(request, csrf_token):
            message, status = pages.expired_message(request, account), 403
        elif not body.strip():
            message, status = _("Write the note before adding it."), 400
        else:
            try:
                alerts.add_alert_note(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    alert_id=parse_id(alert_id, ALERT_NOT_FOUND),
                    body=body,
                    documents=services.documents,
                )
            except HavenError as exc:
                return problem_page(pages, request, account, exc)
            return pages.done(f"/clinic/alerts/{alert_id}", "noted")
        return detail_page(
            request, services, account, alert_id,
            status_code=status, error=message, field="note", typed=body,
        )  # fmt: skip

    @router.post("/clinic/alerts/{alert_id}/acknowledge", response_class=HTMLResponse)
    def acknowledge(
        request: Request,
        services: Services,
        account: StaffPage,
        alert_id: str,
        csrf_token: CsrfField = "",
    ) -> Response:
        if not pages.csrf_ok(request, csrf_token):
            return detail_page(
                request, services, account, alert_id,
                status_code=403, error=pages.expired_message(request, account), field="ack",
            )  # fmt: skip
        try:
            alerts.acknowledge_alert(
                services.uow(),
                clock=services.clock,
                actor=account,
                alert_id=parse_id(alert_id, ALERT_NOT_FOUND),
                documents=services.documents,
            )
        except HavenError as exc:
            if isinstance(exc, Conflict):
                return detail_page(
                    request, services, account, alert_id,
                    status_code=409, error=pages.error_message(request, exc, account),
                    field="ack",
                )  # fmt: skip
            return problem_page(pages, request, account, exc)
        return pages.done(f"/clinic/alerts/{alert_id}", "acknowledged")

    @router.get("/clinic/report", response_class=HTMLResponse)
    def report(request: Request, services: Services, account: StaffPage) -> Response:
        reports = []
        try:
            for instrument in _headline_first(services.instruments.values()):
                if instrument.change is None:
                    continue
                reports.append(
                    (
                        instrument,
                        outcomes.caseload_outcomes(
                            services.uow(),
                            clock=services.clock,
                            actor=account,
                            instrument_id=instrument.id,
                            instruments=services.instruments,
                            documents=services.documents,
                        ),
                    )
                )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        return pages.render(
            request, "clinician/report.html", account=account, reports=reports, count=_count
        )

    router.include_router(clinician_member.build_router(pages))
    return router


def _headline_first(instruments: Iterable[Instrument]) -> list[Instrument]:
    """PHQ-9 and GAD-7, the measures every contact repeats, before the others."""
    order = {instrument_id: n for n, instrument_id in enumerate(HEADLINE_INSTRUMENTS)}
    return sorted(instruments, key=lambda i: order.get(i.id, len(order)))


def _count(pct: float | None, of: int) -> int | None:
    """The number of members behind a percentage the domain rounded to 0.1 (exact for any
    caseload under a thousand)."""
    return None if pct is None else round(pct * of / 100)
