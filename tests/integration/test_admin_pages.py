"""The admin pages over HTTP with a real database: bad input is answered with 4xx and a clear
message (never a 500), what was typed is kept, and a tampered audit trail is reported."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.integration.conftest import PASSWORD, Haven, Person

from haven.adapters.db.tables import audit_log


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _signed_in_admin(haven: Haven) -> tuple[TestClient, Person]:
    admin = haven.staff("admin", "Ada")
    form = haven.client.get("/login")
    response = haven.client.post(
        "/login",
        data={"email": admin.email, "password": PASSWORD, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return haven.client, admin


def _create(client: TestClient, **fields: str) -> tuple[int, str]:
    token = _csrf(client.get("/admin").text)
    data = {
        "role": "clinician",
        "email": "dr.lee@example.org",
        "display_name": "Dr Lee",
        "password": PASSWORD,
        "csrf_token": token,
        **fields,
    }
    response = client.post("/admin/accounts", data=data)
    return response.status_code, response.text


def test_a_staff_account_with_a_taken_address_is_refused_with_the_input_kept(
    haven: Haven,
) -> None:
    client, admin = _signed_in_admin(haven)

    status, page = _create(client, email=admin.email, display_name="Second Ada")

    assert status == 400
    assert "already exists" in page
    assert f'value="{admin.email}"' in page
    assert 'value="Second Ada"' in page


def test_only_clinician_and_admin_accounts_are_made_here(haven: Haven) -> None:
    client, _ = _signed_in_admin(haven)

    status, page = _create(client, role="member")
    assert status == 400
    assert "Choose clinician or admin." in page

    status, page = _create(client, role="<script>", password="short")
    assert status == 400
    assert "at least 10 characters" in page
    assert "<script>" not in page


def test_a_form_without_its_csrf_token_is_refused_and_keeps_the_input(haven: Haven) -> None:
    client, _ = _signed_in_admin(haven)

    status, page = _create(client, csrf_token="forged" * 5)

    assert status == 403
    assert "expired" in page
    assert 'value="dr.lee@example.org"' in page


def test_care_team_forms_with_wrong_ids_say_what_is_wrong(haven: Haven) -> None:
    client, admin = _signed_in_admin(haven)
    member = haven.member("Iris")
    token = _csrf(client.get("/admin/care-teams").text)

    garbled = client.post(
        "/admin/care-teams",
        data={"clinician_id": "nope", "member_id": member.id, "csrf_token": token},
    )
    assert garbled.status_code == 400
    assert "Choose a clinician and a member." in garbled.text

    not_a_clinician = client.post(
        "/admin/care-teams",
        data={"clinician_id": admin.id, "member_id": member.id, "csrf_token": token},
    )
    assert not_a_clinician.status_code == 400
    assert "No clinician account has that id." in not_a_clinician.text

    clinician = haven.staff("clinician")
    not_assigned = client.post(
        "/admin/care-teams/unassign",
        data={"clinician_id": clinician.id, "member_id": member.id, "csrf_token": token},
    )
    assert not_assigned.status_code == 404
    assert "not assigned" in not_assigned.text


def test_assigning_and_unassigning_show_on_the_care_teams_page(haven: Haven) -> None:
    client, _ = _signed_in_admin(haven)
    member, clinician = haven.member("Iris"), haven.staff("clinician", "Dr Lee")
    token = _csrf(client.get("/admin/care-teams").text)
    ids = {"clinician_id": clinician.id, "member_id": member.id, "csrf_token": token}

    assigned = client.post("/admin/care-teams", data=ids)
    assert assigned.status_code == 200
    assert "Assigned." in assigned.text
    assert "Remove Iris from the care team of Dr Lee" in assigned.text

    removed = client.post("/admin/care-teams/unassign", data=ids)
    assert "Remove Iris from the care team of Dr Lee" not in removed.text


def test_the_audit_trail_pages_newest_first_and_refuses_pages_that_do_not_exist(
    haven: Haven,
) -> None:
    client, _ = _signed_in_admin(haven)
    for _ in range(60):
        client.get("/admin")  # each view is audited: enough entries for two pages

    first = client.get("/admin/audit")
    assert first.status_code == 200
    assert re.search(r"The audit trail is intact: \d+ entries verified", first.text)
    seqs = [int(s) for s in re.findall(r"<tr>\s*<td>(\d+)</td>", first.text)]
    assert len(seqs) == 50
    assert seqs == sorted(seqs, reverse=True)
    older_link = re.search(r'href="(/admin/audit\?page=2&amp;upto=\d+)"', first.text)
    assert older_link
    second = client.get(older_link.group(1).replace("&amp;", "&"))
    older = [int(s) for s in re.findall(r"<tr>\s*<td>(\d+)</td>", second.text)]
    assert older[0] == seqs[-1] - 1  # no entry shown twice, though reading page 1 added one

    assert client.get("/admin/audit?page=abc").status_code == 400
    missing = client.get("/admin/audit?page=9999")
    assert missing.status_code == 404
    assert "There is no page 9999" in missing.text


def test_an_edited_audit_entry_is_reported_at_the_top_of_the_page(haven: Haven) -> None:
    client, _ = _signed_in_admin(haven)
    with haven.container.engine.begin() as connection:
        connection.execute(update(audit_log).where(audit_log.c.seq == 2).values(action="x.y"))

    page = client.get("/admin/audit")

    assert page.status_code == 200
    assert "The audit trail is broken at entry 2." in page.text
    assert "entry 2 was edited" in page.text
    assert "is intact" not in page.text


def test_members_and_clinicians_cannot_open_the_admin_pages(haven: Haven) -> None:
    clinician = haven.staff("clinician")
    form = haven.client.get("/login")
    haven.client.post(
        "/login",
        data={"email": clinician.email, "password": PASSWORD, "csrf_token": _csrf(form.text)},
    )

    for path in ("/admin", "/admin/care-teams", "/admin/audit"):
        assert haven.client.get(path).status_code == 403
    token = _csrf(haven.client.get("/admin").text)
    refused = haven.client.post(
        "/admin/accounts",
        data={"role": "admin", "email": "me@example.org", "display_name": "Me",
              "password": PASSWORD, "csrf_token": token},
    )  # fmt: skip
    assert refused.status_code == 403
