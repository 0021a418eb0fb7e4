"""The language of each request: the signed-in person's profile setting, else the browser's
``Accept-Language``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from haven.i18n import negotiate_locale, translations

__all__ = ["request_locale", "translate"]


def request_locale(request: Request) -> str:
    locale = getattr(request.state, "locale", None)
    if isinstance(locale, str):
        return locale
    return negotiate_locale(request.headers.get("accept-language"))


def translate(request: Request, message: str, /, **params: Any) -> str:
    text = translations(request_locale(request)).gettext(message)
    return text.format(**params) if params else text
