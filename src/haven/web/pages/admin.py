"""Pages for the administrator: accounts and roles, care-team assignment, and the audit trail
with its verification status. Administrators manage accounts; they never see clinical content.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from haven.domain.access import Purpose
from haven.domain.errors import Conflict, HavenError, InvalidInput
from haven.domain.people import MIN_PASSWORD_LENGTH, SUPPORTED_LOCALES, Account, Role
from haven.domain.text import N_
from haven.services.accounts import (
    assign_to_care_team,
    create_account,
    list_accounts,
    unassign_from_care_team,
)
from haven.services.audit_trail import audit_trail_page, verify_audit_trail
from haven.services.care_teams import care_teams
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import AdminPage, Pages, field_errors

__all__ = ["build_router"]

CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]
IdField = Annotated[str, Form(max_length=64)]

# Why data was touched, in words; the audit trail stores the codes.
PURPOSES = {
    Purpose.SELF_CARE.value: N_("self-care"),
    Purpose.CARE_TEAM_REVIEW.value: N_("care-team review"),
    Purpose.ACCOUNT_ADMINISTRATION.value: N_("account administration"),
    Purpose.DATA_EXPORT.value: N_("data export"),
    Purpose.ERASURE.value: N_("erasure"),
    Purpose.AUTHENTICATION.value: N_("authentication"),
    Purpose.CONSENT.value: N_("consent"),
    Purpose.KEY_MANAGEMENT.value: N_("key management"),
}

# Staff accounts are made here; members sign up themselves (and consent as they do).
STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def accounts_page(
        request: Request,
        services: Services,
        account: Account,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        found = list_accounts(services.uow(), clock=services.clock, actor=account)
        return pages.render(
            request,
            "admin/accounts.html",
            account=account,
            status_code=status_code,
            accounts=sorted(found, key=lambda a: (a.role.value, a.email)),
            roles=STAFF_ROLES,
            values=values or {"role": Role.CLINICIAN.value, "language": "en"},
            errors=errors or {},
            min_password=MIN_PASSWORD_LENGTH,
        )

    @router.get("/admin", response_class=HTMLResponse)
    def accounts_view(request: Request, services: Services, account: AdminPage) -> Response:
        return accounts_page(request, services, account)

    @router.post("/admin/accounts", response_class=HTMLResponse)
    def create(
        request: Request,
        services: Services,
        account: AdminPage,
        role: Annotated[str, Form(max_length=20)] = "",
        email: Annotated[str, Form(max_length=254)] = "",
        display_name: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        language: Annotated[str, Form(max_length=10)] = "en",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request, account)
        values = {
            "role": role,
            "email": email,
            "display_name": display_name,
            "language": language if language in SUPPORTED_LOCALES else "en",
        }
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, csrf_token):
            problems.append(("form", pages.expired_message(request, account)))
        chosen = next((r for r in STAFF_ROLES if r.value == role), None)
        if chosen is None:
            problems.append(("role", _("Choose clinician or admin.")))
        if "@" not in email:
            problems.append(("email", _("Enter an e-mail address such as name@example.com.")))
        if not display_name.strip():
            problems.append(("display_name", _("Enter the person's name.")))
        if len(password) < MIN_PASSWORD_LENGTH:
            problems.append(
                (
                    "password",
                    _("Choose a password of at least {minimum} characters.").format(
                        minimum=MIN_PASSWORD_LENGTH
                    ),
                )
            )
        if not problems and chosen is not None:
            try:
                create_account(
                    services.uow(),
                    hasher=services.hasher,
                    clock=services.clock,
                    actor=account,
                    email=email,
                    password=password,
                    role=chosen,
                    display_name=display_name,
                    locale=values["language"],
                )
            except InvalidInput as exc:
                problems.append((exc.field or "form", pages.error_message(request, exc, account)))
            except Conflict as exc:
                problems.append(("email", pages.error_message(request, exc, account)))
            else:
                return pages.done("/admin", "created")
        return accounts_page(
            request,
            services,
            account,
            values=values,
            errors=field_errors(problems),
            status_code=403 if problems[0][0] == "form" else 400,
        )

    def teams_page(
        request: Request,
        services: Services,
        account: Account,
        *,
        values: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        teams, members = care_teams(services.uow(), clock=services.clock, actor=account)
        return pages.render(
            request,
            "admin/care_teams.html",
            account=account,
            status_code=status_code,
            teams=teams,
            members=members,
            values=values or {},
            error=error,
        )

    @router.get("/admin/care-teams", response_class=HTMLResponse)
    def teams_view(request: Request, services: Services, account: AdminPage) -> Response:
        return teams_page(request, services, account)

    def change_team(
        request: Request,
        services: Services,
        account: Account,
        *,
        assign: bool,
        clinician_id: str,
        member_id: str,
        csrf_token: str,
    ) -> Response:
        _ = pages.gettext(request, account)
        values = {"clinician_id": clinician_id, "member_id": member_id}
        clinician, member = _uuid(clinician_id), _uuid(member_id)
        error: str | None = None
        status_code = 400
        if not pages.csrf_ok(request, csrf_token):
            error, status_code = pages.expired_message(request, account), 403
        elif clinician is None or member is None:
            error = _("Choose a clinician and a member.")
        else:
            change = assign_to_care_team if assign else unassign_from_care_team
            try:
                change(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    clinician_id=clinician,
                    member_id=member,
                )
            except HavenError as exc:
                error = pages.error_message(request, exc, account)
                status_code = 400 if isinstance(exc, InvalidInput) else 404
            else:
                return pages.done("/admin/care-teams", "assigned" if assign else "updated")
        return teams_page(
            request,
            services,
            account,
            values=values if assign else None,
            error=error,
            status_code=status_code,
        )

    @router.post("/admin/care-teams", response_class=HTMLResponse)
    def assign(
        request: Request,
        services: Services,
        account: AdminPage,
        clinician_id: IdField = "",
        member_id: IdField = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        return change_team(
            request,
            services,
            account,
            assign=True,
            clinician_id=clinician_id,
            member_id=member_id,
            csrf_token=csrf_token,
        )

    @router.post("/admin/care-teams/unassign", response_class=HTMLResponse)
    def unassign(
        request: Request,
        services: Services,
        account: AdminPage,
        clinician_id: IdField = "",
        member_id: IdField = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        return change_team(
            request,
            services,
            account,
            assign=False,
            clinician_id=clinician_id,
            member_id=member_id,
            csrf_token=csrf_token,
        )

    @router.get("/admin/audit", response_class=HTMLResponse)
    def audit_view(
        request: Request,
        services: Services,
        account: AdminPage,
        page: Annotated[str, Query(max_length=12)] = "1",
        upto: Annotated[str, Query(max_length=12)] = "",
    ) -> Response:
        # Verify before reading, so the read this page records is not part of what it checked.
        head, problem = verify_audit_trail(services.uow())
        number = int(page) if page.isdigit() else 0
        try:
            found = audit_trail_page(
                services.uow(),
                clock=services.clock,
                actor=account,
                number=number,
                upto=int(upto) if upto.isdigit() else None,
            )
        except InvalidInput as exc:
            return pages.render(
                request,
                "admin/audit.html",
                account=account,
                status_code=404 if number >= 1 else 400,
                head=head,
                problem=problem,
                trail=None,
                purposes=PURPOSES,
                error=pages.error_message(request, exc, account),
            )
        return pages.render(
            request,
            "admin/audit.html",
            account=account,
            head=head,
            problem=problem,
            trail=found,
            purposes=PURPOSES,
            error=None,
        )

    return router
