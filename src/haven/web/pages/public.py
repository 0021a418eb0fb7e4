"""Pages anyone can open: the landing page, sign-in, sign-up with consent, the crisis help
page, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from haven.content import crisis_directory
from haven.domain.consent import ConsentKind
from haven.domain.credentials import CredentialKind
from haven.domain.errors import AccountLocked, HavenError, InvalidInput
from haven.domain.people import MIN_PASSWORD_LENGTH, SUPPORTED_LOCALES, Account, Role
from haven.services.accounts import register_member, update_profile
from haven.services.authentication import issue_credential, revoke_credential, sign_in
from haven.services.consents import consent_status, grant_consent, revoke_consent
from haven.web.api.crisis import resources_for
from haven.web.deps import Services, throttle_login_address
from haven.web.pages.csrf import CSRF_COOKIE, CSRF_FIELD
from haven.web.pages.kit import (
    COUNTRY_COOKIE,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Pages,
    SignedIn,
    account_of,
    field_errors,
    visitor_country,
    visitor_locale,
)

__all__ = ["build_router"]

CsrfField = Annotated[str, Form(alias=CSRF_FIELD, max_length=100)]
_YEAR_SECONDS = 365 * 24 * 3600


def home_of(account: Account) -> str:
    """Where each role lands after signing in."""
    return {Role.MEMBER: "/today", Role.CLINICIAN: "/clinic", Role.ADMIN: "/admin"}[account.role]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never ``//evil.example`` or an absolute URL."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def start_session(services: Services, account: Account, location: str) -> Response:
        token, _ = issue_credential(
            services.uow(),
            clock=services.clock,
            account=account,
            kind=CredentialKind.BROWSER_SESSION,
            lifetime=services.session_lifetime,
        )
        response = RedirectResponse(location, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=services.settings.secure_cookies,
            path="/",
            max_age=int(services.session_lifetime.total_seconds()),
        )
        # A fresh CSRF token after sign-in, so a token planted before it is worthless.
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    @router.get("/", response_class=HTMLResponse)
    def landing(request: Request, services: Services) -> HTMLResponse:
        return pages.render(request, "landing.html", account=account_of(request, services))

    @router.get("/home")
    def home(request: Request, account: SignedIn) -> Response:
        return RedirectResponse(home_of(account), status_code=303)

    @router.get("/login", response_class=HTMLResponse)
    def login_form(
        request: Request,
        services: Services,
        ended: bool = False,
        next: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        account = account_of(request, services)
        if account is not None:
            return RedirectResponse(home_of(account), status_code=303)
        return pages.render(request, "login.html", email="", ended=ended, next=_safe_next(next))

    @router.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        services: Services,
        email: Annotated[str, Form(max_length=254)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        next: Annotated[str, Form(max_length=500)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request)
        target = _safe_next(next)

        def again(message: str, status_code: int) -> HTMLResponse:
            return pages.render(
                request,
                "login.html",
                status_code=status_code,
                email=email,
                error=message,
                next=target,
            )

        if not pages.csrf_ok(request, csrf_token):
            return again(pages.expired_message(request), 403)
        if not email.strip() or not password:
            return again(_("Enter your e-mail address and your password."), 400)
        try:
            throttle_login_address(request)
            account = sign_in(
                services.uow(),
                hasher=services.hasher,
                clock=services.clock,
                policy=services.login_policy,
                email=email,
                password=password,
                dummy_hash=services.dummy_hash,
            )
        except HavenError as exc:
            status_code = 429 if isinstance(exc, AccountLocked) else 401
            return again(pages.error_message(request, exc), status_code)
        return start_session(services, account, target or "/home")

    @router.post("/logout")
    def logout(request: Request, services: Services, csrf_token: CsrfField = "") -> Response:
        if not pages.csrf_ok(request, csrf_token):
            return RedirectResponse("/home", status_code=303)
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            revoke_credential(services.uow(), clock=services.clock, token=token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/signup", response_class=HTMLResponse)
    def signup_form(request: Request, services: Services) -> Response:
        account = account_of(request, services)
        if account is not None:
            return RedirectResponse(home_of(account), status_code=303)
        return pages.render(
            request,
            "signup.html",
            documents=list(services.documents.values()),
            values={"language": visitor_locale(request)},
            errors={},
            min_password=MIN_PASSWORD_LENGTH,
        )

    @router.post("/signup", response_class=HTMLResponse)
    def signup(
        request: Request,
        services: Services,
        display_name: Annotated[str, Form(max_length=200)] = "",
        email: Annotated[str, Form(max_length=254)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        language: Annotated[str, Form(max_length=10)] = "en",
        terms_of_use: Annotated[str, Form(max_length=10)] = "",
        care_team_sharing: Annotated[str, Form(max_length=10)] = "",
        research: Annotated[str, Form(max_length=10)] = "",
        csrf_token: CsrfField = "",
    ) -> Response:
        _ = pages.gettext(request)
        chosen = {
            ConsentKind.TERMS_OF_USE: bool(terms_of_use),
            ConsentKind.CARE_TEAM_SHARING: bool(care_team_sharing),
            ConsentKind.RESEARCH: bool(research),
        }
        language = language if language in SUPPORTED_LOCALES else "en"
        values: dict[str, object] = {
            "display_name": display_name,
            "email": email,
            "language": language,
            **{kind.value: on for kind, on in chosen.items()},
        }
        problems: list[tuple[str, str]] = []
        if not pages.csrf_ok(request, csrf_token):
            problems.append(("form", pages.expired_message(request)))
        if not display_name.strip():
            problems.append(("display_name", _("Tell us what to call you.")))
        if "@" not in email:
            problems.append(("email", _("Enter an e-mail address such as name@example.com.")))
        if len(password) < MIN_PASSWORD_LENGTH:
            problems.append(
                (
                    "password",
                    _("Choose a password of at least {minimum} characters.").format(
                        minimum=MIN_PASSWORD_LENGTH
                    ),
                )
            )
        missing = [
            doc for kind, doc in services.documents.items() if doc.required and not chosen.get(kind)
        ]
        if missing:
            problems.append(("terms_of_use", _("Please read and accept the terms to continue.")))
        account: Account | None = None
        if not problems:
            try:
                account = register_member(
                    services.uow(),
                    hasher=services.hasher,
                    clock=services.clock,
                    email=email,
                    password=password,
                    display_name=display_name,
                    locale=language,
                )
            except InvalidInput as exc:
                problems.append((exc.field or "form", pages.error_message(request, exc)))
            except HavenError as exc:
                problems.append(("email", pages.error_message(request, exc)))
        if account is None:
            return pages.render(
                request,
                "signup.html",
                status_code=403 if problems[0][0] == "form" else 400,
                documents=list(services.documents.values()),
                values=values,
                errors=field_errors(problems),
                min_password=MIN_PASSWORD_LENGTH,
            )
        for kind, on in chosen.items():
            if on and kind in services.documents:
                grant_consent(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    kind=kind,
                    version=services.documents[kind].version,
                    documents=services.documents,
                )
        return start_session(services, account, "/chat?welcome=1")

    @router.get("/consent", response_class=HTMLResponse)
    def consent_form(request: Request, services: Services, account: SignedIn) -> Response:
        if account.role is not Role.MEMBER:
            return RedirectResponse(home_of(account), status_code=303)
        statuses = consent_status(services.uow(), actor=account, documents=services.documents)
        return pages.render(request, "consent.html", account=account, statuses=statuses, error=None)

    @router.post("/consent", response_class=HTMLResponse)
    async def consent(request: Request, services: Services, account: SignedIn) -> Response:
        if account.role is not Role.MEMBER:
            return RedirectResponse(home_of(account), status_code=303)
        form = await request.form()
        _ = pages.gettext(request, account)
        statuses = consent_status(services.uow(), actor=account, documents=services.documents)
        wanted = {
            status.document.kind: bool(form.get(status.document.kind.value)) for status in statuses
        }
        error = None
        if not pages.csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
            error = pages.expired_message(request, account)
        elif any(s.document.required and not wanted[s.document.kind] for s in statuses):
            error = _("Please read and accept the terms to continue.")
        if error:
            return pages.render(
                request,
                "consent.html",
                account=account,
                statuses=statuses,
                error=error,
                status_code=400,
            )
        for status in statuses:
            kind = status.document.kind
            if wanted[kind] and status.grant is None:
                grant_consent(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    kind=kind,
                    version=status.document.version,
                    documents=services.documents,
                )
            elif not wanted[kind] and status.grant is not None:
                revoke_consent(services.uow(), clock=services.clock, actor=account, kind=kind)
        return pages.done("/today", "consent")

    @router.get("/help", response_class=HTMLResponse)
    def help_now(
        request: Request,
        services: Services,
        country: Annotated[str | None, Query(max_length=2)] = None,
    ) -> Response:
        account = account_of(request, services)
        locale = visitor_locale(request, account)
        chosen = country.upper() if country and country.isascii() and country.isalpha() else None
        code = chosen or visitor_country(request)
        resources = resources_for(code, locale)
        directory = crisis_directory()
        countries = sorted(
            ((c.code, c.name.get(locale) or c.name["en"]) for c in directory.countries),
            key=lambda pair: pair[1],
        )
        response = pages.render(
            request,
            "help.html",
            account=account,
            resources=resources,
            countries=countries,
            guessed=chosen is None,
        )
        if chosen and directory.for_country(chosen) is not None:
            response.set_cookie(
                COUNTRY_COOKIE, chosen, max_age=_YEAR_SECONDS, samesite="lax", path="/"
            )
        return response

    @router.post("/language")
    def language(
        request: Request,
        services: Services,
        language: Annotated[str, Form(max_length=10)] = "en",
        back: Annotated[str, Form(max_length=500)] = "/",
        csrf_token: CsrfField = "",
    ) -> Response:
        target = _safe_next(back) or "/"
        if language not in SUPPORTED_LOCALES or not pages.csrf_ok(request, csrf_token):
            return RedirectResponse(target, status_code=303)
        account = account_of(request, services)
        if account is not None:
            update_profile(services.uow(), clock=services.clock, actor=account, locale=language)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=_YEAR_SECONDS, samesite="lax", path="/"
        )
        return response

    return router
