"""Pages a person opens in a browser. Forms work without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from haven.domain.credentials import CredentialKind
from haven.domain.errors import AccountLocked, AuthenticationFailed, HavenError
from haven.domain.people import Account
from haven.i18n import translations
from haven.services.authentication import (
    issue_credential,
    resolve_credential,
    revoke_credential,
    sign_in,
)
from haven.web.deps import Services, throttle_login_address
from haven.web.locale import request_locale
from haven.web.pages.csrf import CSRF_FIELD, csrf_token, csrf_valid, set_csrf_cookie

__all__ = ["SESSION_COOKIE", "build_router"]

SESSION_COOKIE = "haven_session"


def build_router(templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def render(
        request: Request,
        name: str,
        *,
        status_code: int = 200,
        account: Account | None = None,
        **context: Any,
    ) -> HTMLResponse:
        locale = account.locale if account else request_locale(request)
        catalog = translations(locale)
        token = csrf_token(request)
        response = templates.TemplateResponse(
            request,
            name,
            {
                "_": catalog.gettext,
                "locale": locale,
                "account": account,
                "csrf_field": CSRF_FIELD,
                "csrf_token": token,
                **context,
            },
            status_code=status_code,
        )
        set_csrf_cookie(response, token, secure=request.app.state.container.settings.secure_cookies)
        return response

    def signed_in(request: Request, services: Services) -> Account | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return resolve_credential(
                services.uow(),
                clock=services.clock,
                token=token,
                kind=CredentialKind.BROWSER_SESSION,
                idle=services.idle_logoff,
            )
        except AuthenticationFailed:
            return None

    @router.get("/", response_class=HTMLResponse)
    def landing(request: Request, services: Services) -> HTMLResponse:
        return render(request, "landing.html", account=signed_in(request, services))

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, services: Services, ended: bool = False) -> Response:
        if signed_in(request, services):
            return RedirectResponse("/home", status_code=303)
        return render(request, "login.html", email="", ended=ended)

    @router.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        services: Services,
        email: Annotated[str, Form(max_length=254)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
    ) -> Response:
        catalog = translations(request_locale(request))
        if not csrf_valid(request, csrf_token):
            message = catalog.gettext(
                "This form has expired. We kept what you typed; please send it again."
            )
            return render(request, "login.html", status_code=403, email=email, error=message)
        if not email.strip() or not password:
            message = catalog.gettext("Enter your e-mail address and your password.")
            return render(request, "login.html", status_code=400, email=email, error=message)
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
            message = catalog.gettext(exc.message).format(**exc.params)
            status_code = 429 if isinstance(exc, AccountLocked) else 401
            return render(
                request, "login.html", status_code=status_code, email=email, error=message
            )
        token, _ = issue_credential(
            services.uow(),
            clock=services.clock,
            account=account,
            kind=CredentialKind.BROWSER_SESSION,
            lifetime=services.session_lifetime,
        )
        response = RedirectResponse("/home", status_code=303)
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
        response.delete_cookie("haven_csrf", path="/")
        return response

    @router.post("/logout")
    def logout(
        request: Request,
        services: Services,
        csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
    ) -> Response:
        if not csrf_valid(request, csrf_token):
            return RedirectResponse("/home", status_code=303)
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            revoke_credential(services.uow(), clock=services.clock, token=token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/home", response_class=HTMLResponse)
    def home(request: Request, services: Services) -> Response:
        account = signed_in(request, services)
        if account is None:
            had_session = SESSION_COOKIE in request.cookies
            response = RedirectResponse(
                "/login?ended=true" if had_session else "/login", status_code=303
            )
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        return render(
            request,
            "home.html",
            account=account,
            idle_minutes=services.settings.idle_logoff_minutes,
        )

    return router
