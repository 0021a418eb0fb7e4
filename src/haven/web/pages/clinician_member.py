"""A member's timeline for their clinician: score charts against the severity bands, mood,
questionnaire results, alerts with the member's words in context, conversation summaries,
journal, questionnaire schedules, assigned exercises, encrypted clinical notes, and the FHIR
export.

Each part is read through its service, so each read is checked and audited on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any, TypedDict
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from haven.adapters import fhir
from haven.content import flows
from haven.domain.access import MEMBER_NOT_FOUND
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.flows import FlowKind
from haven.domain.errors import HavenError, InvalidInput
from haven.domain.exercises import ASSIGNABLE_KINDS, MAX_NOTE_FOR_MEMBER_LENGTH
from haven.domain.instruments import Instrument
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.domain.mood import DailyMood
from haven.domain.people import Account
from haven.domain.ports import Clock
from haven.domain.schedules import MAX_CADENCE_DAYS
from haven.domain.text import N_
from haven.services import (
    accounts,
    alerts,
    assessments,
    conversations,
    exercises,
    moods,
    outcomes,
    records,
    schedules,
)
from haven.services.caseload import HEADLINE_INSTRUMENTS
from haven.services.outcomes import InstrumentOutcome
from haven.web.api.fhir import FHIR_JSON
from haven.web.deps import Services
from haven.web.pages._clinic import (
    SOURCE_NAMES,
    CsrfField,
    parse_id,
    problem_page,
    signal_labels,
    when,
)
from haven.web.pages.kit import Pages, StaffPage, field_errors

__all__ = ["build_router"]

CATEGORY_NAMES = {
    "reliable_recovery": N_("Reliable recovery"),
    "reliable_improvement": N_("Reliable improvement"),
    "no_reliable_change": N_("No reliable change"),
    "reliable_deterioration": N_("Reliable deterioration"),
}
EXERCISE_GROUPS = {FlowKind.EXERCISE: N_("Exercises"), FlowKind.PSYCHOEDUCATION: N_("Reading")}
_WEEK = timedelta(days=7)
DEFAULT_CADENCE = 14  # days: every two weeks, as measurement-based care repeats PHQ-9/GAD-7
# Severity bands from calm to alarming, drawn faintly behind the totals.
_BAND_COLOURS = ("#2f6f73", "#6b9e5f", "#d9b44a", "#d9823b", "#b33a3a", "#8a1c1c")


def _band_colour(position: int, bands: int, higher_is_worse: bool) -> str:
    step = position if higher_is_worse else bands - 1 - position
    index = round(step * (len(_BAND_COLOURS) - 1) / max(1, bands - 1))
    return _BAND_COLOURS[index]


def _headline_first(entry: InstrumentOutcome) -> int:
    """PHQ-9 and GAD-7, the measures every contact repeats, before the others."""
    order = list(HEADLINE_INSTRUMENTS)
    return order.index(entry.instrument_id) if entry.instrument_id in order else len(order)


def _dates(moments: list[datetime]) -> dict[str, Any]:
    """A date axis; a lone point gets a week either side instead of a span of milliseconds."""
    axis: dict[str, Any] = {"type": "date", "tickformat": "%d %b %Y"}
    if len(moments) == 1:
        axis["range"] = [(moments[0] - _WEEK).isoformat(), (moments[0] + _WEEK).isoformat()]
    return axis


def score_chart(
    instrument: Instrument, entry: InstrumentOutcome, locale: str, gettext: Any
) -> dict[str, Any]:
    """A plotly spec: the member's totals over time over the instrument's severity bands."""
    low, high = instrument.total_range
    worse_up = instrument.change.higher_is_worse if instrument.change else True
    shapes, notes = [], []
    for position, band in enumerate(instrument.bands):
        shapes.append(
            {
                "type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                "y0": band.min - 0.5, "y1": band.max + 0.5, "line": {"width": 0},
                "fillcolor": _band_colour(position, len(instrument.bands), worse_up),
                "opacity": 0.12, "layer": "below",
            }
        )  # fmt: skip
        notes.append(
            {
                "xref": "paper", "x": 0.01, "xanchor": "left", "yref": "y",
                "y": (band.min + band.max) / 2, "showarrow": False,
                "text": band.label.get(locale) or band.label["en"],
                "font": {"size": 11, "color": "#4a4f5a"},
            }
        )  # fmt: skip
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": instrument.short_name,
                "x": [p.at.isoformat() for p in entry.trajectory],
                "y": [p.total for p in entry.trajectory],
                "line": {"color": "#1d2433"},
            }
        ],
        "layout": {
            "title": {"text": instrument.short_name},
            "xaxis": _dates([p.at for p in entry.trajectory]),
            "yaxis": {"title": {"text": gettext("Total")}, "range": [low - 0.5, high + 0.5]},
            "shapes": shapes,
            "annotations": notes,
            "showlegend": False,
            "height": 300,
            "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
        },
    }


def exercise_choices(lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The flows a clinician may assign, as (group label, [(id, title)]) for a select:
    exercises (the thought record first), then readings, each by title in ``lang``."""
    return [
        (
            EXERCISE_GROUPS[kind],
            sorted(
                (
                    (flow.id, flow.title.get(lang) or flow.title["en"])
                    for flow in flows().values()
                    if flow.kind is kind
                ),
                key=lambda choice: (choice[0] != "thought_record", choice[1]),
            ),
        )
        for kind in ASSIGNABLE_KINDS
    ]


def mood_chart(days: list[DailyMood], gettext: Any) -> dict[str, Any]:
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": gettext("Mood"),
                "x": [d.day.isoformat() for d in days],
                "y": [d.mean for d in days],
                "line": {"color": "#2f6f73"},
            }
        ],
        "layout": {
            "title": {"text": gettext("Mood (daily mean, 0 worst to 10 best)")},
            "xaxis": _dates([datetime.combine(d.day, time(12), tzinfo=UTC) for d in days]),
            "yaxis": {"range": [-0.5, 10.5]},
            "showlegend": False,
            "height": 260,
            "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        },
    }


class _Reader(TypedDict):
    """Who reads which member's record: what every service read below is given."""

    clock: Clock
    actor: Account
    member_id: UUID
    documents: Mapping[ConsentKind, ConsentDocument]


def _timeline(
    request: Request, pages: Pages, services: Services, account: Account, member_id: UUID
) -> dict[str, Any]:
    """Everything the timeline shows, each part read (and audited) through its service."""
    gettext = pages.gettext(request, account)
    common = _Reader(
        clock=services.clock, actor=account, member_id=member_id, documents=services.documents
    )
    member = accounts.member_profile(services.uow(), **common)
    trajectories = outcomes.member_outcomes(
        services.uow(), instruments=services.instruments, **common
    )
    daily_moods = moods.mood_series(services.uow(), **common)
    return {
        "member": member,
        "charts": [
            (
                services.instruments[entry.instrument_id],
                entry,
                score_chart(
                    services.instruments[entry.instrument_id], entry, account.locale, gettext
                ),
            )
            for entry in sorted(trajectories, key=_headline_first)
        ],
        "moods": daily_moods,
        "mood_chart": mood_chart(daily_moods, gettext) if daily_moods else None,
        "results": list(reversed(assessments.assessments_of(services.uow(), **common))),
        "alerts": alerts.member_alerts(services.uow(), **common),
        "conversations": conversations.conversations_of(services.uow(), **common),
        "journal": list(reversed(records.journal_entries(services.uow(), **common))),
        "schedules": schedules.schedule_statuses(services.uow(), **common),
        "exercises": exercises.assigned_exercises(services.uow(), **common),
        "exercise_titles": {
            flow.id: flow.title.get(account.locale) or flow.title["en"] for flow in flows().values()
        },
        "exercise_choices": exercise_choices(account.locale),
        "max_exercise_note": MAX_NOTE_FOR_MEMBER_LENGTH,
        "notes": list(reversed(records.notes_about(services.uow(), **common))),
        "instruments": services.instruments,
        "labels": signal_labels(services.instruments, account.locale),
        "sources": SOURCE_NAMES,
        "categories": CATEGORY_NAMES,
        "when": when,
        "max_cadence": MAX_CADENCE_DAYS,
    }


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def timeline_page(
        request: Request,
        services: Services,
        account: Account,
        member_id: str,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
    ) -> Response:
        try:
            context = _timeline(
                request, pages, services, account, parse_id(member_id, MEMBER_NOT_FOUND)
            )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        return pages.render(
            request,
            "clinician/member.html",
            account=account,
            status_code=status_code,
            errors=errors or {},
            values={
                "instrument": "gad7",
                "every_days": str(DEFAULT_CADENCE),
                "flow_id": "thought_record",
                **(values or {}),
            },
            **context,
        )

    @router.get("/clinic/members/{member_id}", response_class=HTMLResponse)
    def timeline(
        request: Request, services: Services, account: StaffPage, member_id: str
    ) -> Response:
        return timeline_page(request, services, account, member_id)

    @router.post("/clinic/members/{member_id}/schedules", response_class=HTMLResponse)
    def assign_schedule(
        request: Request,
        services: Services,
        account: StaffPage,
        member_id: str,
        instrument: Annotated[str, Form(max_length=40)] = "",
        every_days: Annotated[str, Form(max_length=10)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request, account)
        values = {"instrument": instrument, "every_days": every_days}
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, csrf_token):
            problems.append(("every_days", pages.expired_message(request, account)))
        cadence = int(every_days) if every_days.strip().isdigit() else None
        if cadence is None:
            problems.append(
                (
                    "every_days",
                    _("Enter how often, as a whole number of days from 1 to {maximum}.").format(
                        maximum=MAX_CADENCE_DAYS
                    ),
                )
            )
        if not problems and cadence is not None:
            try:
                schedules.assign_schedule(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    member_id=parse_id(member_id, MEMBER_NOT_FOUND),
                    instrument_id=instrument,
                    every_days=cadence,
                    starts_at=None,
                    instruments=services.instruments,
                    documents=services.documents,
                )
            except InvalidInput as exc:
                field = exc.field if exc.field in values else "every_days"
                problems.append((field, pages.error_message(request, exc, account)))
            except HavenError as exc:
                return problem_page(pages, request, account, exc)
        if problems:
            return timeline_page(
                request, services, account, member_id,
                status_code=400, errors=field_errors(problems), values=values,
            )  # fmt: skip
        return pages.done(f"/clinic/members/{member_id}", "assigned")

    @router.post(
        "/clinic/members/{member_id}/schedules/{schedule_id}/end", response_class=HTMLResponse
    )
    def end_schedule(
        request: Request,
        services: Services,
        account: StaffPage,
        member_id: str,
        schedule_id: str,
        csrf_token: CsrfField = "",
    ) -> Response:
        if not pages.csrf_ok(request, csrf_token):
            return timeline_page(
                request, services, account, member_id, status_code=403,
                errors={"schedules": pages.expired_message(request, account)},
            )  # fmt: skip
        try:
            schedules.end_schedule(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=parse_id(member_id, MEMBER_NOT_FOUND),
                schedule_id=parse_id(schedule_id, N_("No active schedule with that id.")),
                documents=services.documents,
            )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        return pages.done(f"/clinic/members/{member_id}", "ended")

    @router.post("/clinic/members/{member_id}/exercises", response_class=HTMLResponse)
    def assign_exercise(
        request: Request,
        services: Services,
        account: StaffPage,
        member_id: str,
        flow_id: Annotated[str, Form(max_length=64)] = "",
        # No tight cap here: the service answers an overlong note with a clear message.
        note_for_member: Annotated[str, Form(max_length=MAX_NOTE_FOR_MEMBER_LENGTH * 8)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        values = {"flow_id": flow_id, "note_for_member": note_for_member}
        problem: tuple[str, str] | None = None
        if not pages.csrf_ok(request, csrf_token):
            problem = ("note_for_member", pages.expired_message(request, account))
        else:
            try:
                exercises.assign_exercise(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    member_id=parse_id(member_id, MEMBER_NOT_FOUND),
                    flow_id=flow_id,
                    note=note_for_member,
                    documents=services.documents,
                    flows=flows(),
                )
            except InvalidInput as exc:
                field = exc.field if exc.field in values else "note_for_member"
                problem = (field, pages.error_message(request, exc, account))
            except HavenError as exc:
                return problem_page(pages, request, account, exc)
        if problem:
            return timeline_page(
                request, services, account, member_id,
                status_code=400, errors=field_errors([problem]), values=values,
            )  # fmt: skip
        return pages.done(f"/clinic/members/{member_id}", "assigned")

    @router.post(
        "/clinic/members/{member_id}/exercises/{assignment_id}/end", response_class=HTMLResponse
    )
    def end_exercise(
        request: Request,
        services: Services,
        account: StaffPage,
        member_id: str,
        assignment_id: str,
        csrf_token: CsrfField = "",
    ) -> Response:
        if not pages.csrf_ok(request, csrf_token):
            return timeline_page(
                request, services, account, member_id, status_code=403,
                errors={"exercises": pages.expired_message(request, account)},
            )  # fmt: skip
        try:
            exercises.end_exercise_assignment(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=parse_id(member_id, MEMBER_NOT_FOUND),
                assignment_id=parse_id(assignment_id, exercises.NO_ASSIGNMENT),
                documents=services.documents,
            )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        return pages.done(f"/clinic/members/{member_id}", "exercise_ended")

    @router.post("/clinic/members/{member_id}/notes", response_class=HTMLResponse)
    def write_note(
        request: Request,
        services: Services,
        account: StaffPage,
        member_id: str,
        body: Annotated[str, Form(max_length=MAX_FREE_TEXT_LENGTH * 2)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request, account)
        problem = None
        if not pages.csrf_ok(request, csrf_token):
            problem = pages.expired_message(request, account)
        elif not body.strip():
            problem = _("Write the note before saving it.")
        else:
            try:
                records.write_note(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    member_id=parse_id(member_id, MEMBER_NOT_FOUND),
                    body=body,
                    documents=services.documents,
                )
            except InvalidInput as exc:
                problem = pages.error_message(request, exc, account)
            except HavenError as exc:
                return problem_page(pages, request, account, exc)
        if problem:
            return timeline_page(
                request, services, account, member_id,
                status_code=400, errors={"note": problem}, values={"note": body},
            )  # fmt: skip
        return pages.done(f"/clinic/members/{member_id}", "noted")

    @router.get("/clinic/members/{member_id}/fhir")
    def fhir_bundle(
        request: Request, services: Services, account: StaffPage, member_id: str
    ) -> Response:
        """The same Bundle as the API's FHIR export, as a file to save."""
        try:
            member = parse_id(member_id, MEMBER_NOT_FOUND)
            found = assessments.assessments_of(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=member,
                documents=services.documents,
            )
        except HavenError as exc:
            return problem_page(pages, request, account, exc)
        bundle = fhir.member_bundle(
            assessments=found,
            instruments=services.instruments,
            base_url=services.settings.public_url,
        )
        return JSONResponse(
            bundle,
            media_type=FHIR_JSON,
            headers={
                "content-disposition": f'attachment; filename="haven-{member}.fhir.json"',
                "cache-control": "no-store",
            },
        )

    return router
