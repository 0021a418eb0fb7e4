"""Demo accounts for a fresh install."""

from __future__ import annotations

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.people import Role
from haven.services.audit_trail import verify_audit_trail
from haven.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from haven.services.records import journal_entries


def test_seeding_makes_every_demo_account_with_a_consenting_assigned_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: dict[ConsentKind, ConsentDocument],
) -> None:
    accounts = seed_demo(uow, hasher=hasher, clock=clock)

    assert [a.email for a in accounts] == [email for email, _, _ in DEMO_ACCOUNTS]
    assert all(hasher.verify(a.password_hash, DEMO_PASSWORD) for a in accounts)
    clinician = next(a for a in accounts if a.role is Role.CLINICIAN)
    member = next(a for a in accounts if a.email == "member@haven.example")
    entries = journal_entries(
        uow(), clock=clock, actor=clinician, member_id=member.id, documents=documents
    )
    assert len(entries) == 1
    assert verify_audit_trail(uow())[1] is None


def test_seeding_twice_makes_no_second_set_of_accounts(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, hasher: FakePasswordHasher
) -> None:
    first = seed_demo(uow, hasher=hasher, clock=clock)

    second = seed_demo(uow, hasher=hasher, clock=clock)

    assert second == first
    assert len(uow.store.committed.accounts) == len(DEMO_ACCOUNTS)
