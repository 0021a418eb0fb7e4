"""Who sees what, through the API as a person would use it."""

from __future__ import annotations

from tests.integration.conftest import Haven


def test_member_gets_404_for_another_members_journal(haven: Haven) -> None:
    alice, bob = haven.member("Alice"), haven.member("Bob")
    written = haven.client.post(
        f"/api/v1/members/{bob.id}/journal", json={"body": "private"}, headers=bob.auth
    )
    assert written.status_code == 201
    entry_id = written.json()["id"]

    listing = haven.client.get(f"/api/v1/members/{bob.id}/journal", headers=alice.auth)
    single = haven.client.get(f"/api/v1/members/{bob.id}/journal/{entry_id}", headers=alice.auth)
    assert listing.status_code == 404
    assert single.status_code == 404
    assert "private" not in listing.text + single.text
    assert listing.json()["error"]["code"] == "not_found"


def test_clinician_sees_only_members_in_their_care_team(haven: Haven) -> None:
    mine, other = haven.member("Mine"), haven.member("Other")
    clinician = haven.staff("clinician")
    haven.assign(clinician, mine)
    haven.client.post(f"/api/v1/members/{mine.id}/journal", json={"body": "hi"}, headers=mine.auth)

    ok = haven.client.get(f"/api/v1/members/{mine.id}/journal", headers=clinician.auth)
    hidden = haven.client.get(f"/api/v1/members/{other.id}/journal", headers=clinician.auth)
    caseload = haven.client.get("/api/v1/caseload", headers=clinician.auth)

    assert ok.status_code == 200
    assert [e["body"] for e in ok.json()] == ["hi"]
    assert hidden.status_code == 404
    assert [m["id"] for m in caseload.json()] == [mine.id]


def test_clinician_is_refused_when_the_member_stops_sharing(haven: Haven) -> None:
    member = haven.member("Maya")
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    assert (
        haven.client.get(f"/api/v1/members/{member.id}", headers=clinician.auth).status_code == 200
    )

    withdrawn = haven.client.delete("/api/v1/me/consents/care_team_sharing", headers=member.auth)
    after = haven.client.get(f"/api/v1/members/{member.id}/journal", headers=clinician.auth)

    assert withdrawn.status_code == 204
    assert after.status_code == 403
    assert "consented" in after.json()["error"]["message"]


def test_admin_manages_accounts_but_cannot_read_clinical_content(haven: Haven) -> None:
    member = haven.member("Noa")
    admin = haven.staff("admin", "Ada")
    haven.client.post(
        f"/api/v1/members/{member.id}/journal", json={"body": "x"}, headers=member.auth
    )

    accounts = haven.client.get("/api/v1/admin/accounts", headers=admin.auth)
    journal = haven.client.get(f"/api/v1/members/{member.id}/journal", headers=admin.auth)
    profile = haven.client.get(f"/api/v1/members/{member.id}", headers=admin.auth)

    assert accounts.status_code == 200
    assert member.email in {a["email"] for a in accounts.json()}
    assert journal.status_code == 403
    assert profile.status_code == 403
    assert "cannot read clinical content" in journal.json()["error"]["message"]


def test_members_and_clinicians_cannot_use_admin_endpoints(haven: Haven) -> None:
    member, clinician = haven.member(), haven.staff("clinician")
    for person in (member, clinician):
        response = haven.client.get("/api/v1/admin/accounts", headers=person.auth)
        assert response.status_code == 403


def test_member_must_accept_the_terms_before_using_anything(haven: Haven) -> None:
    member = haven.member("New", consent=False, share=False)
    refused = haven.client.post(
        f"/api/v1/members/{member.id}/journal", json={"body": "hello"}, headers=member.auth
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["missing"] == ["terms_of_use"]

    haven.client.put("/api/v1/me/consents/terms_of_use", json={"version": 1}, headers=member.auth)
    accepted = haven.client.post(
        f"/api/v1/members/{member.id}/journal", json={"body": "hello"}, headers=member.auth
    )
    assert accepted.status_code == 201


def test_consent_to_an_old_version_is_refused_with_the_current_one_named(haven: Haven) -> None:
    member = haven.member("Old", consent=False, share=False)
    response = haven.client.put(
        "/api/v1/me/consents/terms_of_use", json={"version": 7}, headers=member.auth
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "version"
    assert "version 1" in response.json()["error"]["message"]
