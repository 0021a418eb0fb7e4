"""The member's settings: name and language, consent choices, downloading everything Haven
holds about them, and deleting their account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from haven.domain.errors import AuthenticationFailed, HavenError, InvalidInput
from haven.domain.people import MAX_DISPLAY_NAME_LENGTH, SUPPORTED_LOCALES, Account
from haven.services.accounts import update_profile
from haven.services.consents import consent_status
from haven.services.data_rights import delete_member, export_member_data
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import LANGUAGE_COOKIE, SESSION_COOKIE, MemberPage, Pages, field_errors
from haven.web.pages.member_questionnaires import date_formatter

__all__ = ["build_router"]

CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]
_YEAR_SECONDS = 365 * 24 * 3600


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def settings_page(
        request: Request,
        services: Services,
        account: Account,
        *,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        statuses = consent_status(services.uow(), actor=account, documents=services.documents)
        return pages.render(
            request,
            "member/settings.html",
            account=account,
            status_code=status_code,
            values=values,
            errors=errors,
            statuses=statuses,
            max_name=MAX_DISPLAY_NAME_LENGTH,
            when=date_formatter(account.locale),
        )

    @router.get("/settings", response_class=HTMLResponse)
    def settings(request: Request, services: Services, account: MemberPage) -> Response:
        values = {"display_name": account.display_name, "language": account.locale}
        return settings_page(request, services, account, values=values, errors={})

    @router.post("/settings", response_class=HTMLResponse)
    def save_settings(
        request: Request,
        services: Services,
        account: MemberPage,
        display_name: Annotated[str, Form(max_length=500)] = "",
        language: Annotated[str, Form(max_length=10)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request, account)
        values = {"display_name": display_name, "language": language}
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, csrf_token):
            problems.append(("form", pages.expired_message(request, account)))
        if language not in SUPPORTED_LOCALES:
            problems.append(("language", _("Choose English or Spanish.")))
        if not problems:
            try:
                update_profile(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    display_name=display_name,
                    locale=language,
                )
            except InvalidInput as exc:
                field = exc.field if exc.field in values else "form"
                problems.append((field, pages.error_message(request, exc, account)))
        if problems:
            return settings_page(
                request,
                services,
                account,
                values=values,
                errors=field_errors(problems),
                status_code=403 if problems[0][0] == "form" else 400,
            )
        response = pages.done("/settings", "saved")
        # Pages seen after signing out keep the language too.
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=_YEAR_SECONDS, samesite="lax", path="/"
        )
        return response

    @router.get("/settings/export")
    def export(services: Services, account: MemberPage) -> Response:
        data: dict[str, Any] = export_member_data(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        return JSONResponse(
            data,
            headers={
                "Content-Disposition": 'attachment; filename="haven-data.json"',
                # Everything the member wrote, decrypted: no shared cache may keep a copy.
                "Cache-Control": "no-store",
            },
        )

    def delete_page(
        request: Request,
        account: Account,
        *,
        email: str,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        return pages.render(
            request,
            "member/settings_delete.html",
            account=account,
            status_code=status_code,
            email=email,
            errors=errors,
        )

    @router.get("/settings/delete", response_class=HTMLResponse)
    def delete_form(request: Request, account: MemberPage) -> Response:
        return delete_page(request, account, email="", errors={})

    @router.post("/settings/delete", response_class=HTMLResponse)
    def delete(
        request: Request,
        services: Services,
        account: MemberPage,
        email: Annotated[str, Form(max_length=254)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request, account)
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, csrf_token):
            problems.append(("form", pages.expired_message(request, account)))
        if email.strip().lower() != account.email.lower():
            problems.append(
                (
                    "email",
                    _(
                        "That is not the e-mail address of this account. Type it exactly to "
                        "confirm; nothing has been deleted."
                    ),
                )
            )
        if not password:
            problems.append(("password", _("Enter your password to confirm the deletion.")))
        if not problems:
            try:
                delete_member(
                    services.uow(),
                    hasher=services.hasher,
                    clock=services.clock,
                    actor=account,
                    member_id=account.id,
                    password=password,
                )
            except AuthenticationFailed:
                problems.append(
                    ("password", _("That password is not right. Nothing has been deleted."))
                )
            except HavenError as exc:
                problems.append(("form", pages.error_message(request, exc, account)))
        if problems:
            return delete_page(
                request,
                account,
                email=email,
                errors=field_errors(problems),
                status_code=403 if problems[0][0] == "form" else 400,
            )
        response = pages.done("/", "deleted")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return router
