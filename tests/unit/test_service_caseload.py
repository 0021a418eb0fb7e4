"""The caseload at a glance and a member's alerts for the timeline: what the clinician sees of
each member, only for those who share, and every summary audited."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.alerts import AlertSource
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import NotFound, PermissionDenied
from haven.domain.people import Account
from haven.domain.risk import MessageRisk, RiskAssessment
from haven.services.alerts import acknowledge_alert, member_alerts
from haven.services.caseload import caseload_overview
from haven.services.records import write_journal_entry

Documents = dict[ConsentKind, ConsentDocument]


def phq9(total: int, *, item9: int = 0) -> list[int]:
    rest = total - item9
    return [min(3, max(0, rest - 3 * n)) for n in range(8)] + [item9]


def test_a_row_shows_the_latest_scores_with_their_change_and_band(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    enrol: Callable[..., None],
    submit: Callable[..., object],
) -> None:
    enrol(carmen, sam, "phq9", "gad7")
    submit(sam, "phq9", phq9(16))
    clock.advance(timedelta(days=14))
    submit(sam, "phq9", phq9(11))

    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)

    assert row.member.id == sam.id
    assert row.shares
    assert row.scores["phq9"].total == 11
    assert row.scores["phq9"].change == -5
    assert row.scores["phq9"].severity == "moderate"
    assert "gad7" not in row.scores
    assert row.last_active == clock.now()


def test_a_first_score_has_no_change(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    enrol: Callable[..., None],
    submit: Callable[..., object],
) -> None:
    enrol(carmen, sam, "phq9")
    submit(sam, "phq9", phq9(7))
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert row.scores["phq9"].change is None


def test_a_member_with_nothing_yet_was_never_active(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    assign: Callable[[Account, Account], None],
) -> None:
    assign(carmen, sam)
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert row.scores == {}
    assert row.last_active is None
    assert row.open_alert is None
    assert row.overdue == 0


def test_questionnaires_past_their_grace_period_count_as_overdue(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    enrol: Callable[..., None],
) -> None:
    enrol(carmen, sam, "phq9", "gad7")
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert row.overdue == 0
    clock.advance(timedelta(days=4))
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert row.overdue == 2


def test_the_most_urgent_open_alert_is_shown_and_acknowledged_ones_are_not(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    enrol: Callable[..., None],
    submit: Callable[..., object],
) -> None:
    enrol(carmen, sam, "phq9")
    submit(sam, "phq9", phq9(20, item9=2))
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert row.open_alert is not None
    assert row.open_alerts == 1
    [detail] = member_alerts(
        uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents
    )
    acknowledge_alert(
        uow(), clock=clock, actor=carmen, alert_id=detail.alert.id, documents=documents
    )
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert row.open_alert is None
    assert row.open_alerts == 0


def test_a_member_who_does_not_share_appears_by_name_alone(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    lucia: Account,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    assign(carmen, lucia)
    [row] = caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    assert not row.shares
    assert row.scores == {}
    assert row.last_active is None
    assert not [e for e in audit_trail() if e.action == "caseload.summary"]


def test_each_summarised_record_is_audited_under_the_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    assign(carmen, sam)
    caseload_overview(uow(), clock=clock, actor=carmen, documents=documents)
    summaries = [e for e in audit_trail() if e.action == "caseload.summary"]
    assert [(e.actor_id, e.subject_id, e.purpose) for e in summaries] == [
        (carmen.id, sam.id, "care-team-review")
    ]


def test_only_clinicians_see_a_caseload(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, ada: Account
) -> None:
    with pytest.raises(PermissionDenied):
        caseload_overview(uow(), clock=clock, actor=ada, documents=documents)


def test_member_alerts_bring_a_flagged_journal_entry_with_the_entries_before_it(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    assign(carmen, sam)

    def risk(text: str, context: Sequence[str]) -> RiskAssessment:
        if "end it" in text:
            return RiskAssessment(MessageRisk.HIGH, ("plan",), "A plan was mentioned.")
        return RiskAssessment(MessageRisk.NONE, (), "")

    for body in ("A long day.", "I want to end it."):
        clock.advance(timedelta(hours=1))
        write_journal_entry(
            uow(), clock=clock, actor=sam, member_id=sam.id, body=body,
            documents=documents, risk_check=risk,
        )  # fmt: skip

    [detail] = member_alerts(
        uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents
    )
    assert detail.alert.source is AlertSource.JOURNAL
    assert detail.trigger == "I want to end it."
    assert detail.context == ["A long day."]
    assert audit_trail()[-1].action == "alert.list_member"


def test_member_alerts_are_not_found_outside_the_care_team(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    carmen: Account,
    sam: Account,
) -> None:
    with pytest.raises(NotFound):
        member_alerts(uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents)
