"""The care team's alert queue and outcome reports: a clinician sees and acknowledges the
alerts of members who share with them, and follows each member's change and the caseload's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.alerts import Alert
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haven.domain.instruments import Instrument, RiskLevel
from haven.domain.people import Account, Role
from haven.domain.scoring import Assessment
from haven.services.alerts import acknowledge_alert, alert_queue
from haven.services.assessments import Answers
from haven.services.consents import revoke_consent
from haven.services.outcomes import (
    CaseloadReport,
    InstrumentOutcome,
    caseload_outcomes,
    member_outcomes,
)

Documents = dict[ConsentKind, ConsentDocument]
Enrol = Callable[..., None]  # the conftest's ``enrol``
Queue = Callable[[Account], list[Alert]]
Acknowledge = Callable[[Account, Alert], Alert]
Caseload = Callable[[Account, str], CaseloadReport]
Outcomes = Callable[[Account, Account], list[InstrumentOutcome]]


class Answer(Protocol):
    def __call__(self, member: Account, instrument_id: str, answers: Answers) -> Assessment: ...


def phq9(total: int, *, item9: int = 0) -> list[int]:
    """PHQ-9 answers adding up to ``total``, with item 9 answered ``item9``."""
    rest = total - item9
    assert 0 <= rest <= 24
    return [min(3, max(0, rest - 3 * n)) for n in range(8)] + [item9]


CSSRS_WISH_ONLY = {"q1": 1, "q2": 0, "q6": 0}  # low
CSSRS_BEHAVIOUR_LONG_AGO = {"q1": 0, "q2": 0, "q6": 1, "q6b": 0}  # moderate


@pytest.fixture
def answer(submit: Callable[..., Assessment], clock: ManualClock) -> Answer:
    """``answer(member, instrument, answers)``: the member answers, an hour after the last."""

    def an_hour_later(member: Account, instrument_id: str, answers: Answers) -> Assessment:
        clock.advance(timedelta(hours=1))
        return submit(member, instrument_id, answers)

    return an_hour_later


@pytest.fixture
def queue(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Queue:
    def open_alerts(clinician: Account) -> list[Alert]:
        return alert_queue(uow(), clock=clock, actor=clinician, documents=documents)

    return open_alerts


@pytest.fixture
def acknowledge(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents
) -> Acknowledge:
    def ack(actor: Account, alert: Alert) -> Alert:
        return acknowledge_alert(
            uow(), clock=clock, actor=actor, alert_id=alert.id, documents=documents
        )

    return ack


@pytest.fixture
def sams_alert(enrol: Enrol, answer: Answer, queue: Queue, sam: Account, carmen: Account) -> Alert:
    """Sam, in Carmen's care team, answered item 9 of the PHQ-9 "several days"."""
    enrol(carmen, sam, "phq9")
    answer(sam, "phq9", phq9(5, item9=1))
    [alert] = queue(carmen)
    return alert


# --- The alert queue ------------------------------------------------------------------------


def test_a_clinician_sees_alerts_only_for_members_who_share_with_them(
    enrol: Enrol,
    answer: Answer,
    queue: Queue,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    make_member: Callable[..., Account],
    make_staff: Callable[[Role, str], Account],
    sam: Account,
    carmen: Account,
) -> None:
    withdrawn = make_member("withdrawn@example.org")
    elsewhere = make_member("elsewhere@example.org")
    enrol(carmen, sam, "phq9")
    enrol(carmen, withdrawn, "phq9")
    enrol(make_staff(Role.CLINICIAN, "omar@example.org"), elsewhere, "phq9")
    revoke_consent(uow(), clock=clock, actor=withdrawn, kind=ConsentKind.CARE_TEAM_SHARING)

    for member in (sam, withdrawn, elsewhere):
        answer(member, "phq9", phq9(3, item9=1))

    assert len(uow.store.committed.alerts) == 3
    assert [a.member_id for a in queue(carmen)] == [sam.id]


def test_the_most_urgent_open_alert_comes_first_even_when_older(
    enrol: Enrol, answer: Answer, queue: Queue, sam: Account, carmen: Account
) -> None:
    enrol(carmen, sam, "phq9", "cssrs")
    high = answer(sam, "phq9", phq9(2, item9=1))
    low = answer(sam, "cssrs", CSSRS_WISH_ONLY)
    moderate = answer(sam, "cssrs", CSSRS_BEHAVIOUR_LONG_AGO)

    found = queue(carmen)

    assert [a.source_id for a in found] == [high.id, moderate.id, low.id]
    assert [a.level for a in found] == [RiskLevel.HIGH, RiskLevel.MODERATE, RiskLevel.LOW]


def test_acknowledging_an_alert_takes_it_off_the_open_queue_and_records_who_and_when(
    sams_alert: Alert,
    queue: Queue,
    acknowledge: Acknowledge,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    carmen: Account,
) -> None:
    clock.advance(timedelta(minutes=20))

    done = acknowledge(carmen, sams_alert)

    assert (done.acknowledged_by, done.acknowledged_at) == (carmen.id, clock.now())
    assert not done.open
    assert queue(carmen) == []
    everything = alert_queue(uow(), clock=clock, actor=carmen, documents=documents, open_only=False)
    assert everything == [done]
    [entry] = [e for e in audit_trail() if e.action == "alert.acknowledge"]
    assert (entry.actor_id, entry.subject_id, entry.target_id) == (
        carmen.id,
        sams_alert.member_id,
        str(sams_alert.id),
    )


def test_an_alert_cannot_be_acknowledged_twice(
    sams_alert: Alert,
    acknowledge: Acknowledge,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    carmen: Account,
) -> None:
    first = acknowledge(carmen, sams_alert)
    clock.advance(timedelta(hours=1))

    with pytest.raises(Conflict):
        acknowledge(carmen, sams_alert)

    assert uow.store.committed.alerts == [first]  # the first acknowledgement stands


def test_only_a_clinician_of_the_members_care_team_can_acknowledge_an_alert(
    sams_alert: Alert,
    acknowledge: Acknowledge,
    queue: Queue,
    make_staff: Callable[[Role, str], Account],
    sam: Account,
    ada: Account,
    carmen: Account,
) -> None:
    outsider = make_staff(Role.CLINICIAN, "omar@example.org")

    with pytest.raises(NotFound):
        acknowledge(outsider, sams_alert)
    with pytest.raises(PermissionDenied):
        acknowledge(sam, sams_alert)
    with pytest.raises(PermissionDenied):
        acknowledge(ada, sams_alert)

    assert queue(carmen) == [sams_alert]


# --- Outcomes -------------------------------------------------------------------------------


@pytest.fixture
def outcomes(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    instruments: dict[str, Instrument],
    documents: Documents,
) -> Outcomes:
    """``outcomes(actor, member)``: a member's trajectories and outcomes."""
    return lambda actor, member: member_outcomes(
        uow(), clock=clock, actor=actor, member_id=member.id, instruments=instruments,
        documents=documents,
    )  # fmt: skip


def test_a_fall_from_18_to_8_on_the_phq9_is_a_reliable_recovery(
    enrol: Enrol,
    answer: Answer,
    outcomes: Outcomes,
    clock: ManualClock,
    sam: Account,
    carmen: Account,
) -> None:
    enrol(carmen, sam, "phq9", "cssrs")
    first = answer(sam, "phq9", phq9(18))
    answer(sam, "cssrs", CSSRS_WISH_ONLY)  # has no total: no trajectory of its own
    clock.advance(timedelta(days=14))
    middle = answer(sam, "phq9", phq9(12))
    clock.advance(timedelta(days=14))
    last = answer(sam, "phq9", phq9(8))

    [found] = outcomes(carmen, sam)

    assert found.instrument_id == "phq9"
    assert [(p.at, p.total) for p in found.trajectory] == [
        (first.submitted_at, 18),
        (middle.submitted_at, 12),
        (last.submitted_at, 8),
    ]
    assert [p.severity for p in found.trajectory] == ["moderately_severe", "moderate", "mild"]
    assert found.outcome is not None
    assert found.outcome.category == "reliable_recovery"
    assert (found.outcome.change, found.outcome.measurements) == (-10, 3)


def test_one_result_gives_a_trajectory_but_no_outcome_yet(
    enrol: Enrol, answer: Answer, outcomes: Outcomes, sam: Account, carmen: Account
) -> None:
    enrol(carmen, sam, "phq9")
    answer(sam, "phq9", phq9(11))

    [found] = outcomes(sam, sam)

    assert [p.total for p in found.trajectory] == [11]
    assert found.outcome is None


@pytest.fixture
def caseload(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    instruments: dict[str, Instrument],
    documents: Documents,
) -> Caseload:
    return lambda clinician, instrument_id: caseload_outcomes(
        uow(), clock=clock, actor=clinician, instrument_id=instrument_id,
        instruments=instruments, documents=documents,
    )  # fmt: skip


def test_caseload_outcomes_match_a_hand_computation_over_the_sharing_members(
    enrol: Enrol,
    answer: Answer,
    caseload: Caseload,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    make_member: Callable[..., Account],
    carmen: Account,
) -> None:
    # first -> last: 18 -> 8 reliable recovery; 12 -> 10 still a case, no reliable change;
    # 6 -> 14 reliable deterioration. A fourth member, 24 -> 0, has stopped sharing.
    series = {"a": (18, 8), "b": (12, 10), "c": (6, 14), "withdrawn": (24, 0)}
    members = {name: make_member(f"{name}@example.org") for name in series}
    for member in members.values():
        enrol(carmen, member, "phq9")
    for name, (first, _) in series.items():
        answer(members[name], "phq9", phq9(first))
    clock.advance(timedelta(days=28))
    for name, (_, last) in series.items():
        answer(members[name], "phq9", phq9(last))
    revoke_consent(
        uow(), clock=clock, actor=members["withdrawn"], kind=ConsentKind.CARE_TEAM_SHARING
    )

    full = caseload(carmen, "PHQ-9")
    report = full.outcome

    assert (report.instrument_id, report.members, report.cases_at_start) == ("phq9", 3, 2)
    assert report.reliably_improved_pct == 33.3  # 1 of 3
    assert report.reliably_deteriorated_pct == 33.3  # 1 of 3
    assert report.recovered_pct == 50.0  # 1 of the 2 cases at start
    assert report.reliably_recovered_pct == 50.0
    assert report.mean_change == pytest.approx((-10 - 2 + 8) / 3)
    # d = mean(first - last) / SD(first) = (12 - 32/3) / 6
    assert report.cohens_d == pytest.approx((12 - 32 / 3) / 6)
    d, low, high = report.cohens_d, report.d_ci_low, report.d_ci_high
    assert d is not None
    assert low is not None
    assert high is not None
    assert low < d < high
    # Jacobson-Truax from the caseload's own baseline SD (6) and Kroenke's alpha (0.89).
    assert full.baseline_sd == pytest.approx(6.0)
    assert full.jacobson_truax_threshold == pytest.approx(1.96 * 6 * (2 * (1 - 0.89)) ** 0.5)
    assert full.reliable_change == 6


@pytest.mark.parametrize("instrument", ["phq2", "cssrs"])
def test_caseload_outcomes_need_an_instrument_with_reliable_change_criteria(
    caseload: Caseload, carmen: Account, instrument: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        caseload(carmen, instrument)

    assert refused.value.field == "instrument"


def test_only_clinicians_get_caseload_outcomes(
    caseload: Caseload, sam: Account, ada: Account
) -> None:
    for actor in (sam, ada):
        with pytest.raises(PermissionDenied):
            caseload(actor, "phq9")
