"""The clinician's pages answer bad input and the wrong reader with a page and a 4xx that says
why, never a server error, and write nothing they should not."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from tests.integration.conftest import PASSWORD, Haven, Person


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, person: Person) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": person.email, "password": PASSWORD, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _clinician_with_member(haven: Haven) -> tuple[Person, Person]:
    clinician = haven.staff("clinician")
    member = haven.member("Noor")
    haven.assign(clinician, member)
    _sign_in(haven.client, clinician)
    return clinician, member


def test_a_mistyped_member_or_alert_id_is_not_found(haven: Haven) -> None:
    _clinician_with_member(haven)
    for path in ("/clinic/members/not-an-id", "/clinic/alerts/123", "/clinic/members/x/fhir"):
        response = haven.client.get(path)
        assert response.status_code == 404, path
        assert "No " in response.text


def test_a_member_outside_the_care_team_is_not_found(haven: Haven) -> None:
    _clinician_with_member(haven)
    stranger = haven.member("Stranger")
    response = haven.client.get(f"/clinic/members/{stranger.id}")
    assert response.status_code == 404
    assert "No member with that id is visible to you." in response.text


def test_a_member_who_does_not_share_is_explained_not_shown(haven: Haven) -> None:
    clinician = haven.staff("clinician")
    private = haven.member("Private", share=False)
    haven.assign(clinician, private)
    _sign_in(haven.client, clinician)
    caseload = haven.client.get("/clinic")
    assert "does not share records" in caseload.text
    response = haven.client.get(f"/clinic/members/{private.id}")
    assert response.status_code == 403
    assert "has not consented to share" in response.text


def test_an_administrator_is_told_clinical_pages_are_not_theirs(haven: Haven) -> None:
    admin = haven.staff("admin")
    _sign_in(haven.client, admin)
    response = haven.client.get("/clinic/alerts")
    assert response.status_code == 403
    assert "role: clinician" in response.text


def test_a_bad_cadence_is_explained_and_kept(haven: Haven) -> None:
    _, member = _clinician_with_member(haven)
    page = haven.client.get(f"/clinic/members/{member.id}")
    response = haven.client.post(
        f"/clinic/members/{member.id}/schedules",
        data={"instrument": "gad7", "every_days": "soon", "csrf_token": _csrf(page.text)},
    )
    assert response.status_code == 400
    assert "whole number of days from 1 to 365" in response.text
    assert 'value="soon"' in response.text


def test_an_unknown_questionnaire_is_explained(haven: Haven) -> None:
    _, member = _clinician_with_member(haven)
    page = haven.client.get(f"/clinic/members/{member.id}")
    response = haven.client.post(
        f"/clinic/members/{member.id}/schedules",
        data={"instrument": "phq99", "every_days": "14", "csrf_token": _csrf(page.text)},
    )
    assert response.status_code == 400
    assert "There is no instrument called phq99" in response.text


def test_a_note_without_a_valid_form_token_is_kept_but_not_saved(haven: Haven) -> None:
    _, member = _clinician_with_member(haven)
    response = haven.client.post(
        f"/clinic/members/{member.id}/notes",
        data={"body": "Spoke on the phone.", "csrf_token": "forged"},
    )
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert "Spoke on the phone.</textarea>" in response.text
    assert "No notes yet." in response.text


def test_ending_a_schedule_that_is_not_there_is_not_found(haven: Haven) -> None:
    _, member = _clinician_with_member(haven)
    page = haven.client.get(f"/clinic/members/{member.id}")
    response = haven.client.post(
        f"/clinic/members/{member.id}/schedules/{uuid.uuid4()}/end",
        data={"csrf_token": _csrf(page.text)},
    )
    assert response.status_code == 404
    assert "No active schedule with that id." in response.text
