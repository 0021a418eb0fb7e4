"""Telling people about alerts: the care team when one opens, a second contact when an urgent
one waits too long; notes and acknowledgements on the way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.adapters.memory.mailer import RecordingMailer
from haven.adapters.memory.webhook import RecordingWebhook
from haven.domain.alerts import Alert, AlertSource, EscalationPolicy
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, InvalidInput, NotFound
from haven.domain.instruments import RiskLevel
from haven.domain.people import Account, Role
from haven.services.alert_notices import NoticeRun, send_alert_notices
from haven.services.alerts import acknowledge_alert, add_alert_note, alert_detail, alert_queue

ITEM9 = [1, 1, 1, 1, 1, 1, 1, 1, 1]
Documents = dict[ConsentKind, ConsentDocument]
Notify = Callable[..., NoticeRun]


@pytest.fixture
def notify(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Notify:
    def run(
        *,
        mailer: RecordingMailer | None = None,
        webhook: RecordingWebhook | None = None,
        escalation_email: str | None = "oncall@clinic.example",
    ) -> NoticeRun:
        return send_alert_notices(
            uow, clock=clock, policy=EscalationPolicy(), documents=documents,
            public_url="https://haven.example", mailer=mailer, webhook=webhook,
            escalation_email=escalation_email,
        )  # fmt: skip

    return run


Queue = Callable[[Account], list[Alert]]


@pytest.fixture
def queue(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Queue:
    """Every alert a clinician can see, open or not."""
    return lambda clinician: alert_queue(
        uow(), clock=clock, actor=clinician, documents=documents, open_only=False
    )


@pytest.fixture
def flagged(
    enrol: Callable[..., None],
    submit: Callable[..., object],
    queue: Queue,
    carmen: Account,
    sam: Account,
) -> Alert:
    """Sam answered a PHQ-9 with item 9 above 0: one open high alert for Carmen's team."""
    enrol(carmen, sam, "phq9")
    submit(sam, "phq9", ITEM9)
    [alert] = queue(carmen)
    return alert


def test_the_care_team_is_told_once_by_email_and_webhook_without_personal_data(
    notify: Notify, flagged: Alert, queue: Queue, carmen: Account, sam: Account
) -> None:
    mailer, webhook = RecordingMailer(), RecordingWebhook()

    first = notify(mailer=mailer, webhook=webhook)
    again = notify(mailer=mailer, webhook=webhook)

    assert (first.notified, again.notified) == (1, 0)
    [email] = mailer.sent
    assert email.to == carmen.email
    assert "high" in email.subject
    assert "Sam" not in email.body
    assert "PHQ" not in email.body
    [event] = webhook.events
    assert event["event"] == "alert.opened"
    assert event["alert_id"] == str(flagged.id)
    assert str(sam.id) not in str(event)
    assert queue(carmen)[0].notified_at is not None


def test_a_failing_channel_leaves_the_alert_for_the_next_run(
    notify: Notify, flagged: Alert, queue: Queue, carmen: Account
) -> None:
    failed = notify(mailer=RecordingMailer(), webhook=RecordingWebhook(fail=True))

    assert (failed.notified, failed.failed) == (0, 1)
    assert queue(carmen)[0].notified_at is None
    assert notify(mailer=RecordingMailer(), webhook=RecordingWebhook()).notified == 1


def test_an_unacknowledged_high_alert_escalates_after_four_hours_once(
    notify: Notify, flagged: Alert, queue: Queue, clock: ManualClock, carmen: Account
) -> None:
    mailer = RecordingMailer()
    notify(mailer=mailer)
    clock.advance(timedelta(hours=3, minutes=59))
    assert notify(mailer=mailer).escalated == 0

    clock.advance(timedelta(minutes=1))
    escalated = notify(mailer=mailer)
    later = notify(mailer=mailer)

    assert (escalated.escalated, later.escalated) == (1, 0)
    assert [m.to for m in mailer.sent] == [carmen.email, "oncall@clinic.example"]
    assert queue(carmen)[0].escalated_at == clock.now()


def test_an_acknowledged_alert_never_escalates(
    notify: Notify,
    flagged: Alert,
    clock: ManualClock,
    carmen: Account,
    uow: InMemoryUnitOfWorkFactory,
    documents: Documents,
) -> None:
    acknowledge_alert(uow(), clock=clock, actor=carmen, alert_id=flagged.id, documents=documents)
    clock.advance(timedelta(days=1))

    assert notify(mailer=RecordingMailer()).escalated == 0


def test_the_policy_escalates_imminent_in_15_minutes_and_never_low_or_moderate() -> None:
    policy = EscalationPolicy()
    opened = ManualClock().now()

    def alert(level: RiskLevel) -> Alert:
        return Alert(uuid4(), uuid4(), AlertSource.ASSESSMENT, uuid4(), level, (), opened)

    assert policy.due(alert(RiskLevel.IMMINENT), now=opened + timedelta(minutes=15))
    assert not policy.due(alert(RiskLevel.IMMINENT), now=opened + timedelta(minutes=14))
    assert not policy.due(alert(RiskLevel.MODERATE), now=opened + timedelta(days=30))
    assert not policy.due(alert(RiskLevel.LOW), now=opened + timedelta(days=30))


def test_clinicians_note_and_acknowledge_with_a_note_and_read_them_back(
    flagged: Alert,
    carmen: Account,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    make_staff: Callable[[Role, str], Account],
    audit_trail: Callable[[], list[object]],
) -> None:
    add_alert_note(
        uow(), clock=clock, actor=carmen, alert_id=flagged.id, body="Called Sam; safe tonight.",
        documents=documents,
    )  # fmt: skip
    clock.advance(timedelta(minutes=5))
    acknowledge_alert(
        uow(), clock=clock, actor=carmen, alert_id=flagged.id, documents=documents,
        note="Safety plan reviewed together.",
    )  # fmt: skip

    detail = alert_detail(
        uow(), clock=clock, actor=carmen, alert_id=flagged.id, documents=documents
    )
    alert, notes = detail.alert, detail.notes
    assert (detail.trigger, detail.context) == (None, [])
    assert not alert.open
    assert [n.body for n in notes] == [
        "Called Sam; safe tonight.",
        "Safety plan reviewed together.",
    ]
    assert {n.author_id for n in notes} == {carmen.id}
    with pytest.raises(Conflict):
        acknowledge_alert(
            uow(), clock=clock, actor=carmen, alert_id=flagged.id, documents=documents
        )
    with pytest.raises(InvalidInput):
        add_alert_note(
            uow(), clock=clock, actor=carmen, alert_id=flagged.id, body="  ", documents=documents
        )
    stranger = make_staff(Role.CLINICIAN, "far@example.org")
    with pytest.raises(NotFound):
        alert_detail(uow(), clock=clock, actor=stranger, alert_id=flagged.id, documents=documents)
