"""Demo accounts for a fresh install."""

from __future__ import annotations

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.content import instruments
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.people import Role
from haven.domain.schedules import DueState
from haven.services.alerts import alert_queue
from haven.services.audit_trail import verify_audit_trail
from haven.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from haven.services.outcomes import InstrumentOutcome, member_outcomes
from haven.services.records import journal_entries
from haven.services.schedules import schedule_statuses


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


def test_the_demo_clinician_meets_a_recovery_a_deterioration_and_an_open_alert(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: dict[ConsentKind, ConsentDocument],
) -> None:
    accounts = {a.email: a for a in seed_demo(uow, hasher=hasher, clock=clock)}
    seed_demo(uow, hasher=hasher, clock=clock)
    clinician = accounts["clinician@haven.example"]

    def phq9(email: str) -> InstrumentOutcome:
        found = member_outcomes(
            uow(),
            clock=clock,
            actor=clinician,
            member_id=accounts[email].id,
            instruments=instruments(),
            documents=documents,
        )
        return next(o for o in found if o.instrument_id == "phq9")

    sam, lucia = phq9("member@haven.example"), phq9("miembro@haven.example")
    assert sam.outcome is not None
    assert lucia.outcome is not None
    assert sam.outcome.category == "reliable_recovery"
    assert lucia.outcome.category == "reliable_deterioration"
    assert all(point.at <= clock.now() for point in sam.trajectory)
    [alert] = alert_queue(uow(), clock=clock, actor=clinician, documents=documents)
    assert alert.member_id == accounts["miembro@haven.example"].id
    assert alert.signals == ("suicidal_ideation",)
    statuses = schedule_statuses(
        uow(),
        clock=clock,
        actor=clinician,
        member_id=accounts["member@haven.example"].id,
        documents=documents,
    )
    assert sorted(s.schedule.instrument_id for s in statuses) == ["gad7", "phq9"]
    assert {s.state for s in statuses} == {DueState.UPCOMING}
