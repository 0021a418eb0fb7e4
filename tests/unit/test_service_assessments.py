"""Questionnaires: a member answers one their care team assigned, Haven scores it and sends
any dangerous answer to the care team; members and their care team read the results; a
clinician imports a response answered elsewhere."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haven.domain.instruments import Instrument, RiskLevel
from haven.domain.people import Account, Role
from haven.domain.scoring import Assessment
from haven.services.assessments import (
    Answers,
    assessment,
    assessments_of,
    record_imported_response,
)
from haven.services.consents import revoke_consent

Documents = dict[ConsentKind, ConsentDocument]
Submit = Callable[..., Assessment]  # the conftest's ``submit``
Trail = Callable[[], list[AuditEvent]]
Import = Callable[[datetime | None], Assessment]
Read = Callable[[Account, Account], list[Assessment]]

PHQ9_MODERATE = [2, 1, 2, 1, 1, 1, 1, 2, 0]  # total 11, item 9 "not at all"
PHQ9_ITEM9_POSITIVE = [0, 0, 0, 0, 0, 0, 0, 0, 1]
IMPORTED = {f"phq9_{n}": 2 for n in range(1, 9)} | {"phq9_9": 0}  # total 16


@pytest.fixture
def assigned(enrol: Callable[..., None], sam: Account, carmen: Account) -> None:
    """Sam is in Carmen's care team, and Carmen has assigned him the PHQ-9 and the C-SSRS."""
    enrol(carmen, sam, "PHQ-9", "C-SSRS")


def submissions(events: list[AuditEvent]) -> list[AuditEvent]:
    return [e for e in events if e.action == "assessment.submit"]


# --- Submitting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        ("phq9", PHQ9_MODERATE),
        ("PHQ-9", {f"phq9_{n}": v for n, v in enumerate(PHQ9_MODERATE, start=1)}),
        ("phq-9", PHQ9_MODERATE),
    ],
    ids=["printed-order", "item-keyed", "lower-case-printed-name"],
)
def test_a_member_answers_an_assigned_phq9_and_gets_it_scored_and_stored(
    assigned: None,
    submit: Submit,
    uow: InMemoryUnitOfWorkFactory,
    audit_trail: Trail,
    sam: Account,
    name: str,
    answers: Answers,
) -> None:
    result = submit(sam, name, answers)

    assert (result.instrument_id, result.total, result.severity) == ("phq9", 11, "moderate")
    assert result.source == "haven"
    assert uow.store.committed.assessments == [result]
    assert uow.store.committed.alerts == []
    [entry] = submissions(audit_trail())
    assert (entry.actor_id, entry.subject_id, entry.target_id) == (sam.id, sam.id, str(result.id))
    assert entry.purpose == "self-care"


@pytest.mark.parametrize(
    ("instrument", "answers"),
    [("gad7", [0] * 7), ("no-such-scale", [0] * 9)],
    ids=["unassigned", "unknown"],
)
def test_a_member_cannot_answer_a_questionnaire_that_was_not_assigned(
    assigned: None,
    submit: Submit,
    uow: InMemoryUnitOfWorkFactory,
    sam: Account,
    instrument: str,
    answers: list[int],
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(sam, instrument, answers)

    assert refused.value.field == "instrument"
    assert uow.store.committed.assessments == []


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([0] * 8, "phq9_9"),
        ([0] * 10, "answers"),
        ([0, 0, 4, 0, 0, 0, 0, 0, 0], "phq9_3"),
        ([0, 0, 0, 0, 0, 0, 0, 0, -1], "phq9_9"),
        ({"phq9_1": 1}, "phq9_2"),
    ],
    ids=["one-short", "one-too-many", "no-option-4", "negative-item-9", "partial-dict"],
)
def test_answers_that_do_not_fit_the_questionnaire_are_refused_and_nothing_is_kept(
    assigned: None,
    submit: Submit,
    uow: InMemoryUnitOfWorkFactory,
    audit_trail: Trail,
    sam: Account,
    answers: Answers,
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(sam, "phq9", answers)

    assert refused.value.field == field
    assert uow.store.committed.assessments == []
    assert uow.store.committed.alerts == []
    assert submissions(audit_trail()) == []


def test_nobody_but_the_member_answers_in_their_record(
    assigned: None,
    submit: Submit,
    uow: InMemoryUnitOfWorkFactory,
    make_member: Callable[..., Account],
    sam: Account,
    carmen: Account,
) -> None:
    stranger = make_member("stranger@example.org")

    with pytest.raises(PermissionDenied):
        submit(sam, "phq9", PHQ9_MODERATE, actor=carmen)
    with pytest.raises(NotFound):
        submit(sam, "phq9", PHQ9_MODERATE, actor=stranger)

    assert uow.store.committed.assessments == []


def test_a_positive_item_9_opens_one_high_alert_in_the_same_commit_whatever_the_total(
    assigned: None, submit: Submit, uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    before = uow.store.version

    result = submit(sam, "phq9", PHQ9_ITEM9_POSITIVE)

    assert (result.total, result.severity) == (1, "minimal")
    assert uow.store.version == before + 1  # result, alert and audit entry: one transaction
    [alert] = uow.store.committed.alerts
    assert (alert.member_id, alert.source_id) == (sam.id, result.id)
    assert alert.level is RiskLevel.HIGH
    assert alert.signals == ("suicidal_ideation",)
    assert alert.open


def test_item_9_answered_not_at_all_opens_no_alert_even_at_a_severe_total(
    assigned: None, submit: Submit, uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    assert submit(sam, "phq9", [3] * 8 + [0]).severity == "severe"
    assert uow.store.committed.alerts == []


def test_a_cssrs_yes_to_intent_opens_a_high_alert_naming_every_flag(
    assigned: None, submit: Submit, uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    result = submit(sam, "cssrs", {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 0})

    assert (result.total, result.severity) == (None, "high")
    [alert] = uow.store.committed.alerts
    assert alert.level is RiskLevel.HIGH
    assert alert.signals == result.flags
    assert set(alert.signals) == {
        "wish_to_be_dead",
        "suicidal_thoughts",
        "suicidal_thoughts_with_method",
        "suicidal_intent",
    }


def test_a_member_who_stopped_sharing_with_the_care_team_still_gets_results_stored(
    assigned: None,
    submit: Submit,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    sam: Account,
) -> None:
    revoke_consent(uow(), clock=clock, actor=sam, kind=ConsentKind.CARE_TEAM_SHARING)

    result = submit(sam, "phq9", PHQ9_ITEM9_POSITIVE)

    assert uow.store.committed.assessments == [result]
    assert [a.source_id for a in uow.store.committed.alerts] == [result.id]


# --- Reading --------------------------------------------------------------------------------


@pytest.fixture
def read(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Read:
    """``read(actor, member)``: list a member's results."""
    return lambda actor, member: assessments_of(
        uow(), clock=clock, actor=actor, member_id=member.id, documents=documents
    )


@pytest.fixture
def fetch(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents
) -> Callable[[Account, UUID], Assessment]:
    """``fetch(member, assessment_id)``: a member opens one result in their record."""
    return lambda member, assessment_id: assessment(
        uow(), clock=clock, actor=member, member_id=member.id, assessment_id=assessment_id,
        documents=documents,
    )  # fmt: skip


def test_the_member_and_their_sharing_care_team_read_the_results_oldest_first(
    assigned: None,
    submit: Submit,
    read: Read,
    fetch: Callable[[Account, UUID], Assessment],
    clock: ManualClock,
    audit_trail: Trail,
    sam: Account,
    carmen: Account,
) -> None:
    first = submit(sam, "phq9", PHQ9_MODERATE)
    clock.advance(timedelta(days=14))
    second = submit(sam, "phq9", [0] * 9)

    assert read(sam, sam) == read(carmen, sam) == [first, second]
    assert fetch(sam, first.id) == first
    carmens = [(e.action, e.purpose) for e in audit_trail() if e.actor_id == carmen.id]
    assert carmens[-1] == ("assessment.list", "care-team-review")


def test_who_else_may_not_read_a_members_results(
    read: Read,
    assign: Callable[[Account, Account], None],
    make_staff: Callable[[Role, str], Account],
    sam: Account,
    lucia: Account,
    carmen: Account,
    ada: Account,
) -> None:
    assign(carmen, lucia)  # Lucía does not share with her care team
    outsider = make_staff(Role.CLINICIAN, "omar@example.org")

    with pytest.raises(PermissionDenied):
        read(carmen, lucia)
    with pytest.raises(NotFound):
        read(outsider, sam)
    with pytest.raises(PermissionDenied):
        read(ada, sam)
    with pytest.raises(NotFound):
        read(lucia, sam)


def test_a_result_that_is_not_in_this_members_record_is_not_found(
    assigned: None,
    submit: Submit,
    fetch: Callable[[Account, UUID], Assessment],
    make_member: Callable[..., Account],
    sam: Account,
) -> None:
    sams = submit(sam, "phq9", PHQ9_MODERATE)

    with pytest.raises(NotFound):
        fetch(sam, uuid.uuid4())
    with pytest.raises(NotFound):  # another member, through their own record
        fetch(make_member("other@example.org"), sams.id)


# --- Importing ------------------------------------------------------------------------------


@pytest.fixture
def import_response(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    instruments: dict[str, Instrument],
    documents: Documents,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> Import:
    """``import_response(authored)``: Carmen, in Sam's care team, imports a PHQ-9 of his."""
    assign(carmen, sam)

    def run(authored: datetime | None) -> Assessment:
        return record_imported_response(
            uow(), clock=clock, actor=carmen, member_id=sam.id, instrument_id="PHQ-9",
            answers=dict(IMPORTED), authored=authored, instruments=instruments,
            documents=documents,
        )  # fmt: skip

    return run


def test_a_clinician_imports_a_response_answered_elsewhere_without_any_schedule(
    import_response: Import, uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> None:
    authored = clock.now() - timedelta(days=30)

    result = import_response(authored)

    assert (result.source, result.submitted_at) == ("fhir", authored)
    assert (result.total, result.severity) == (16, "moderately_severe")
    assert uow.store.committed.assessments == [result]
    assert uow.store.committed.schedules == []


def test_the_same_response_imported_twice_is_refused(
    import_response: Import, uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> None:
    authored = clock.now() - timedelta(days=3)
    import_response(authored)
    clock.advance(timedelta(hours=1))

    with pytest.raises(Conflict):
        import_response(authored)

    assert len(uow.store.committed.assessments) == 1


def test_an_undated_response_is_refused_so_copies_cannot_pile_up(
    import_response: Import, uow: InMemoryUnitOfWorkFactory
) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_response(None)

    assert caught.value.field == "authored"
    assert uow.store.committed.assessments == []


def test_a_response_dated_in_the_future_is_refused(
    import_response: Import, uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> None:
    with pytest.raises(InvalidInput) as refused:
        import_response(clock.now() + timedelta(days=1))

    assert refused.value.field == "authored"
    assert uow.store.committed.assessments == []
