"""Browser sessions: HttpOnly SameSite cookies, CSRF on forms, idle log-off."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from tests.integration.conftest import PASSWORD, Haven


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, email: str) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/home"


def test_signing_in_sets_an_httponly_samesite_session_cookie(haven: Haven) -> None:
    member = haven.member("Iris")
    form = haven.client.get("/login")
    response = haven.client.post(
        "/login",
        data={"email": member.email, "password": PASSWORD, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("haven_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    home = haven.client.get("/home")
    assert "Iris" in home.text


def test_a_form_posted_without_its_csrf_token_is_refused_and_keeps_what_was_typed(
    haven: Haven,
) -> None:
    member = haven.member()
    haven.client.get("/login")
    response = haven.client.post(
        "/login", data={"email": member.email, "password": PASSWORD, "csrf_token": "forged" * 5}
    )
    assert response.status_code == 403
    assert "expired" in response.text
    assert f'value="{member.email}"' in response.text
    assert "haven_session" not in haven.client.cookies


def test_a_wrong_password_shows_a_clear_message_on_the_form(haven: Haven) -> None:
    member = haven.member()
    form = haven.client.get("/login")
    response = haven.client.post(
        "/login",
        data={"email": member.email, "password": "nope nope nope", "csrf_token": _csrf(form.text)},
    )
    assert response.status_code == 401
    assert "Incorrect e-mail address or password." in response.text
    assert 'role="alert"' in response.text


def test_idle_sessions_are_signed_out(haven: Haven) -> None:
    member = haven.member()
    _sign_in(haven.client, member.email)
    home = haven.client.get("/home", follow_redirects=False)
    assert home.status_code == 303
    assert home.headers["location"] == "/today"

    real_now = haven.container.clock.now
    later = real_now() + timedelta(minutes=haven.container.settings.idle_logoff_minutes + 1)
    haven.container.clock.now = lambda: later  # type: ignore[method-assign]
    try:
        response = haven.client.get("/home", follow_redirects=False)
    finally:
        haven.container.clock.now = real_now  # type: ignore[method-assign]
    assert response.status_code == 303
    assert response.headers["location"] == "/login?ended=true&next=%2Fhome"
    notice = haven.client.get("/login?ended=true")
    assert "without activity" in notice.text


def test_signing_out_ends_the_session(haven: Haven) -> None:
    member = haven.member()
    _sign_in(haven.client, member.email)
    home = haven.client.get("/home")
    haven.client.post("/logout", data={"csrf_token": _csrf(home.text)})
    assert haven.client.get("/home", follow_redirects=False).status_code == 303


def test_every_response_carries_the_security_headers(haven: Haven) -> None:
    for path in ("/", "/login", "/api/v1/openapi.json", "/healthz", "/api/v1/nowhere"):
        headers = haven.client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "http" not in csp  # no third-party origin anywhere in the policy
        assert "strict-transport-security" not in headers  # plain HTTP here


def test_hsts_is_sent_over_https(haven: Haven) -> None:
    secure = TestClient(haven.client.app, base_url="https://testserver")
    assert "max-age" in secure.get("/healthz").headers["strict-transport-security"]


def test_a_member_who_has_not_accepted_the_terms_is_asked_first_and_then_let_in(
    haven: Haven,
) -> None:
    member = haven.member("Noor", consent=False, share=False)
    _sign_in(haven.client, member.email)
    today = haven.client.get("/today", follow_redirects=False)
    assert today.status_code == 303
    assert today.headers["location"] == "/consent"
    form = haven.client.get("/consent")
    refused = haven.client.post("/consent", data={"csrf_token": _csrf(form.text)})
    assert refused.status_code == 400
    assert "accept the terms" in refused.text
    accepted = haven.client.post(
        "/consent",
        data={"csrf_token": _csrf(form.text), "terms_of_use": "yes"},
        follow_redirects=False,
    )
    assert accepted.headers["location"].startswith("/today")
    assert haven.client.get("/today", follow_redirects=False).status_code == 200
