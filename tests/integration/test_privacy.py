"""Encryption at rest, crypto-shredding and the member's data rights."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.integration.conftest import PASSWORD, Haven

from haven.adapters.crypto.aead import DecryptionFailed, open_sealed
from haven.bootstrap import Container
from haven.domain.errors import DataKeyDestroyed


def _every_stored_byte(container: Container) -> bytes:
    """Every value in every table, as the database holds it, plus the SQLite files on disk."""
    dump = bytearray()
    with container.engine.connect() as connection:
        tables = [
            "accounts",
            "journal_entries",
            "clinician_notes",
            "consents",
            "credentials",
            "audit_log",
            "data_keys",
            "care_team",
            "login_throttles",
            "conversations",
            "conversation_messages",
            "bandit_states",
            "alerts",
            "mood_checkins",
            "wearable_observations",
            "exercise_assignments",
        ]
        for table in tables:
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                for value in row:
                    dump += value if isinstance(value, bytes) else str(value).encode()
    url = container.engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        for path in Path(url.database).parent.glob(Path(url.database).name + "*"):
            dump += path.read_bytes()
    return bytes(dump)


def _assign_exercise(haven: Haven, clinician_id: str, member_id: str, note: str) -> None:
    """As the clinician, assign the thought record with ``note`` (no API for it: the page's
    service, called directly)."""
    from haven.content import flows
    from haven.services.exercises import assign_exercise

    with haven.container.uow() as uow:
        clinician = uow.accounts.get(uuid.UUID(clinician_id))
    assert clinician is not None
    assign_exercise(
        haven.container.uow(),
        clock=haven.container.clock,
        actor=clinician,
        member_id=uuid.UUID(member_id),
        flow_id="thought_record",
        note=note,
        documents=haven.container.documents,
        flows=flows(),
    )


def test_free_text_with_a_unique_marker_is_nowhere_in_plain_text(haven: Haven) -> None:
    member = haven.member("Marker")
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    journal_marker = f"JOURNAL-{uuid.uuid4().hex}"
    note_marker = f"NOTE-{uuid.uuid4().hex}"
    name_marker = f"Name{uuid.uuid4().hex[:10]}"

    haven.client.post(
        f"/api/v1/members/{member.id}/journal",
        json={"body": f"today I felt {journal_marker}"},
        headers=member.auth,
    )
    haven.client.post(
        f"/api/v1/members/{member.id}/notes", json={"body": note_marker}, headers=clinician.auth
    )
    haven.client.patch("/api/v1/me", json={"display_name": name_marker}, headers=member.auth)
    chat_marker = f"CHAT-{uuid.uuid4().hex}"
    conversation = haven.client.post("/api/v1/conversations", headers=member.auth).json()["id"]
    for text_ in (f"my boss {chat_marker} shouted at me", "thought record", f"I {chat_marker}"):
        sent = haven.client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"text": text_},
            headers=member.auth,
        )
        assert sent.status_code == 200, sent.text
    crisis = haven.client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": f"I want to kill myself {chat_marker}"},
        headers=member.auth,
    )
    assert crisis.json()["alert_id"]
    history = haven.client.get(
        f"/api/v1/members/{member.id}/conversations/{conversation}/messages",
        headers=clinician.auth,
    )
    assert chat_marker in history.text
    readback = haven.client.get(f"/api/v1/members/{member.id}/journal", headers=member.auth)
    assert journal_marker in readback.text
    mood_marker = f"MOOD-{uuid.uuid4().hex}"
    checked_in = haven.client.post(
        f"/api/v1/members/{member.id}/mood-checkins",
        json={"rating": 4, "tags": ["calm"], "note": f"walked {mood_marker}"},
        headers=member.auth,
    )
    assert checked_in.status_code == 201, checked_in.text

    exercise_marker = f"EXERCISE-{uuid.uuid4().hex}"
    _assign_exercise(haven, clinician.id, member.id, f"after work {exercise_marker}")

    stored = _every_stored_byte(haven.container)
    for marker in (
        journal_marker,
        note_marker,
        name_marker,
        chat_marker,
        mood_marker,
        exercise_marker,
    ):
        assert marker.encode() not in stored
        assert marker.encode("utf-16-le") not in stored


def test_a_ciphertext_moved_to_another_row_does_not_decrypt(haven: Haven) -> None:
    member = haven.member()
    for body in ("first entry", "second entry"):
        haven.client.post(
            f"/api/v1/members/{member.id}/journal", json={"body": body}, headers=member.auth
        )
    with haven.container.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT id, body_ct FROM journal_entries ORDER BY created_at")
        ).all()
        connection.execute(
            text("UPDATE journal_entries SET body_ct = :ct WHERE id = :id"),
            {"ct": rows[0].body_ct, "id": rows[1].id},
        )
    server = TestClient(haven.client.app, raise_server_exceptions=False)
    response = server.get(f"/api/v1/members/{member.id}/journal", headers=member.auth)
    assert response.status_code == 500
    assert "first entry" not in response.text
    assert response.json()["error"]["code"] == "internal_error"


def test_after_deletion_remaining_ciphertext_cannot_be_decrypted_even_with_the_master_key(
    haven: Haven,
) -> None:
    member = haven.member()
    haven.client.post(
        f"/api/v1/members/{member.id}/journal", json={"body": "keep me secret"}, headers=member.auth
    )
    with haven.container.engine.connect() as connection:
        # A copy taken before deletion, as a backup would hold it.
        backup = connection.execute(text("SELECT id, body_ct FROM journal_entries")).one()
    with haven.container.uow() as uow:
        assert uow.data_keys.key_for(uuid.UUID(member.id))  # type: ignore[attr-defined]

    deleted = haven.client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=member.auth
    )
    assert deleted.status_code == 204

    with haven.container.uow() as uow, pytest.raises(DataKeyDestroyed):
        uow.data_keys.key_for(uuid.UUID(member.id))  # type: ignore[attr-defined]
    with haven.container.engine.connect() as connection:
        leftovers = connection.execute(text("SELECT COUNT(*) FROM journal_entries")).scalar()
        keys_left = connection.execute(text("SELECT COUNT(*) FROM data_keys")).scalar()
        accounts_left = connection.execute(text("SELECT COUNT(*) FROM accounts")).scalar()
    assert leftovers == 0
    assert accounts_left == 0
    assert keys_left == 0
    # The master key alone cannot open the backup copy: it only ever wrapped the data key.
    for master in haven.container.keyring._keys.values():
        with pytest.raises(DecryptionFailed):
            open_sealed(master, backup.body_ct, aad=b"anything")
    assert haven.client.get("/api/v1/me", headers=member.auth).status_code == 401


def test_deleting_my_account_needs_my_password(haven: Haven) -> None:
    member = haven.member()
    refused = haven.client.request(
        "DELETE", "/api/v1/me", json={"password": "wrong password"}, headers=member.auth
    )
    assert refused.status_code == 401
    assert haven.client.get("/api/v1/me", headers=member.auth).status_code == 200


def test_a_member_downloads_everything_decrypted_with_a_schema_version(haven: Haven) -> None:
    member = haven.member("Río")
    clinician = haven.staff("clinician", "Dr Ana")
    haven.assign(clinician, member)
    haven.client.post(
        f"/api/v1/members/{member.id}/journal",
        json={"body": "café y calma ☕"},
        headers=member.auth,
    )
    haven.client.post(
        f"/api/v1/members/{member.id}/notes", json={"body": "seen today"}, headers=clinician.auth
    )

    _assign_exercise(haven, clinician.id, member.id, "Después del trabajo")

    conversation = haven.client.post("/api/v1/conversations", headers=member.auth).json()["id"]
    haven.client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "hola, hoy estoy bien"},
        headers=member.auth,
    )

    response = haven.client.get("/api/v1/me/export", headers=member.auth)

    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["schema_version"] == 7
    [chat] = data["conversations"]
    assert chat["messages"][0] == chat["messages"][0] | {
        "author": "member",
        "body": "hola, hoy estoy bien",
    }
    assert chat["messages"][1]["author"] == "companion"
    assert data["account"]["display_name"] == "Río"
    assert [e["body"] for e in data["journal"]] == ["café y calma ☕"]
    assert [n["body"] for n in data["clinician_notes"]] == ["seen today"]
    assert {c["kind"] for c in data["consents"]} == {"terms_of_use", "care_team_sharing"}
    assert data["care_team"] == [{"id": clinician.id, "display_name": "Dr Ana"}]
    assert any(e["action"] == "note.write" for e in data["access_log"])
    [exercise] = data["exercise_assignments"]
    assert exercise == exercise | {
        "exercise": "thought_record",
        "note_for_member": "Después del trabajo",
        "assigned_by": clinician.id,
        "ended_at": None,
    }
