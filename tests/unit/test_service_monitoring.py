"""Closing the monitoring loop with a fake detector: who gets a care-team alert, who gets the
companion's check-in, the rate limit, what the detector is given, and what a quiet run
writes (nothing)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.content import replies
from haven.domain.alerts import AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.record import Author
from haven.domain.deterioration import Reading
from haven.domain.instruments import RiskLevel
from haven.domain.monitoring import DeteriorationAlert, Finding
from haven.domain.people import Account
from haven.services.alerts import alert_detail
from haven.services.monitoring import MonitoringRun, run_monitoring
from haven.services.moods import check_in

Documents = dict[ConsentKind, ConsentDocument]
FINDINGS = (
    Finding("sleep_h", change=-2.1, days=5, usual=7.4, contribution=2.0),
    Finding("mood", change=-2.0, days=4, usual=6.5, contribution=1.6),
)


class FakeDetector:
    """Flags the members it is told to, on any day; remembers what it was given."""

    def __init__(self, *flagged: Account) -> None:
        self.flagged = [str(m.id) for m in flagged]
        self.calls: list[tuple[list[Reading], date]] = []

    def alerts_on(self, readings: Sequence[Reading], *, day: date) -> list[DeteriorationAlert]:
        self.calls.append((list(readings), day))
        return [DeteriorationAlert(m, day, 3.6, FINDINGS) for m in self.flagged]


@pytest.fixture
def run(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents
) -> Callable[[FakeDetector], MonitoringRun]:
    def run_it(detector: FakeDetector) -> MonitoringRun:
        return run_monitoring(
            uow, clock=clock, detector=detector, replies=replies(), documents=documents,
            rate_limit_days=14,
        )  # fmt: skip

    return run_it


def companion_messages(uow: InMemoryUnitOfWorkFactory, member: Account) -> list[str]:
    return [
        m.body
        for m in uow.store.committed.chat_messages
        if m.member_id == member.id and m.author is Author.COMPANION
    ]


def test_a_flagged_member_who_shares_gets_an_alert_that_explains_itself_and_a_check_in(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    assign(carmen, sam)
    result = run(FakeDetector(sam))
    assert result == MonitoringRun(members=1, flagged=1, checked_in=1, alerts=1, held=0)
    [alert] = uow.store.committed.alerts
    assert alert.source is AlertSource.DETERIORATION
    assert alert.level is RiskLevel.MODERATE
    detail = alert_detail(uow(), clock=clock, actor=carmen, alert_id=alert.id, documents=documents)
    assert detail.explanation == (
        "sleep 2.1 h below your usual on 5 of the last 7 nights; "
        "mood down 2.0 points on 4 of the last 7 days"
    )
    assert detail.trigger is None
    # A new member's conversation opens, as always, with the AI disclosure.
    disclosure, message = companion_messages(uow, sam)
    assert disclosure == replies().disclosure.first["en"]
    assert message.startswith(
        "I noticed your sleep has been about 2 hours shorter than usual this week and your "
        "mood has been a little lower. How are you doing?"
    )
    assert "care team" in message


def test_the_rate_limit_holds_a_second_alert_for_fourteen_days(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    sam: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    assign(carmen, sam)
    run(FakeDetector(sam))
    held = []
    for _ in range(13):
        clock.advance(timedelta(days=1))
        held.append(run(FakeDetector(sam)).held)
    assert held == [1] * 13
    assert len(uow.store.committed.alerts) == 1
    assert len(companion_messages(uow, sam)) == 2  # the disclosure and one check-in
    clock.advance(timedelta(days=1))
    assert run(FakeDetector(sam)).alerts == 1
    assert len(uow.store.committed.alerts) == 2


def test_a_member_who_does_not_share_gets_the_check_in_but_no_care_team_alert(
    uow: InMemoryUnitOfWorkFactory,
    lucia: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    assign(carmen, lucia)
    result = run(FakeDetector(lucia))
    assert (result.checked_in, result.alerts) == (1, 0)
    assert uow.store.committed.alerts == []
    [_, message] = companion_messages(uow, lucia)
    assert "sleep" in message
    assert "care team" not in message
    # The check-in alone still holds the next day's.
    assert run(FakeDetector(lucia)).held == 1


def test_the_check_in_joins_the_members_current_conversation_in_their_language(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    make_member: Callable[..., Account],
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    from haven.services.accounts import update_profile

    ana = make_member("ana@example.org")
    ana = update_profile(uow(), clock=clock, actor=ana, locale="es")
    from haven.services.conversations import start_conversation

    conversation = start_conversation(uow(), clock=clock, actor=ana, documents=documents)
    run(FakeDetector(ana))
    [message] = [m for m in uow.store.committed.chat_messages if m.member_id == ana.id]
    assert message.conversation_id == conversation.id
    assert message.body.startswith("Noté que has dormido unas 2 horas menos")


def test_a_run_that_flags_no_one_writes_nothing(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    before = len(uow.store.committed.audit)
    version = uow.store.version
    assert run(FakeDetector()) == MonitoringRun(
        members=1, flagged=0, checked_in=0, alerts=0, held=0
    )
    assert uow.store.version == version
    assert len(uow.store.committed.audit) == before


def test_the_detector_reads_moods_and_questionnaires_and_scores_yesterday(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    make_member: Callable[..., Account],
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    make_member("no-terms@example.org", consents=[])
    check_in(
        uow(), clock=clock, actor=sam, member_id=sam.id, rating=3, tags=(), note=None,
        documents=documents, risk_check=None,
    )  # fmt: skip
    detector = FakeDetector()
    assert run(detector).members == 1  # the member without the terms is not read
    [(readings, day)] = detector.calls
    assert readings == [Reading(str(sam.id), clock.now().replace(tzinfo=None), "mood", 3.0)]
    assert day == clock.now().date() - timedelta(days=1)


def test_the_member_answering_a_check_in_is_not_told_twice_that_haven_is_an_ai(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    run: Callable[[FakeDetector], MonitoringRun],
) -> None:
    from tests.unit.test_service_conversations import companion

    from haven.services.conversations import conversations_of, take_turn

    run(FakeDetector(sam))
    [(conversation, _)] = conversations_of(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents
    )
    clock.advance(timedelta(hours=2))
    reply = take_turn(
        uow(),
        clock=clock,
        actor=sam,
        conversation_id=conversation.id,
        text="not great, honestly",
        companion=companion(),
        documents=documents,
    )
    assert replies().disclosure.first["en"] not in reply.replies
