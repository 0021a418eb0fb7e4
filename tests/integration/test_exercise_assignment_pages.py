"""A clinician assigns exercises from the member's timeline: bad input and the wrong reader get
a page and a 4xx that says why, keep what was typed, and store nothing; a good assignment
reaches the member's Today with the note, stored only as ciphertext."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.integration.conftest import PASSWORD, Haven, Person

from haven.domain.exercises import MAX_NOTE_FOR_MEMBER_LENGTH


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


def _stored(haven: Haven) -> int:
    with haven.container.engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM exercise_assignments")).scalar()
    return int(count or 0)


def _timeline_of_my_member(haven: Haven, *, share: bool = True) -> tuple[Person, str]:
    clinician = haven.staff("clinician")
    member = haven.member("Noor", share=share)
    haven.assign(clinician, member)
    _sign_in(haven.client, clinician)
    return member, _csrf(haven.client.get("/login").text)


def _assign(haven: Haven, member: Person, token: str, **fields: str) -> Any:
    return haven.client.post(
        f"/clinic/members/{member.id}/exercises",
        data={"flow_id": "thought_record", "note_for_member": "", "csrf_token": token, **fields},
        follow_redirects=False,
    )


def test_an_assigned_exercise_reaches_the_members_today_with_the_note_encrypted(
    haven: Haven,
) -> None:
    member, token = _timeline_of_my_member(haven)
    marker = f"Try it after work {uuid.uuid4().hex}"
    response = _assign(haven, member, token, note_for_member=marker)
    assert response.status_code == 303
    assert response.headers["location"].endswith("?done=assigned")
    _assign(haven, member, token, flow_id="learn_sleep")

    timeline = haven.client.get(f"/clinic/members/{member.id}").text
    assert "Thought record" in timeline
    assert marker in timeline
    with haven.container.engine.connect() as connection:
        blobs = connection.execute(text("SELECT note_ct FROM exercise_assignments")).scalars()
        assert all(marker.encode() not in bytes(blob) for blob in blobs if blob is not None)

    with TestClient(haven.client.app) as members_browser:
        _sign_in(members_browser, member)
        today = members_browser.get("/today").text
        tools = members_browser.get("/tools").text
    assert "Suggested by your care team" in today
    assert marker in today
    assert 'href="/tools/thought-record"' in today
    assert 'href="/chat?start=thought_record"' in today
    # Suggested ones come first on Tools, even a reading that otherwise comes last.
    assert tools.index("Sleeping better") < tools.index("Paced breathing")
    assert tools.count("Suggested by your care team") == 2
    assert marker in tools


def test_an_unknown_exercise_is_explained_and_the_note_kept(haven: Haven) -> None:
    member, token = _timeline_of_my_member(haven)
    response = _assign(haven, member, token, flow_id="hypnosis", note_for_member="Daily")
    assert response.status_code == 400
    assert "Choose one of the exercises in the list." in response.text
    assert "Daily</textarea>" in response.text
    assert _stored(haven) == 0


def test_an_overlong_note_is_explained_and_kept(haven: Haven) -> None:
    member, token = _timeline_of_my_member(haven)
    note = "Breathe slowly. " * 40
    assert len(note) > MAX_NOTE_FOR_MEMBER_LENGTH
    response = _assign(haven, member, token, flow_id="breathing", note_for_member=note)
    assert response.status_code == 400
    page = response.text
    assert "Keep the note to the member under 500 characters." in page
    assert f"{note}</textarea>" in page
    assert '<option value="breathing" selected>' in page
    assert _stored(haven) == 0


def test_a_forged_form_is_refused_and_the_note_kept(haven: Haven) -> None:
    member, _ = _timeline_of_my_member(haven)
    response = _assign(haven, member, "forged", note_for_member="Kept for you")
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert "Kept for you</textarea>" in response.text
    assert _stored(haven) == 0


def test_a_member_outside_the_care_team_or_not_sharing_gets_nothing(haven: Haven) -> None:
    _, token = _timeline_of_my_member(haven)
    stranger = haven.member("Stranger")
    response = _assign(haven, stranger, token)
    assert response.status_code == 404
    assert "No member with that id is visible to you." in response.text
    # Bad input about someone else's member still says only "not found".
    assert _assign(haven, stranger, token, flow_id="nope").status_code == 404

    private, token = _timeline_of_my_member(haven, share=False)
    response = _assign(haven, private, token)
    assert response.status_code == 403
    assert "has not consented to share" in response.text
    assert _stored(haven) == 0


def test_ending_an_exercise_takes_it_off_and_a_second_end_is_not_found(haven: Haven) -> None:
    member, token = _timeline_of_my_member(haven)
    _assign(haven, member, token, flow_id="gratitude")
    timeline = haven.client.get(f"/clinic/members/{member.id}").text
    match = re.search(rf"/clinic/members/{member.id}/exercises/([0-9a-f-]+)/end", timeline)
    assert match
    end = f"/clinic/members/{member.id}/exercises/{match.group(1)}/end"

    ended = haven.client.post(end, data={"csrf_token": token}, follow_redirects=False)
    assert ended.status_code == 303
    assert ended.headers["location"].endswith("?done=exercise_ended")
    after = haven.client.get(f"/clinic/members/{member.id}?done=exercise_ended").text
    assert "Exercise ended." in after
    assert "No exercises assigned." in after

    again = haven.client.post(end, data={"csrf_token": token})
    assert again.status_code == 404
    assert "No current exercise with that id." in again.text
    mistyped = haven.client.post(
        f"/clinic/members/{member.id}/exercises/not-an-id/end", data={"csrf_token": token}
    )
    assert mistyped.status_code == 404
