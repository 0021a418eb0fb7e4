"""The member's own care pages: questionnaires (``member_questionnaires``), progress charts,
the safety plan editor and settings (``member_settings``)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from haven.domain.errors import HavenError, InvalidInput
from haven.domain.mood import MAX_RATING, MIN_RATING, RATING_WORDS
from haven.domain.people import Account
from haven.domain.safety_plan import SafetyPlanStep
from haven.services.moods import mood_series
from haven.services.outcomes import member_outcomes
from haven.services.safety_plans import safety_plan, save_safety_plan
from haven.web.deps import Services
from haven.web.pages import member_questionnaires, member_settings
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import MemberPage, Pages
from haven.web.pages.member_questionnaires import date_formatter
from haven.web.pages.progress_charts import date_format, mood_chart, score_chart

__all__ = ["build_router"]


def _chart_json(figure: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>`` can close it."""
    return json.dumps(figure, ensure_ascii=False).replace("<", "\\u003c")


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    router.include_router(member_questionnaires.build_router(pages))
    router.include_router(member_settings.build_router(pages))

    @router.get("/progress", response_class=HTMLResponse)
    def progress(request: Request, services: Services, account: MemberPage) -> Response:
        _ = pages.gettext(request, account)
        locale = account.locale
        outcomes = member_outcomes(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            instruments=services.instruments,
            documents=services.documents,
        )
        charts = []
        for outcome in outcomes:
            instrument = services.instruments[outcome.instrument_id]

            def band_label(code: str, instrument: Any = instrument) -> str:
                label: dict[str, str] = instrument.band(code).label
                return label.get(locale) or label["en"]

            figure = score_chart(
                instrument=instrument,
                points=[(point.at, point.total) for point in outcome.trajectory],
                title=_("{name} score over time").format(name=instrument.short_name),
                y_title=_("Score"),
                band_label=band_label,
                dates=date_format(locale),
            )
            charts.append(
                {
                    "id": f"chart-{instrument.id}",
                    "instrument": instrument,
                    "name": instrument.name.get(locale) or instrument.name["en"],
                    "json": _chart_json(figure),
                    "rows": [
                        (point.at, point.total, band_label(point.severity))
                        for point in reversed(outcome.trajectory)
                    ],
                    "outcome": outcome.outcome,
                }
            )
        days = mood_series(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        mood = None
        if days:
            figure = mood_chart(
                days=[(day.day, day.mean) for day in days],
                title=_("Mood over time"),
                y_title=_("Mood ({low} to {high})").format(low=MIN_RATING, high=MAX_RATING),
                low=_(RATING_WORDS[MIN_RATING]),
                high=_(RATING_WORDS[MAX_RATING]),
                dates=date_format(locale),
            )
            mood = {"json": _chart_json(figure), "rows": list(reversed(days))}
        return pages.render(
            request,
            "member/progress.html",
            account=account,
            charts=charts,
            mood=mood,
            when=date_formatter(locale),
        )

    def plan_page(
        request: Request,
        account: Account,
        *,
        saved: dict[SafetyPlanStep, tuple[str, ...]],
        typed: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        return pages.render(
            request,
            "member/safety_plan.html",
            account=account,
            status_code=status_code,
            steps=list(SafetyPlanStep),
            saved=saved,
            typed=typed,
            errors=errors,
            has_plan=any(saved.values()),
        )

    @router.get("/safety-plan", response_class=HTMLResponse)
    def plan(request: Request, services: Services, account: MemberPage) -> Response:
        found = safety_plan(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        saved = {step: found.entries(step) for step in SafetyPlanStep}
        typed = {step.value: "\n".join(entries) for step, entries in saved.items()}
        return plan_page(request, account, saved=saved, typed=typed, errors={})

    @router.post("/safety-plan", response_class=HTMLResponse)
    async def write_plan(request: Request, services: Services, account: MemberPage) -> Response:
        form = await request.form()
        typed = {step.value: str(form.get(step.value, "")) for step in SafetyPlanStep}

        def again(errors: dict[str, str], status_code: int) -> HTMLResponse:
            found = safety_plan(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                documents=services.documents,
            )
            saved = {step: found.entries(step) for step in SafetyPlanStep}
            return plan_page(
                request, account, saved=saved, typed=typed, errors=errors, status_code=status_code
            )

        if not pages.csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
            return again({"form": pages.expired_message(request, account)}, 403)
        try:
            save_safety_plan(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                # One entry per line, as the form says; blank lines are dropped by the domain.
                steps={name: text.splitlines() for name, text in typed.items()},
                documents=services.documents,
            )
        except InvalidInput as exc:
            field = exc.field if exc.field in typed else "form"
            return again({field: pages.error_message(request, exc, account)}, 400)
        except HavenError as exc:
            return again({"form": pages.error_message(request, exc, account)}, 400)
        return pages.done("/safety-plan", "saved")

    return router
