"""Signing in, tokens, revocation and lock-out."""

from __future__ import annotations

from tests.integration.conftest import PASSWORD, Haven


def test_a_revoked_token_stops_working_at_once(haven: Haven) -> None:
    member = haven.member()
    assert haven.client.get("/api/v1/me", headers=member.auth).status_code == 200

    revoked = haven.client.delete("/api/v1/auth/token", headers=member.auth)
    after = haven.client.get("/api/v1/me", headers=member.auth)

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert after.headers["www-authenticate"] == "Bearer"


def test_revocation_endpoint_revokes_another_token_of_mine(haven: Haven) -> None:
    member = haven.member()
    second = haven.token(member.email)
    assert haven.client.post("/api/v1/auth/revoke", data={"token": second}).status_code == 200
    refused = haven.client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"})
    assert refused.status_code == 401
    assert haven.client.get("/api/v1/me", headers=member.auth).status_code == 200


def test_tokens_are_stored_only_as_hashes(haven: Haven) -> None:
    member = haven.member()
    with haven.container.engine.connect() as connection:
        from sqlalchemy import text

        stored = [row[0] for row in connection.execute(text("SELECT token_hash FROM credentials"))]
    assert member.token not in stored
    assert all(len(value) == 64 for value in stored)


def test_repeated_wrong_passwords_lock_the_login(haven: Haven) -> None:
    member = haven.member()
    limit = haven.container.settings.login_max_failures
    for _ in range(limit):
        wrong = haven.client.post(
            "/api/v1/auth/token", data={"username": member.email, "password": "not it at all"}
        )
        assert wrong.status_code == 401
    locked = haven.client.post(
        "/api/v1/auth/token", data={"username": member.email, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Too many failed sign-in attempts" in locked.json()["error"]["message"]


def test_unknown_addresses_lock_the_same_way_so_accounts_cannot_be_discovered(
    haven: Haven,
) -> None:
    answers = []
    for _ in range(haven.container.settings.login_max_failures + 1):
        response = haven.client.post(
            "/api/v1/auth/token", data={"username": "nobody@example.org", "password": "wrong pw!!"}
        )
        answers.append(response.status_code)
    assert answers[-1] == 429
    assert set(answers[:-1]) == {401}


def test_wrong_password_and_unknown_address_get_the_same_message(haven: Haven) -> None:
    member = haven.member()
    wrong = haven.client.post(
        "/api/v1/auth/token", data={"username": member.email, "password": "not it at all"}
    )
    unknown = haven.client.post(
        "/api/v1/auth/token", data={"username": "ghost@example.org", "password": "not it at all"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]


def test_errors_are_translated_into_the_members_language(haven: Haven) -> None:
    response = haven.client.post(
        "/api/v1/auth/token",
        data={"username": "ghost@example.org", "password": "not it at all"},
        headers={"Accept-Language": "es-ES,es;q=0.9"},
    )
    english = haven.client.post(
        "/api/v1/auth/token", data={"username": "ghost@example.org", "password": "not it at all"}
    )
    assert response.json()["error"]["message"] != english.json()["error"]["message"]
