"""Schemathesis fuzzes every operation in the OpenAPI document: never a 500.

Runs as a signed-in member who has consented, so the fuzzer reaches past authentication into
the handlers themselves.
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, status_code_conformance
from tests.integration.conftest import FAST_ARGON2, Haven, make_settings

from haven.bootstrap import bootstrap
from haven.web.app import create_app


def test_no_request_makes_the_api_fail_with_a_server_error(tmp_path: Path) -> None:
    container = bootstrap(
        make_settings(
            f"sqlite:///{tmp_path / 'haven.db'}", tmp_path, login_attempts_per_minute=10_000
        ),
        hasher=FAST_ARGON2,
    )
    app = create_app(container)
    haven = Haven(TestClient(app), container)
    member = haven.member("Fuzz")
    auth = {"Authorization": f"Bearer {member.token}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:
            if (case.method, case.path) == ("DELETE", "/api/v1/me"):
                # The account that every other operation signs in as must survive.
                case.body = {"password": "wrong password"}
            headers = auth
            if (case.method, case.path) == ("DELETE", "/api/v1/auth/token"):
                headers = {"Authorization": f"Bearer {haven.token(member.email)}"}
            case.headers = {**(case.headers or {}), **headers}
            case.call_and_validate(
                checks=[not_a_server_error, status_code_conformance, negative_data_rejection]
            )

        fuzz()
    container.close()
