"""The safety plan through the API on SQLite and PostgreSQL: the member writes it in their own
words, it is stored encrypted, and their care team reads it only with consent."""

from __future__ import annotations

from sqlalchemy import select
from tests.integration.conftest import Haven

from haven.adapters.db.tables import safety_plans

PLAN = {
    "warning_signs": ["No duermo y dejo de contestar mensajes", "  "],
    "coping_strategies": ["Salir a caminar con el perro", "Ducha caliente"],
    "people_to_ask": ["Mi hermana Ana"],
    "professionals": ["Dra. Ruiz, centro de salud"],
    "safe_environment": ["Dejar las pastillas en casa de Ana"],
    "reasons_for_living": ["Mi sobrina"],
}


def test_a_member_writes_their_plan_and_their_care_team_reads_it(haven: Haven) -> None:
    clinician, member = haven.staff("clinician"), haven.member("Lucía")
    haven.assign(clinician, member)
    path = f"/api/v1/members/{member.id}/safety-plan"

    blank = haven.client.get(path, headers=member.auth).json()
    saved = haven.client.put(path, json={"steps": PLAN}, headers=member.auth)

    assert all(entries == [] for entries in blank["steps"].values())
    assert saved.status_code == 200, saved.text
    seen = haven.client.get(path, headers=clinician.auth).json()["steps"]
    assert seen["warning_signs"] == ["No duermo y dejo de contestar mensajes"]
    assert seen["people_to_ask"] == ["Mi hermana Ana"]
    assert seen["distractions"] == []
    assert list(seen) == [
        "warning_signs", "coping_strategies", "distractions", "people_to_ask",
        "professionals", "safe_environment", "reasons_for_living",
    ]  # fmt: skip
    with haven.container.engine.connect() as connection:
        row = connection.execute(select(safety_plans)).one()
    assert b"Ana" not in row.plan_ct


def test_only_the_member_edits_and_only_a_sharing_care_team_reads(haven: Haven) -> None:
    clinician, member = haven.staff("clinician"), haven.member("Sam", share=False)
    haven.assign(clinician, member)
    path = f"/api/v1/members/{member.id}/safety-plan"
    assert haven.client.put(path, json={"steps": PLAN}, headers=member.auth).status_code == 200

    assert haven.client.get(path, headers=clinician.auth).status_code == 403
    assert haven.client.put(path, json={"steps": {}}, headers=clinician.auth).status_code == 403
    stranger = haven.member("Kim")
    assert haven.client.get(path, headers=stranger.auth).status_code == 404


def test_bad_plans_get_a_clear_422_and_the_saved_plan_is_kept(haven: Haven) -> None:
    member = haven.member("Sam")
    path = f"/api/v1/members/{member.id}/safety-plan"
    assert haven.client.put(path, json={"steps": PLAN}, headers=member.auth).status_code == 200

    for bad in (
        {"steps": {"wishes": ["x"]}},
        {"steps": {"warning_signs": ["x" * 501]}},
        {"steps": {"warning_signs": [f"sign {n}" for n in range(21)]}},
        {"steps": {"warning_signs": "not a list"}},
        {"plan": {}},
    ):
        response = haven.client.put(path, json=bad, headers=member.auth)
        assert response.status_code == 422, (bad, response.text)

    kept = haven.client.get(path, headers=member.auth).json()["steps"]
    assert kept["reasons_for_living"] == ["Mi sobrina"]


def test_the_plan_is_in_the_members_download_and_gone_with_their_account(haven: Haven) -> None:
    member = haven.member("Sam")
    path = f"/api/v1/members/{member.id}/safety-plan"
    assert haven.client.put(path, json={"steps": PLAN}, headers=member.auth).status_code == 200

    exported = haven.client.get("/api/v1/me/export", headers=member.auth).json()
    assert exported["safety_plan"]["steps"]["people_to_ask"] == ["Mi hermana Ana"]

    deleted = haven.client.request(
        "DELETE", "/api/v1/me", json={"password": "correct horse battery"}, headers=member.auth
    )
    assert deleted.status_code == 204
    with haven.container.engine.connect() as connection:
        assert connection.execute(select(safety_plans)).all() == []
