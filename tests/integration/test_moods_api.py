"""Mood check-ins over the API, on SQLite and PostgreSQL: check in, read back, the daily
series, who may see them, and a clear 4xx naming the field for every bad input."""

from __future__ import annotations

from typing import Any

import pytest
from tests.integration.conftest import Haven, Person


def _check_in(haven: Haven, member: Person, **body: Any) -> Any:
    return haven.client.post(
        f"/api/v1/members/{member.id}/mood-checkins", json=body, headers=member.auth
    )


def test_a_member_checks_in_and_reads_the_list_and_the_series(haven: Haven) -> None:
    member = haven.member("Noa")

    saved = _check_in(haven, member, rating=6, tags=["tiredness", "calm"], note="Long day.")
    _check_in(haven, member, rating=3)

    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert body | {"rating": 6, "tags": ["calm", "tiredness"], "note": "Long day."} == body
    assert body["alert_id"] is None
    assert body["crisis_resources"] is None
    listing = haven.client.get(f"/api/v1/members/{member.id}/mood-checkins", headers=member.auth)
    assert listing.status_code == 200
    assert [(c["rating"], c["note"]) for c in listing.json()] == [(6, "Long day."), (3, None)]
    series = haven.client.get(f"/api/v1/members/{member.id}/mood-series", headers=member.auth)
    assert series.status_code == 200
    [day] = series.json()
    assert (day["mean"], day["count"]) == (4.5, 2)


def test_since_must_be_a_time_with_its_zone(haven: Haven) -> None:
    member = haven.member()
    _check_in(haven, member, rating=5)
    url = f"/api/v1/members/{member.id}/mood-checkins"

    future = haven.client.get(url, params={"since": "2999-01-01T00:00:00Z"}, headers=member.auth)
    naive = haven.client.get(url, params={"since": "2026-01-01T00:00:00"}, headers=member.auth)

    assert future.status_code == 200
    assert future.json() == []
    assert naive.status_code == 422
    assert naive.json()["error"]["problems"][0]["field"] == "since"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "rating"),
        ({"rating": 11}, "rating"),
        ({"rating": -1}, "rating"),
        ({"rating": "lots"}, "rating"),
        ({"rating": 5, "tags": ["hungry"]}, "tags"),
        ({"rating": 5, "note": "x" * 20_001}, "note"),
        ({"rating": 5, "note": "nul \x00"}, "note"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    haven: Haven, body: dict[str, Any], field: str
) -> None:
    member = haven.member()

    response = _check_in(haven, member, **body)

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    named = error.get("field") or error["problems"][0]["field"]
    assert named == field
    assert error["message"]


def test_a_risky_note_alerts_the_care_team_and_returns_crisis_lines(haven: Haven) -> None:
    member = haven.member("Río")
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)

    saved = _check_in(haven, member, rating=0, note="I want to kill myself tonight", country="GB")

    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert body["alert_id"]
    assert body["crisis_resources"]["country"] == "GB"
    alert = haven.client.get(f"/api/v1/alerts/{body['alert_id']}", headers=clinician.auth)
    assert alert.status_code == 200, alert.text
    assert alert.json()["source"] == "mood_checkin"


def test_the_care_team_reads_check_ins_only_while_the_member_shares(haven: Haven) -> None:
    sharing, private = haven.member("Ana"), haven.member("Leo", share=False)
    clinician, stranger = haven.staff("clinician"), haven.staff("clinician", "Dr Other")
    for member in (sharing, private):
        haven.assign(clinician, member)
        _check_in(haven, member, rating=7)

    def read(person: Person, member: Person) -> int:
        return haven.client.get(
            f"/api/v1/members/{member.id}/mood-checkins", headers=person.auth
        ).status_code

    assert read(clinician, sharing) == 200
    assert read(clinician, private) in {403, 404}
    assert read(stranger, sharing) in {403, 404}
    assert read(private, sharing) in {403, 404}
    wrote = haven.client.post(
        f"/api/v1/members/{sharing.id}/mood-checkins", json={"rating": 5}, headers=clinician.auth
    )
    assert wrote.status_code == 403
