"""Real databases (SQLite file and PostgreSQL), the real app, real argon2 and AES-GCM."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from tests.conftest import unavailable

from haven.adapters.crypto.passwords import Argon2PasswordHasher
from haven.bootstrap import Container, bootstrap
from haven.config import Settings
from haven.web.app import create_app

POSTGRES_URL = os.environ.get(
    "HAVEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct horse battery"

# Real argon2id, made cheap: these tests check behaviour, not hashing cost.
FAST_ARGON2 = Argon2PasswordHasher(time_cost=1, memory_cost=8 * 1024)


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError:
        return False
    return True


@contextmanager
def fresh_database(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'haven.db'}"
        return
    if not request.getfixturevalue("postgres_available"):
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path, request) as url:
        yield url


def make_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        database_url=database_url,
        **overrides,
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path / "data")


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    built = bootstrap(settings, hasher=FAST_ARGON2)
    yield built
    built.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as test_client:
        yield test_client


@dataclass
class Person:
    id: str
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Haven:
    """Drives the API the way a person's app would."""

    def __init__(self, client: TestClient, container: Container) -> None:
        self.client = client
        self.container = container

    def token(self, email: str, password: str = PASSWORD) -> str:
        response = self.client.post(
            "/api/v1/auth/token", data={"username": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def member(self, name: str = "Sam", *, consent: bool = True, share: bool = True) -> Person:
        email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.org"
        response = self.client.post(
            "/api/v1/accounts",
            json={"email": email, "password": PASSWORD, "display_name": name},
        )
        assert response.status_code == 201, response.text
        person = Person(id=response.json()["id"], email=email, token=self.token(email))
        kinds = (["terms_of_use"] if consent else []) + (["care_team_sharing"] if share else [])
        for kind in kinds:
            granted = self.client.put(
                f"/api/v1/me/consents/{kind}", json={"version": 1}, headers=person.auth
            )
            assert granted.status_code == 204, granted.text
        return person

    def staff(self, role: str, name: str = "Dr Lee") -> Person:
        from haven.domain.people import Role
        from haven.services.accounts import create_account

        email = f"{role}-{uuid.uuid4().hex[:6]}@example.org"
        account = create_account(
            self.container.uow(),
            hasher=self.container.hasher,
            clock=self.container.clock,
            actor=None,
            email=email,
            password=PASSWORD,
            role=Role(role),
            display_name=name,
        )
        return Person(id=str(account.id), email=email, token=self.token(email))

    def assign(self, clinician: Person, member: Person) -> None:
        from uuid import UUID

        from haven.services.accounts import assign_to_care_team

        assign_to_care_team(
            self.container.uow(),
            clock=self.container.clock,
            actor=None,
            clinician_id=UUID(clinician.id),
            member_id=UUID(member.id),
        )


@pytest.fixture
def haven(client: TestClient, container: Container) -> Haven:
    return Haven(client, container)
