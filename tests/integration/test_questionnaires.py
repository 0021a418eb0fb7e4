"""Questionnaires through the API on SQLite and PostgreSQL: a clinician assigns, a member
answers, dangerous answers reach the care team, outcomes and FHIR come out right."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from tests.integration.conftest import Haven, Person

from haven.adapters.db.tables import assessments

PHQ9_ITEM9_POSITIVE = [1, 1, 1, 1, 1, 1, 1, 1, 1]


@pytest.fixture
def team(haven: Haven) -> tuple[Person, Person]:
    clinician = haven.staff("clinician")
    member = haven.member("Lucía")
    haven.assign(clinician, member)
    return clinician, member


def assign(haven: Haven, clinician: Person, member: Person, instrument: str = "phq9") -> Any:
    response = haven.client.post(
        f"/api/v1/members/{member.id}/schedules",
        json={"instrument": instrument, "every_days": 14},
        headers=clinician.auth,
    )
    assert response.status_code == 201, response.text
    return response.json()


def submit(haven: Haven, member: Person, instrument: str, answers: Any) -> Any:
    return haven.client.post(
        f"/api/v1/members/{member.id}/assessments",
        json={"instrument": instrument, "answers": answers},
        headers=member.auth,
    )


def stored(haven: Haven, member: Person) -> list[Any]:
    response = haven.client.get(f"/api/v1/members/{member.id}/assessments", headers=member.auth)
    assert response.status_code == 200
    return list(response.json())


def test_anyone_can_read_the_instruments_with_their_sources(haven: Haven) -> None:
    listing = haven.client.get("/api/v1/instruments").json()
    assert [i["id"] for i in listing] == [
        "audit", "cssrs", "gad2", "gad7", "pcl5", "phq2", "phq9", "who5"
    ]  # fmt: skip
    phq9 = haven.client.get("/api/v1/instruments/phq9").json()
    assert phq9["loinc_panel"] == "44249-1"
    assert phq9["loinc_total"] == "44261-6"
    assert "Kroenke" in phq9["citation"]
    assert [o["value"] for o in phq9["questions"][0]["options"]] == [0, 1, 2, 3]
    spanish = haven.client.get("/api/v1/instruments/gad7", headers={"Accept-Language": "es"}).json()
    assert spanish["questions"][0]["options"][0]["label"] == "Ningún día"
    missing = haven.client.get("/api/v1/instruments/phq10")
    assert missing.status_code == 404


def test_a_member_answers_an_assigned_phq9_and_item9_reaches_the_care_team(
    haven: Haven, team: tuple[Person, Person]
) -> None:
    clinician, member = team
    schedule = assign(haven, clinician, member)
    assert schedule["state"] == "due"
    due = haven.client.get(f"/api/v1/members/{member.id}/schedules", headers=member.auth)
    assert [s["instrument"] for s in due.json()] == ["phq9"]

    answered = submit(haven, member, "PHQ-9", PHQ9_ITEM9_POSITIVE)

    assert answered.status_code == 201, answered.text
    result = answered.json()
    assert (result["total"], result["severity"]["code"]) == (9, "mild")
    assert [f["code"] for f in result["flags"]] == ["suicidal_ideation"]
    queue = haven.client.get("/api/v1/alerts", headers=clinician.auth).json()
    assert len(queue) == 1
    assert queue[0]["level"] == "high"
    assert queue[0]["member_id"] == member.id
    assert queue[0]["source_id"] == result["id"]
    assert queue[0]["signals"][0]["code"] == "suicidal_ideation"
    next_due = haven.client.get(f"/api/v1/members/{member.id}/schedules", headers=member.auth)
    assert next_due.json()[0]["state"] == "upcoming"

    done = haven.client.post(f"/api/v1/alerts/{queue[0]['id']}/acknowledge", headers=clinician.auth)
    assert done.status_code == 200
    assert done.json()["acknowledged_by"] == clinician.id
    assert haven.client.get("/api/v1/alerts", headers=clinician.auth).json() == []
    again = haven.client.post(
        f"/api/v1/alerts/{queue[0]['id']}/acknowledge", headers=clinician.auth
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("instrument", "answers", "field"),
    [
        ("phq9", [1, 1, 1, 1, 1, 1, 1, 1], "phq9_9"),  # one answer short
        ("phq9", [1] * 10, "answers"),  # one too many
        ("phq9", [1, 1, 4, 1, 1, 1, 1, 1, 1], "phq9_3"),  # out of range
        ("phq9", {"phq9_1": 1}, "phq9_2"),  # missing items by id
        ("phq9", {**{f"phq9_{n}": 0 for n in range(1, 10)}, "phq9_10": 1}, "phq9_10"),
        ("phq9", [-1, 0, 0, 0, 0, 0, 0, 0, 0], "phq9_1"),
        ("phq10", [0] * 9, "instrument"),  # unknown instrument
        ("gad7", [0] * 7, "instrument"),  # not assigned to this member
    ],
)
def test_bad_answers_get_a_clear_4xx_naming_the_item_and_nothing_is_saved(
    haven: Haven, team: tuple[Person, Person], instrument: str, answers: Any, field: str
) -> None:
    clinician, member = team
    assign(haven, clinician, member)

    response = submit(haven, member, instrument, answers)

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert (
        field.split("_")[-1] in error["message"]
        or field in error["message"]
        or (field == "instrument")
    )
    assert stored(haven, member) == []
    assert haven.client.get("/api/v1/alerts", headers=clinician.auth).json() == []


def test_malformed_bodies_are_422_not_500(haven: Haven, team: tuple[Person, Person]) -> None:
    clinician, member = team
    assign(haven, clinician, member)
    for body in (
        {"instrument": "phq9", "answers": ["a"] * 9},
        {"instrument": "phq9"},
        {"instrument": "", "answers": [0] * 9},
        {"instrument": "phq9", "answers": [0] * 9, "extra": 1},
        [],
    ):
        response = haven.client.post(
            f"/api/v1/members/{member.id}/assessments", json=body, headers=member.auth
        )
        assert response.status_code == 422, (body, response.text)
    assert stored(haven, member) == []


def test_answers_are_stored_only_as_ciphertext(haven: Haven, team: tuple[Person, Person]) -> None:
    clinician, member = team
    assign(haven, clinician, member)
    assert submit(haven, member, "phq9", [3, 2, 1, 0, 3, 2, 1, 0, 0]).status_code == 201
    with haven.container.engine.connect() as connection:
        row = connection.execute(select(assessments)).one()
    assert b"phq9_1" not in row.answers_ct
    assert row.total == 12


def test_outcomes_show_reliable_recovery_for_the_member_and_the_caseload(
    haven: Haven, team: tuple[Person, Person]
) -> None:
    clinician, member = team
    assign(haven, clinician, member)
    assert submit(haven, member, "phq9", [3, 3, 2, 2, 2, 2, 2, 2, 0]).status_code == 201  # 18
    assert submit(haven, member, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0]).status_code == 201  # 8

    mine = haven.client.get(f"/api/v1/members/{member.id}/outcomes", headers=clinician.auth)
    [phq9] = mine.json()
    assert [p["total"] for p in phq9["trajectory"]] == [18, 8]
    assert phq9["outcome"]["change"] == -10
    assert phq9["outcome"]["category"] == "reliable_recovery"
    assert phq9["reliable_change"] == 6

    caseload = haven.client.get(
        "/api/v1/caseload/outcomes", params={"instrument": "phq9"}, headers=clinician.auth
    ).json()
    assert caseload["members"] == 1
    assert caseload["recovered_pct"] == 100.0
    assert caseload["reliably_improved_pct"] == 100.0
    as_member = haven.client.get("/api/v1/caseload/outcomes", headers=member.auth)
    assert as_member.status_code == 403


def test_the_fhir_bundle_validates_and_round_trips_into_another_record(
    haven: Haven, team: tuple[Person, Person]
) -> None:
    clinician, member = team
    assign(haven, clinician, member)
    assign(haven, clinician, member, "cssrs")
    assert submit(haven, member, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0]).status_code == 201
    assert submit(haven, member, "cssrs", [1, 0, 0]).status_code == 201

    exported = haven.client.get(f"/api/v1/members/{member.id}/fhir", headers=clinician.auth)

    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(exported.json())
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry or []]
    assert kinds.count("QuestionnaireResponse") == 2
    observations = [
        e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "Observation"
    ]
    phq9_total = next(o for o in observations if o.code.coding[0].code == "44261-6")
    assert phq9_total.valueInteger == 16
    assert phq9_total.derivedFrom[0].reference.startswith("QuestionnaireResponse/")

    other = haven.member("Ana")
    haven.assign(clinician, other)
    responses = [
        e["resource"] for e in exported.json()["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]  # fmt: skip
    url = f"/api/v1/members/{other.id}/fhir/QuestionnaireResponse"
    imported = [haven.client.post(url, json=r, headers=clinician.auth) for r in responses]
    assert [i.status_code for i in imported] == [201, 201]
    assert sorted((i.json()["instrument"], i.json()["total"]) for i in imported) == [
        ("cssrs", None),
        ("phq9", 16),
    ]
    assert {i.json()["source"] for i in imported} == {"fhir"}
    assert haven.client.post(url, json=responses[0], headers=clinician.auth).status_code == 409
    broken = haven.client.post(
        url, json={**responses[0], "resourceType": "Observation"}, headers=clinician.auth
    )
    assert broken.status_code == 422
    assert broken.json()["error"]["field"] == "resource"


def test_people_outside_the_care_team_see_nothing(
    haven: Haven, team: tuple[Person, Person]
) -> None:
    clinician, member = team
    assign(haven, clinician, member)
    assert submit(haven, member, "phq9", PHQ9_ITEM9_POSITIVE).status_code == 201
    stranger = haven.staff("clinician", "Dr Far")
    path = f"/api/v1/members/{member.id}/assessments"
    assert haven.client.get(path, headers=stranger.auth).status_code == 404
    assert haven.client.get("/api/v1/alerts", headers=stranger.auth).json() == []
    admin = haven.staff("admin", "Root")
    assert haven.client.get(path, headers=admin.auth).status_code == 403
    other_member = haven.member("Kim")
    assert haven.client.get(path, headers=other_member.auth).status_code == 404
    assign_attempt = haven.client.post(
        f"/api/v1/members/{member.id}/schedules",
        json={"instrument": "gad7", "every_days": 7},
        headers=member.auth,
    )
    assert assign_attempt.status_code == 403
