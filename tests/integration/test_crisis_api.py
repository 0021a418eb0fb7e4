"""Crisis resources over the API, reachable without signing in."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_anyone_gets_the_lines_for_a_chosen_country(client: TestClient) -> None:
    response = client.get("/api/v1/crisis-resources", params={"country": "gb"})

    assert response.status_code == 200
    body = response.json()
    assert (body["country"], body["emergency"]) == ("GB", "999")
    assert body["lines"][0]["name"] == "Samaritans"
    assert body["lines"][0]["phone"] == "116 123"


def test_the_country_and_language_come_from_the_browser_when_not_chosen(
    client: TestClient,
) -> None:
    body = client.get("/api/v1/crisis-resources", headers={"Accept-Language": "es-MX"}).json()

    assert body["country"] == "MX"
    assert body["name"] == "México"
    assert body["lines"][0]["hours"] == "24 horas al día"


def test_an_unlisted_country_gets_international_help(client: TestClient) -> None:
    body = client.get("/api/v1/crisis-resources", params={"country": "ZZ"}).json()

    assert body["country"] is None
    assert body["emergency"] is None
    assert body["lines"]
    assert "emergency" in body["advice"]


def test_a_malformed_country_is_a_clear_422(client: TestClient) -> None:
    response = client.get("/api/v1/crisis-resources", params={"country": "GBR"})

    assert response.status_code == 422
    assert "country" in response.text


def test_the_lines_for_people_facing_abuse_come_with_them(client: TestClient) -> None:
    spain = client.get("/api/v1/crisis-resources", params={"country": "ES"}).json()
    assert [line["phone"] for line in spain["abuse_lines"]] == ["016"]
    elsewhere = client.get("/api/v1/crisis-resources", params={"country": "JP"}).json()
    assert elsewhere["abuse_lines"][0]["url"] == "https://www.hotpeachpages.net"
