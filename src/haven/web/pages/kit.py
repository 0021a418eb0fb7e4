"""What every page shares: rendering in the person's language, who is signed in, CSRF, and the
visitor's country for crisis resources.

Handlers stay thin: they read a form, call a service, and either redirect (post/redirect/get)
or render the same form again with the person's input kept and a message naming what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from babel.dates import format_date, format_time
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from haven.domain.consent import require_consents
from haven.domain.credentials import CredentialKind
from haven.domain.crisis import country_from_accept_language
from haven.domain.errors import AuthenticationFailed, ConsentRequired, HavenError
from haven.domain.people import SUPPORTED_LOCALES, Account, Role
from haven.domain.text import N_
from haven.i18n import negotiate_locale, translations
from haven.services.authentication import resolve_credential
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD, csrf_token, csrf_valid, set_csrf_cookie

__all__ = [
    "COUNTRY_COOKIE",
    "LANGUAGE_COOKIE",
    "SESSION_COOKIE",
    "AdminPage",
    "MemberPage",
    "PageForbidden",
    "PageRedirect",
    "Pages",
    "SignedIn",
    "StaffPage",
    "account_of",
    "field_errors",
    "moment_text",
    "visitor_country",
    "visitor_locale",
]

SESSION_COOKIE = "haven_session"
LANGUAGE_COOKIE = "haven_lang"
COUNTRY_COOKIE = "haven_country"


class PageRedirect(Exception):
    """Raised by a page dependency to send the browser elsewhere (sign-in, consent)."""

    def __init__(self, location: str, *, clear_session: bool = False) -> None:
        super().__init__(location)
        self.location = location
        self.clear_session = clear_session

    def response(self) -> RedirectResponse:
        response = RedirectResponse(self.location, status_code=303)
        if self.clear_session:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response


class PageForbidden(Exception):
    """A signed-in person opened a page that is not for their role."""


def visitor_locale(request: Request, account: Account | None = None) -> str:
    """The profile's language when signed in; else the visitor's choice; else the browser's."""
    if account is not None:
        return account.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return negotiate_locale(request.headers.get("accept-language"))


def visitor_country(request: Request) -> str | None:
    """The country chosen on the help page, else the first region in ``Accept-Language``
    (``es-MX`` means Mexico). None when neither says; the page then offers the choice."""
    chosen = request.cookies.get(COUNTRY_COOKIE, "")
    if len(chosen) == 2 and chosen.isascii() and chosen.isalpha():
        return chosen.upper()
    return country_from_accept_language(request.headers.get("accept-language"))


def account_of(request: Request, services: Services) -> Account | None:
    """The account behind the browser's session cookie, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        account = resolve_credential(
            services.uow(),
            clock=services.clock,
            token=token,
            kind=CredentialKind.BROWSER_SESSION,
            idle=services.idle_logoff,
        )
    except AuthenticationFailed:
        return None
    request.state.locale = account.locale
    return account


def _signed_in(request: Request, services: Services) -> Account:
    account = account_of(request, services)
    if account is None:
        had_session = SESSION_COOKIE in request.cookies
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        query = "ended=true&" if had_session else ""
        raise PageRedirect(f"/login?{query}next={quote(target, safe='')}", clear_session=True)
    return account


def _with_role(*roles: Role) -> Callable[[Request, Services], Account]:
    def dependency(request: Request, services: Services) -> Account:
        account = _signed_in(request, services)
        if account.role not in roles:
            raise PageForbidden
        if account.role is Role.MEMBER and not _agreed_to_terms(services, account):
            raise PageRedirect("/consent")
        return account

    return dependency


def _agreed_to_terms(services: Services, account: Account) -> bool:
    """Members use nothing before agreeing to the current required documents."""
    with services.uow() as uow:
        records = uow.consents.for_account(account.id)
    try:
        require_consents(records, services.documents)
    except ConsentRequired:
        return False
    return True


SignedIn = Annotated[Account, Depends(_signed_in)]
MemberPage = Annotated[Account, Depends(_with_role(Role.MEMBER))]
StaffPage = Annotated[Account, Depends(_with_role(Role.CLINICIAN, Role.ADMIN))]
AdminPage = Annotated[Account, Depends(_with_role(Role.ADMIN))]


# What a page says after a successful post/redirect/get (``?done=saved``).
NOTICES = {
    "saved": N_("Saved."),
    "deleted": N_("Deleted."),
    "sent": N_("Sent."),
    "created": N_("Created."),
    "updated": N_("Updated."),
    "acknowledged": N_("Alert acknowledged."),
    "noted": N_("Note added."),
    "assigned": N_("Assigned."),
    "ended": N_("Schedule ended."),
    "exercise_ended": N_("Exercise ended."),
    "consent": N_("Your choices are saved."),
    "checked_in": N_("Check-in saved. Thank you for taking a moment for yourself."),
    "reminders_saved": N_("Your check-in reminders are saved."),
    "submitted": N_("Thank you, your answers are saved."),
}


@dataclass(frozen=True, slots=True)
class Pages:
    """Renders templates with what every page needs: the catalog, the account, CSRF."""

    templates: Jinja2Templates

    def render(
        self,
        request: Request,
        name: str,
        *,
        account: Account | None = None,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        locale = visitor_locale(request, account)
        catalog = translations(locale)
        token = csrf_token(request)
        done = request.query_params.get("done", "")
        notice = catalog.gettext(NOTICES[done]) if done in NOTICES else None
        response = self.templates.TemplateResponse(
            request,
            name,
            {
                "_": catalog.gettext,
                "ngettext": catalog.ngettext,
                "locale": locale,
                "account": account,
                "csrf_field": CSRF_FIELD,
                "csrf_token": token,
                "path": request.url.path,
                "notice": notice,
                **context,
            },
            status_code=status_code,
        )
        set_csrf_cookie(response, token, secure=request.app.state.container.settings.secure_cookies)
        return response

    @staticmethod
    def gettext(request: Request, account: Account | None = None) -> Callable[[str], str]:
        return translations(visitor_locale(request, account)).gettext

    @staticmethod
    def csrf_ok(request: Request, submitted: str) -> bool:
        return csrf_valid(request, submitted)

    @staticmethod
    def expired_message(request: Request, account: Account | None = None) -> str:
        return Pages.gettext(request, account)(
            "This form has expired. We kept what you typed; please send it again."
        )

    @staticmethod
    def error_message(request: Request, exc: HavenError, account: Account | None = None) -> str:
        """A domain error in the person's language, with its parameters filled in."""
        return Pages.gettext(request, account)(exc.message).format(**exc.params)

    @staticmethod
    def done(location: str, notice: str | None = None) -> RedirectResponse:
        """Post/redirect/get, with a short notice code the next page turns into words."""
        if notice:
            location += ("&" if "?" in location else "?") + f"done={quote(notice)}"
        return RedirectResponse(location, status_code=303)


def moment_text(moment: datetime, locale: str) -> str:
    """A date and time as people read them ("26 Nov 2026, 20:15"), without seconds."""
    return (
        f"{format_date(moment, format='medium', locale=locale)}, "
        f"{format_time(moment, format='short', locale=locale)}"
    )


def field_errors(errors: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``[(field, message)]`` as a dict for templates; the first message per field wins."""
    out: dict[str, str] = {}
    for field, message in errors:
        out.setdefault(field, message)
    return out
