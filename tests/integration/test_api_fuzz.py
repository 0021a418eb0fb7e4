"""Schemathesis fuzzes every operation in the OpenAPI document: never a 500.

Runs as a signed-in member who has consented and has questionnaires assigned, aimed at their
own record, so the fuzzer reaches past authentication and access checks into the handlers.
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
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    for instrument in ("phq9", "cssrs"):
        assigned = haven.client.post(
            f"/api/v1/members/{member.id}/schedules",
            json={"instrument": instrument, "every_days": 7},
            headers=clinician.auth,
        )
        assert assigned.status_code == 201
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
            if case.path_parameters and "member_id" in case.path_parameters:
                # Into the member's own record, where the handlers do their real work.
                case.path_parameters["member_id"] = member.id
            case.call_and_validate(
                checks=[not_a_server_error, status_code_conformance, negative_data_rejection]
            )

        fuzz()
    container.close()
