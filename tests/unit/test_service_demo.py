"""The demo a fresh install seeds: who is in it, the months of history they carry, the one
alert left open, and that seeding twice (or on a database with real people) changes nothing."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from statistics import mean

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.content import crisis_directory, flows, instruments, output_guard_patterns, replies
from haven.content import words as companion_words
from haven.content.risk import risk_lexicon
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.people import Account, Role
from haven.domain.risk import RiskAssessment
from haven.domain.schedules import DueState
from haven.services.accounts import caseload, register_member
from haven.services.alerts import alert_queue
from haven.services.audit_trail import verify_audit_trail
from haven.services.conversations import Companion, conversations_of
from haven.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoRefused, seed_demo
from haven.services.moods import mood_checkins
from haven.services.outcomes import InstrumentOutcome, member_outcomes
from haven.services.records import journal_entries
from haven.services.risk import check_message
from haven.services.schedules import schedule_statuses

Documents = dict[ConsentKind, ConsentDocument]
SAM, LUCIA, TOM, MEI = (
    "member@haven.example",
    "miembro@haven.example",
    "tom.okafor@haven.example",
    "mei.lin@haven.example",
)


class NeutralAnalyser:
    def analyse(self, text: str) -> MessageAnalysis:
        return MessageAnalysis("neutral", 0.9, "vent", 0.9, "none", 0.9, 0.0)


def rules_only(text: str, context: Sequence[str]) -> RiskAssessment:
    return check_message(text, context, lexicon=risk_lexicon(), model=None)


def a_companion() -> Companion:
    return Companion(
        flows=flows(),
        words=companion_words(),
        replies=replies(),
        analyser=NeutralAnalyser(),
        check_risk=rules_only,
        crisis=crisis_directory(),
        guard_patterns=output_guard_patterns(),
        rng=random.Random(1),
    )


@pytest.fixture
def demo(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, hasher: FakePasswordHasher
) -> dict[str, Account]:
    return {a.email: a for a in seed_demo(uow, hasher=hasher, clock=clock)}


def phq9_of(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    clinician: Account,
    member: Account,
) -> InstrumentOutcome:
    found = member_outcomes(
        uow(),
        clock=clock,
        actor=clinician,
        member_id=member.id,
        instruments=instruments(),
        documents=documents,
    )
    return next(o for o in found if o.instrument_id == "phq9")


def test_every_demo_login_exists_and_the_clinician_has_a_caseload_of_eight(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
) -> None:
    assert list(demo) == [email for email, _, _ in DEMO_ACCOUNTS]
    assert all(email.endswith("@haven.example") for email in demo)
    assert all(hasher.verify(a.password_hash, DEMO_PASSWORD) for a in demo.values())
    assert {"admin@haven.example", "clinician@haven.example", SAM, LUCIA} <= set(demo)
    assert demo[LUCIA].locale == "es"
    team = caseload(uow(), clock=clock, actor=demo["clinician@haven.example"])
    assert len(team) == 8
    assert {m.role for m in team} == {Role.MEMBER}
    assert verify_audit_trail(uow())[1] is None


def test_each_member_carries_months_of_questionnaires_journal_and_mood_history(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    clinician = demo["clinician@haven.example"]
    for member in caseload(uow(), clock=clock, actor=clinician):
        points = phq9_of(uow, clock, documents, clinician, member).trajectory
        assert len(points) >= 7
        assert points[-1].at - points[0].at >= timedelta(days=90)
        assert all(p.at <= clock.now() for p in points)
        journal = journal_entries(
            uow(), clock=clock, actor=clinician, member_id=member.id, documents=documents
        )
        assert len(journal) >= 8
        moods = mood_checkins(
            uow(), clock=clock, actor=clinician, member_id=member.id, documents=documents
        )
        assert len(moods) >= 30
        assert all(0 <= m.rating <= 10 and m.created_at <= clock.now() for m in moods)
        assert member.created_at < points[0].at


def test_most_members_improve_one_or_two_stay_flat_and_one_deteriorates(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    clinician = demo["clinician@haven.example"]
    categories = {}
    for member in caseload(uow(), clock=clock, actor=clinician):
        outcome = phq9_of(uow, clock, documents, clinician, member).outcome
        assert outcome is not None
        categories[member.email] = outcome.category

    assert categories[SAM] == "reliable_recovery"
    assert categories[LUCIA] == "reliable_deterioration"
    improving = [e for e, c in categories.items() if c.startswith("reliable_") and "deter" not in c]
    flat = [e for e, c in categories.items() if c == "no_reliable_change"]
    assert len(improving) >= 4
    assert 1 <= len(flat) <= 3
    assert list(categories.values()).count("reliable_deterioration") == 1


def test_mood_check_ins_follow_the_members_trajectory(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    clinician = demo["clinician@haven.example"]

    def first_and_last_month(email: str) -> tuple[float, float]:
        moods = mood_checkins(
            uow(), clock=clock, actor=clinician, member_id=demo[email].id, documents=documents
        )
        start, end = moods[0].created_at, moods[-1].created_at
        early = [m.rating for m in moods if m.created_at < start + timedelta(days=30)]
        late = [m.rating for m in moods if m.created_at > end - timedelta(days=30)]
        return mean(early), mean(late)

    sam_before, sam_after = first_and_last_month(SAM)
    lucia_before, lucia_after = first_and_last_month(LUCIA)
    assert sam_after > sam_before + 2
    assert lucia_after < lucia_before - 1


def test_exactly_one_alert_is_open_the_deteriorating_members_item_9(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    clinician = demo["clinician@haven.example"]

    [open_alert] = alert_queue(uow(), clock=clock, actor=clinician, documents=documents)
    assert open_alert.member_id == demo[LUCIA].id
    assert open_alert.signals == ("suicidal_ideation",)
    every = alert_queue(uow(), clock=clock, actor=clinician, documents=documents, open_only=False)
    handled = [a for a in every if not a.open]
    assert [a.member_id for a in handled] == [demo[TOM].id]
    assert len(uow.store.committed.alert_notes) == 1


def test_questionnaires_are_due_on_time_except_for_the_member_who_went_quiet(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    clinician = demo["clinician@haven.example"]

    def states(email: str) -> set[DueState]:
        found = schedule_statuses(
            uow(), clock=clock, actor=clinician, member_id=demo[email].id, documents=documents
        )
        assert sorted(s.schedule.instrument_id for s in found) == ["gad7", "phq9"]
        return {s.state for s in found}

    assert states(SAM) == {DueState.UPCOMING}
    assert states(MEI) == {DueState.OVERDUE}


def test_seeding_again_adds_nothing(
    demo: dict[str, Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
) -> None:
    tables = uow.store.committed
    before = (len(tables.accounts), len(tables.assessments), len(tables.moods), len(tables.audit))

    again = seed_demo(uow, hasher=hasher, clock=clock, companion=a_companion())

    assert [a.id for a in again] == [a.id for a in demo.values()]
    after = (len(tables.accounts), len(tables.assessments), len(tables.moods), len(tables.audit))
    assert after == before


def test_the_same_demo_is_seeded_on_every_install(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, hasher: FakePasswordHasher
) -> None:
    other = InMemoryUnitOfWorkFactory()

    seed_demo(uow, hasher=hasher, clock=clock)
    seed_demo(other, hasher=hasher, clock=clock)

    def story(factory: InMemoryUnitOfWorkFactory) -> list[tuple[str, int | None]]:
        tables = factory.store.committed
        email = {a.id: a.email for a in tables.accounts.values()}
        rows = sorted(tables.assessments, key=lambda a: (email[a.member_id], a.submitted_at))
        return [(a.instrument_id, a.total) for a in rows] + [
            (email[m.member_id], m.rating) for m in tables.moods
        ]

    assert story(uow) == story(other)


def test_with_the_companion_every_member_has_conversations_with_summaries(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: Documents,
) -> None:
    accounts = {
        a.email: a for a in seed_demo(uow, hasher=hasher, clock=clock, companion=a_companion())
    }
    clinician = accounts["clinician@haven.example"]

    for member in caseload(uow(), clock=clock, actor=clinician):
        found = conversations_of(
            uow(), clock=clock, actor=clinician, member_id=member.id, documents=documents
        )
        assert len(found) == 3
        assert all(summary.turns >= 3 for _, summary in found)
    assert len(alert_queue(uow(), clock=clock, actor=clinician, documents=documents)) == 1


def test_a_database_with_real_people_is_refused(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, hasher: FakePasswordHasher
) -> None:
    register_member(
        uow(),
        hasher=hasher,
        clock=clock,
        email="someone@example.org",
        password=DEMO_PASSWORD,
        display_name="Someone",
    )

    with pytest.raises(DemoRefused):
        seed_demo(uow, hasher=hasher, clock=clock)

    assert len(uow.store.committed.accounts) == 1


def test_the_demo_members_have_exercises_their_clinician_suggested(
    demo: dict[str, Account], uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> None:
    from haven.content import consent_documents
    from haven.services.exercises import assigned_exercises

    sam = demo["member@haven.example"]
    [suggestion] = assigned_exercises(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=consent_documents()
    )
    assert suggestion.flow_id == "thought_record"
    assert suggestion.note_for_member
