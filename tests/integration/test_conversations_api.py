"""Talking with the companion through the API, on SQLite and PostgreSQL, with the real
encoder, classifiers and risk check."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import Haven, Person

API = "/api/v1"


def open_conversation(haven: Haven, member: Person) -> str:
    response = haven.client.post(f"{API}/conversations", headers=member.auth)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def say(haven: Haven, member: Person, conversation: str, text: str, **headers: str) -> Any:
    response = haven.client.post(
        f"{API}/conversations/{conversation}/messages",
        json={"text": text},
        headers={**member.auth, **headers},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_member_does_a_breathing_exercise_and_the_clinician_sees_the_summary(
    haven: Haven,
) -> None:
    member = haven.member("Ana")
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    conversation = open_conversation(haven, member)
    first = say(haven, member, conversation, "hi")
    assert first["disclosed_ai"]
    assert "AI" in " ".join(first["replies"])
    started = say(haven, member, conversation, "can we do the breathing exercise?")
    assert started["started"] == "breathing"
    assert started["flow"] == {"id": "breathing", "step": 1, "steps": 5}
    for answer in ("3", "ready", "done", "6"):
        say(haven, member, conversation, answer)
    last = say(haven, member, conversation, "yes")
    assert last["finished"] == "breathing"
    assert last["flow"] is None

    listed = haven.client.get(f"{API}/members/{member.id}/conversations", headers=clinician.auth)
    assert listed.status_code == 200
    summary = listed.json()[0]["summary"]
    assert summary["exercises"] == [
        {"flow_id": "breathing", "mood_before": 3, "mood_after": 6, "helpful": True}
    ]
    assert "breathing done" in summary["text"]


def test_a_crisis_message_gets_the_protocol_the_country_lines_and_an_alert(
    haven: Haven,
) -> None:
    member = haven.member("Luis")
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    conversation = open_conversation(haven, member)
    say(haven, member, conversation, "thought record")
    reply = say(
        haven,
        member,
        conversation,
        "I have the pills here and I'm going to take them all tonight",
        **{"Accept-Language": "es-MX,es;q=0.9"},
    )
    assert reply["crisis"]
    assert reply["risk"]["level"] == "imminent"
    assert reply["flow"] is None  # the thought record stopped
    assert reply["crisis_resources"]["country"] == "MX"
    assert reply["alert_id"]
    assert "pills" not in " ".join(reply["replies"])  # never parroted back
    queue = haven.client.get(f"{API}/alerts", headers=clinician.auth)
    assert reply["alert_id"] in queue.text
    detail = haven.client.get(f"{API}/alerts/{reply['alert_id']}", headers=clinician.auth)
    assert detail.json()["trigger"].startswith("I have the pills here")
    assert detail.json()["context"] == ["thought record"]


def test_bad_messages_get_clear_errors_and_nothing_is_stored(haven: Haven) -> None:
    member = haven.member()
    conversation = open_conversation(haven, member)
    for body, field in (
        ({"text": "   "}, "text"),
        ({"text": "x" * 5000}, "text"),
        ({}, "text"),
        ({"text": "hi", "extra": 1}, "extra"),
        ({"text": "hi", "country": "Spain"}, "country"),
    ):
        response = haven.client.post(
            f"{API}/conversations/{conversation}/messages", json=body, headers=member.auth
        )
        assert response.status_code == 422, (body, response.text)
        assert field in response.text
    history = haven.client.get(
        f"{API}/members/{member.id}/conversations/{conversation}/messages", headers=member.auth
    )
    assert history.json() == []


def test_nobody_else_can_post_to_or_read_a_members_conversation(haven: Haven) -> None:
    member = haven.member("Ana")
    other = haven.member("Eve")
    stranger = haven.staff("clinician")  # not in Ana's care team
    conversation = open_conversation(haven, member)
    say(haven, member, conversation, "hello")
    assert (
        haven.client.post(
            f"{API}/conversations/{conversation}/messages", json={"text": "hi"}, headers=other.auth
        ).status_code
        == 404
    )
    assert haven.client.post(f"{API}/conversations", headers=stranger.auth).status_code == 403
    assert haven.client.get(
        f"{API}/members/{member.id}/conversations", headers=stranger.auth
    ).status_code in {403, 404}
    assert (
        haven.client.post(
            f"{API}/conversations/00000000-0000-0000-0000-000000000000/messages",
            json={"text": "hi"},
            headers=member.auth,
        ).status_code
        == 404
    )
