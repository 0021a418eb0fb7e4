"""Unit-test fixtures: the in-memory adapters, a clock that moves only when told to, the
people the service tests act as, and the questionnaires they assign and answer. Nothing here
touches a database or the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.content import consent_documents
from haven.content import instruments as load_instruments
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.credentials import LoginPolicy
from haven.domain.instruments import Instrument
from haven.domain.people import Account, Role
from haven.domain.schedules import Schedule
from haven.domain.scoring import Assessment
from haven.services.accounts import assign_to_care_team, create_account, register_member
from haven.services.assessments import Answers, submit_assessment
from haven.services.consents import grant_consent
from haven.services.schedules import assign_schedule

PASSWORD = "correct horse battery"

Documents = dict[ConsentKind, ConsentDocument]

# --- Adapters -------------------------------------------------------------------------------


@pytest.fixture
def uow() -> InMemoryUnitOfWorkFactory:
    """A fresh, empty in-memory database; call it for a new unit of work."""
    return InMemoryUnitOfWorkFactory()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


@pytest.fixture
def documents() -> Documents:
    return consent_documents()


@pytest.fixture
def policy() -> LoginPolicy:
    return LoginPolicy()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def audit_trail(uow: InMemoryUnitOfWorkFactory) -> Callable[[], list[AuditEvent]]:
    """The committed audit events, oldest first."""

    def events() -> list[AuditEvent]:
        return [entry.event for entry in uow.store.committed.audit]

    return events


# --- People ---------------------------------------------------------------------------------


class MakeMember(Protocol):
    def __call__(
        self, email: str, *, name: str = ..., consents: Iterable[ConsentKind] = ...
    ) -> Account: ...


@pytest.fixture
def make_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: Documents,
) -> MakeMember:
    """Register a member who has agreed to ``consents`` (terms and care-team sharing unless
    told otherwise)."""

    def make(
        email: str,
        *,
        name: str = "A Member",
        consents: Iterable[ConsentKind] = (
            ConsentKind.TERMS_OF_USE,
            ConsentKind.CARE_TEAM_SHARING,
        ),
    ) -> Account:
        member = register_member(
            uow(), hasher=hasher, clock=clock, email=email, password=PASSWORD, display_name=name
        )
        for kind in consents:
            grant_consent(
                uow(),
                clock=clock,
                actor=member,
                kind=kind,
                version=documents[kind].version,
                documents=documents,
            )
        return member

    return make


@pytest.fixture
def make_staff(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, hasher: FakePasswordHasher
) -> Callable[[Role, str], Account]:
    """Create a clinician or administrator account, as the operator at the command line."""

    def make(role: Role, email: str) -> Account:
        return create_account(
            uow(),
            hasher=hasher,
            clock=clock,
            actor=None,
            email=email,
            password=PASSWORD,
            role=role,
            display_name=f"Staff {role.value}",
        )

    return make


@pytest.fixture
def sam(make_member: MakeMember) -> Account:
    """A member who agreed to the terms and to sharing with their care team."""
    return make_member("sam@example.org", name="Sam Rivera")


@pytest.fixture
def lucia(make_member: MakeMember) -> Account:
    """A member who agreed to the terms only: she does not share with her care team."""
    return make_member("lucia@example.org", name="Lucía Gómez", consents=[ConsentKind.TERMS_OF_USE])


@pytest.fixture
def carmen(make_staff: Callable[[Role, str], Account]) -> Account:
    """A clinician."""
    return make_staff(Role.CLINICIAN, "carmen@example.org")


@pytest.fixture
def ada(make_staff: Callable[[Role, str], Account]) -> Account:
    """An administrator."""
    return make_staff(Role.ADMIN, "ada@example.org")


@pytest.fixture
def assign(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> Callable[[Account, Account], None]:
    """Put a member in a clinician's care team: ``assign(clinician, member)``."""

    def put(clinician: Account, member: Account) -> None:
        assign_to_care_team(
            uow(), clock=clock, actor=None, clinician_id=clinician.id, member_id=member.id
        )

    return put


# --- Questionnaires -------------------------------------------------------------------------


@pytest.fixture
def instruments() -> dict[str, Instrument]:
    """The reviewed questionnaires, by id."""
    return load_instruments()


class AssignQuestionnaire(Protocol):
    def __call__(
        self,
        actor: Account,
        member: Account,
        instrument_id: str,
        *,
        every_days: int = ...,
        starts_at: datetime | None = ...,
    ) -> Schedule: ...


@pytest.fixture
def assign_questionnaire(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    instruments: dict[str, Instrument],
    documents: Documents,
) -> AssignQuestionnaire:
    """``assign_questionnaire(actor, member, instrument, every_days=14, starts_at=None)``: as
    ``actor``, put a questionnaire on a member's schedule, due now unless it starts later."""

    def assign_it(
        actor: Account,
        member: Account,
        instrument_id: str,
        *,
        every_days: int = 14,
        starts_at: datetime | None = None,
    ) -> Schedule:
        return assign_schedule(
            uow(), clock=clock, actor=actor, member_id=member.id, instrument_id=instrument_id,
            every_days=every_days, starts_at=starts_at, instruments=instruments,
            documents=documents,
        )  # fmt: skip

    return assign_it


class Enrol(Protocol):
    def __call__(self, clinician: Account, member: Account, *instrument_ids: str) -> None: ...


@pytest.fixture
def enrol(
    assign: Callable[[Account, Account], None], assign_questionnaire: AssignQuestionnaire
) -> Enrol:
    """``enrol(clinician, member, *instruments)``: put the member in the clinician's care team
    and assign each questionnaire every 14 days, due now."""

    def enrol_member(clinician: Account, member: Account, *instrument_ids: str) -> None:
        assign(clinician, member)
        for instrument_id in instrument_ids:
            assign_questionnaire(clinician, member, instrument_id)

    return enrol_member


class Submit(Protocol):
    def __call__(
        self, member: Account, instrument_id: str, answers: Answers, *, actor: Account | None = ...
    ) -> Assessment: ...


@pytest.fixture
def submit(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    instruments: dict[str, Instrument],
    documents: Documents,
) -> Submit:
    """``submit(member, instrument, answers, actor=member)``: answer a questionnaire in a
    member's record, now."""

    def answer(
        member: Account, instrument_id: str, answers: Answers, *, actor: Account | None = None
    ) -> Assessment:
        return submit_assessment(
            uow(), clock=clock, actor=actor or member, member_id=member.id,
            instrument_id=instrument_id, answers=answers, instruments=instruments,
            documents=documents,
        )  # fmt: skip

    return answer
