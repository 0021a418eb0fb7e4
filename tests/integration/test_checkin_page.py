"""The /checkin page over HTTP: post/redirect/get, and every bad input answered with a 400,
a message naming the field, and what the member typed kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.integration.conftest import PASSWORD, Haven

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _signed_in_member(haven: Haven, name: str = "Mia") -> str:
    member = haven.member(name)
    form = haven.client.get("/login")
    response = haven.client.post(
        "/login",
        data={"email": member.email, "password": PASSWORD, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return _csrf(haven.client.get("/checkin").text)


def _post(haven: Haven, token: str, **fields: Any) -> Any:
    return haven.client.post(
        "/checkin", data={"csrf_token": token, **fields}, follow_redirects=False
    )


def test_a_check_in_redirects_with_a_notice_and_shows_in_the_week(haven: Haven) -> None:
    token = _signed_in_member(haven)

    saved = _post(haven, token, rating="7", tags=["calm", "grateful"], note="Tea with Jo.")

    assert saved.status_code == 303
    assert saved.headers["location"] == "/checkin?done=checked_in"
    page = haven.client.get(saved.headers["location"])
    assert "Check-in saved." in page.text
    assert "7 out of 10" in page.text
    assert "Tea with Jo." in page.text
    assert "Grateful" in page.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose how you feel, from 0 to 10."),
        ({"rating": "11"}, "Choose a number from 0 to 10."),
        ({"rating": "ten"}, "Choose how you feel, from 0 to 10."),
        ({"rating": "4", "tags": ["hungry"]}, "Choose feelings from the list."),
        ({"rating": "4", "note": "x" * 20_001}, "longer than 20000 characters"),
    ],
)
def test_bad_input_is_a_400_with_the_message_and_the_typed_values_kept(
    haven: Haven, fields: dict[str, Any], message: str
) -> None:
    token = _signed_in_member(haven)

    response = _post(haven, token, **({"tags": ["calm"], "note": "Kept words"} | fields))

    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text
    if "note" not in fields:
        assert ">Kept words</textarea>" in response.text
    if "tags" not in fields:
        assert 'value="calm" checked' in response.text
    if fields.get("rating") == "4":
        assert 'value="4" checked' in response.text


def test_a_forged_form_is_refused_and_keeps_what_was_typed(haven: Haven) -> None:
    _signed_in_member(haven)

    response = _post(haven, "forged" * 5, rating="5", note="Still here")

    assert response.status_code == 403
    assert "expired" in response.text
    assert ">Still here</textarea>" in response.text


def test_a_risky_note_shows_the_crisis_lines_after_saving(haven: Haven) -> None:
    token = _signed_in_member(haven)

    saved = _post(haven, token, rating="0", note="I want to kill myself tonight")

    assert saved.status_code == 303
    page = haven.client.get(saved.headers["location"], headers={"Accept-Language": "en-GB"})
    assert 'class="resources"' in page.text
    assert 'href="/help"' in page.text
    assert 'href="/safety-plan"' in page.text


def test_the_page_is_for_signed_in_members(haven: Haven) -> None:
    response = haven.client.get("/checkin", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_member_chooses_reminder_days_and_hour_and_sees_them_kept(haven: Haven) -> None:
    token = _signed_in_member(haven, "Rae")
    saved = haven.client.post(
        "/checkin/reminders",
        data={"csrf_token": token, "days": ["mon", "fri"], "hour": "8", "zone": "Europe/Madrid"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = haven.client.get(saved.headers["location"])
    assert "Your check-in reminders are saved." in page.text
    assert 'id="day-mon" name="days" value="mon" checked' in page.text
    assert 'id="day-tue" name="days" value="tue">' in page.text
    assert '<option value="8" selected>08:00</option>' in page.text
    assert 'value="Europe/Madrid"' in page.text


def test_an_unknown_time_zone_is_refused_naming_it_and_keeping_the_choice(haven: Haven) -> None:
    token = _signed_in_member(haven, "Kai")
    refused = haven.client.post(
        "/checkin/reminders",
        data={"csrf_token": token, "days": ["sun"], "hour": "20", "zone": "Mars/Olympus"},
    )
    assert refused.status_code == 400
    assert "Give a time zone by its name" in refused.text
    assert 'id="day-sun" name="days" value="sun" checked' in refused.text
