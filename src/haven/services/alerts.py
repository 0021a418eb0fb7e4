"""The care team's alert queue: what needs a clinician, reading one with its notes, adding a
note, and acknowledging it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.alerts import Alert, AlertNote, AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.record import Author
from haven.domain.deterioration import explanation_of
from haven.domain.errors import Conflict, NotFound
from haven.domain.journal import check_free_text
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit
from haven.services._access import open_member_record, shared_caseload

__all__ = [
    "AlertDetail",
    "acknowledge_alert",
    "add_alert_note",
    "alert_detail",
    "alert_queue",
    "member_alerts",
]

Documents = Mapping[ConsentKind, ConsentDocument]
ALERT_NOT_FOUND = N_("No alert with that id is visible to you.")
_CONTEXT = 5  # earlier entries shown around a flagged one


def alert_queue(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    documents: Documents,
    open_only: bool = True,
) -> list[Alert]:
    """Alerts about the members who share their records with this clinician, newest first,
    the most urgent level first among those open."""
    require_role(actor, Role.CLINICIAN)
    with uow:
        found = uow.alerts.for_members(
            shared_caseload(uow, clinician=actor, documents=documents), open_only=open_only
        )
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="alert.list",
            purpose=Purpose.CARE_TEAM_REVIEW,
        )
        uow.commit()
    return sorted(found, key=lambda a: (not a.open, -a.level.rank))


def _open_alert(
    uow: UnitOfWork, *, actor: Account, alert_id: UUID, documents: Documents
) -> tuple[Alert, Purpose]:
    """The alert, if ``actor`` may see its member's record; otherwise "not found"."""
    require_role(actor, Role.CLINICIAN)
    alert = uow.alerts.get(alert_id)
    if alert is None:
        raise NotFound(ALERT_NOT_FOUND)
    try:
        purpose = open_member_record(
            uow, actor=actor, member_id=alert.member_id, documents=documents
        )
    except NotFound:
        raise NotFound(ALERT_NOT_FOUND) from None
    return alert, purpose


@dataclass(frozen=True, slots=True)
class AlertDetail:
    alert: Alert
    notes: list[AlertNote]  # oldest first
    trigger: str | None  # the member's words that raised it, for a message alert
    context: list[str]  # the member's entries just before it, oldest first

    @property
    def explanation(self) -> str | None:
        """What changed, for a deterioration alert, worded from its finding codes (numbers
        only: nothing the member wrote)."""
        if self.alert.source is AlertSource.DETERIORATION:
            return explanation_of(self.alert.signals)
        return None


def alert_detail(
    uow: UnitOfWork, *, clock: Clock, actor: Account, alert_id: UUID, documents: Documents
) -> AlertDetail:
    """One alert with the care team's notes on it and, for a flagged message, the member's
    words in their context; reading it is audited."""
    with uow:
        alert, purpose = _open_alert(uow, actor=actor, alert_id=alert_id, documents=documents)
        notes = uow.alerts.notes(alert_id)
        trigger, context = _member_words(uow, alert)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="alert.read",
            purpose=purpose,
            subject_id=alert.member_id,
            target_id=alert_id,
        )
        uow.commit()
    return AlertDetail(alert, notes, trigger, context)


def member_alerts(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> list[AlertDetail]:
    """Every alert about one member of the clinician's care team, newest first, each with its
    notes and, for a flagged message, the member's words in their context (one audited read,
    for the member's timeline)."""
    require_role(actor, Role.CLINICIAN)
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        found = sorted(
            uow.alerts.for_members([member_id], open_only=False),
            key=lambda a: a.created_at,
            reverse=True,
        )
        details = [
            AlertDetail(alert, uow.alerts.notes(alert.id), *_member_words(uow, alert))
            for alert in found
        ]
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="alert.list_member",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return details


def add_alert_note(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    alert_id: UUID,
    body: str,
    documents: Documents,
) -> AlertNote:
    """A clinician records what they did about an alert (a call made, a plan agreed)."""
    check_free_text(body, field="body")
    now = clock.now()
    with uow:
        alert, purpose = _open_alert(uow, actor=actor, alert_id=alert_id, documents=documents)
        note = _note(alert, actor, body, now)
        uow.alerts.add_note(note)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="alert.note",
            purpose=purpose,
            subject_id=alert.member_id,
            target_id=alert_id,
        )
        uow.commit()
    return note


def acknowledge_alert(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    alert_id: UUID,
    documents: Documents,
    note: str | None = None,
) -> Alert:
    """A clinician in the member's care team takes an alert off the open queue, optionally
    saying what they did, in the same transaction."""
    if note is not None:
        check_free_text(note, field="note")
    now = clock.now()
    with uow:
        alert, purpose = _open_alert(uow, actor=actor, alert_id=alert_id, documents=documents)
        if not alert.open:
            raise Conflict(N_("This alert has already been acknowledged."))
        uow.alerts.acknowledge(alert_id, by=actor.id, at=now)
        if note is not None:
            uow.alerts.add_note(_note(alert, actor, note, now))
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="alert.acknowledge",
            purpose=purpose,
            subject_id=alert.member_id,
            target_id=alert_id,
        )
        uow.commit()
        acknowledged = uow.alerts.get(alert_id)
    assert acknowledged is not None
    return acknowledged


def _note(alert: Alert, actor: Account, body: str, at: datetime) -> AlertNote:
    return AlertNote(
        id=uuid.uuid4(),
        alert_id=alert.id,
        member_id=alert.member_id,
        author_id=actor.id,
        body=body,
        created_at=at,
    )


def _member_words(uow: UnitOfWork, alert: Alert) -> tuple[str | None, list[str]]:
    """The member's words that raised a message alert and their entries just before it."""
    if alert.source is AlertSource.JOURNAL:
        entries = uow.journal.for_member(alert.member_id)
        position = next((n for n, e in enumerate(entries) if e.id == alert.source_id), None)
        if position is None:
            return None, []
        earlier = entries[max(0, position - _CONTEXT) : position]
        return entries[position].body, [e.body for e in earlier]
    if alert.source is AlertSource.CONVERSATION:
        return _conversation_trigger(uow, alert)
    if alert.source is AlertSource.MOOD_CHECKIN:
        checkins = uow.moods.for_member(alert.member_id)
        at = next((n for n, c in enumerate(checkins) if c.id == alert.source_id), None)
        if at is None:
            return None, []
        before = checkins[max(0, at - _CONTEXT) : at]
        return checkins[at].note, [c.note for c in before if c.note is not None]
    return None, []


def _conversation_trigger(uow: UnitOfWork, alert: Alert) -> tuple[str | None, list[str]]:
    """The flagged chat message and the member's messages just before it."""
    for conversation in uow.conversations.for_member(alert.member_id):
        messages = uow.conversations.messages(
            member_id=alert.member_id, conversation_id=conversation.id
        )
        position = next((n for n, m in enumerate(messages) if m.id == alert.source_id), None)
        if position is not None:
            earlier = [m.body for m in messages[:position] if m.author is Author.MEMBER]
            return messages[position].body, earlier[-_CONTEXT:]
    return None, []
