"""Health, metrics, logs, migrations and bad input at the edge."""

from __future__ import annotations

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from tests.integration.conftest import Haven

from haven.adapters.db import migrate
from haven.adapters.db.tables import metadata


def test_health_and_metrics_answer(haven: Haven) -> None:
    assert haven.client.get("/healthz").json()["status"] == "ok"
    haven.client.get("/api/v1/me")
    metrics = haven.client.get("/metrics").text
    assert 'haven_http_requests_total{method="GET",route="/api/v1/me",status="401"}' in metrics


def test_migrations_build_exactly_the_schema_the_code_expects(haven: Haven) -> None:
    engine = haven.container.engine
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_logs_hold_no_personal_data_or_free_text(
    haven: Haven, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    member = haven.member("Zed Secretname")
    haven.client.post(
        f"/api/v1/members/{member.id}/journal",
        json={"body": "my deepest worry"},
        headers=member.auth,
    )
    ours = [r for r in caplog.records if r.name.startswith("haven")]
    assert ours, "the request log is written"
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in ours)
    for secret in ("Secretname", "deepest worry", member.email, member.id, member.token):
        assert secret not in logged


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/accounts", {"email": "x"}, "password"),
        ("post", "/api/v1/accounts", {"email": 3, "password": [], "display_name": {}}, "email"),
        (
            "post",
            "/api/v1/accounts",
            {"email": "not-an-address", "password": "long enough pw", "display_name": "A"},
            "email",
        ),
        (
            "post",
            "/api/v1/accounts",
            {"email": "a@example.org", "password": "short", "display_name": "A"},
            "password",
        ),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_field(
    haven: Haven, method: str, path: str, body: object, field: str
) -> None:
    response = getattr(haven.client, method)(path, json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert field in (error.get("field") or "") + " ".join(
        p["field"] for p in error.get("problems", [])
    )


def test_a_huge_body_is_refused_before_it_is_read(haven: Haven) -> None:
    member = haven.member()
    response = haven.client.post(
        f"/api/v1/members/{member.id}/journal",
        content=b'{"body": "' + b"a" * 2_000_000 + b'"}',
        headers={**member.auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]["message"]
    listing = haven.client.get(f"/api/v1/members/{member.id}/journal", headers=member.auth)
    assert listing.json() == []


def test_unknown_ids_and_malformed_ids_are_4xx(haven: Haven) -> None:
    member = haven.member()
    unknown = haven.client.get(
        f"/api/v1/members/{member.id}/journal/00000000-0000-0000-0000-000000000000",
        headers=member.auth,
    )
    malformed = haven.client.get("/api/v1/members/not-a-uuid/journal", headers=member.auth)
    assert unknown.status_code == 404
    assert malformed.status_code == 422
