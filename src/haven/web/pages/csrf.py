"""CSRF protection for forms: a double-submit token (OWASP CSRF Prevention Cheat Sheet).

A random token lives in an HttpOnly, SameSite=Strict cookie and in a hidden field of every
form; a POST whose two copies differ is refused. Another site can make the browser send
the cookie, but cannot read it to fill in the field.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["CSRF_COOKIE", "csrf_token", "csrf_valid", "set_csrf_cookie"]

CSRF_COOKIE = "haven_csrf"
CSRF_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The token for this browser: its existing cookie, or a fresh one to set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    return secrets.token_urlsafe(32)


def set_csrf_cookie(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
    )


def csrf_valid(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())
