"""Closing the monitoring loop: run the deterioration detector on what is stored, tell the
care team, and have the companion check in with the member.

Run once a day from cron (``haven monitor run``). The detector scores yesterday, the last
whole day (today's steps are still being counted), for every member who has accepted the
terms of use, from the last ``HISTORY`` of their wearable readings, mood ratings and PHQ-9
and GAD-7 totals. For each member it flags:

1. the companion writes a check-in into the member's current conversation, worded from
   reviewed phrases, which they read next time they open the chat;
2. if the member shares their record with a care team, an alert opens in the same queue as
   risk alerts (source ``deterioration``, level moderate), its findings kept as codes, so
   ``haven alerts notify`` tells the care team like any other alert.

At most one of each per member per ``DetectorPolicy.rate_limit_days``: a worsening that lasts
weeks keeps the rule firing every day, and a daily message or alert would soon be ignored.
Each member is handled in their own transaction, so one failure does not undo the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from uuid import UUID
from zoneinfo import ZoneInfo

from haven.domain.access import Purpose
from haven.domain.alerts import Alert, AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind, current_grants
from haven.domain.conversation.record import Author, ChatMessage, Conversation
from haven.domain.conversation.replies import Replies
from haven.domain.conversation.state import DialogueState
from haven.domain.deterioration import (
    Reading,
    check_in_message,
    findings_from,
    signal_codes,
)
from haven.domain.instruments import RiskLevel
from haven.domain.monitoring import QUESTIONNAIRES, DeteriorationAlert
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, DeteriorationDetector, UnitOfWork, UnitOfWorkFactory
from haven.services import _audit

__all__ = ["CHECK_IN_ACTION", "HISTORY", "MonitoringRun", "run_monitoring"]

Documents = Mapping[ConsentKind, ConsentDocument]

# The detector's baseline is the 42 days before the last 7, and a questionnaire's is the
# three answers before the latest (fortnightly: six weeks); ten weeks covers both.
HISTORY = timedelta(days=70)
CHECK_IN_ACTION = "monitoring.check_in"
ALERT_ACTION = "monitoring.alert"
# Moderate, not high: a sustained worsening asks for a timely check-in by the care team, not
# the urgent response (and the escalation to a second contact) that risk of harm does. It
# sits in the queue beside risk alerts, which rank above it.
LEVEL = RiskLevel.MODERATE


@dataclass(frozen=True, slots=True)
class MonitoringRun:
    members: int  # members whose data was read
    flagged: int  # members the detector flagged for the day
    checked_in: int  # companion check-ins written
    alerts: int  # care-team alerts opened
    held: int  # flagged but within the rate limit of an earlier check-in or alert


def run_monitoring(
    uows: UnitOfWorkFactory,
    *,
    clock: Clock,
    detector: DeteriorationDetector,
    replies: Replies,
    documents: Documents,
    rate_limit_days: int,
) -> MonitoringRun:
    """Score yesterday for every member and act on each alert (see the module docstring)."""
    now = clock.now()
    day = (now.astimezone(UTC) - timedelta(days=1)).date()
    with uows() as uow:
        members = [
            m
            for m in uow.accounts.list(role=Role.MEMBER)
            if ConsentKind.TERMS_OF_USE in current_grants(uow.consents.for_account(m.id), documents)
        ]
        readings = _readings(uow, members, since=now - HISTORY)
    flagged = detector.alerts_on(readings, day=day)
    by_id = {str(m.id): m for m in members}
    checked_in = opened = held = 0
    window = timedelta(days=rate_limit_days)
    for alert in flagged:
        member = by_id.get(alert.member_id)
        if member is None:
            continue
        with uows() as uow:
            if _recently_acted(uow, member.id, since=now - window):
                held += 1
                continue
            opened += _close_the_loop(uow, member, alert, replies, documents, now)
            checked_in += 1
            uow.commit()
    return MonitoringRun(
        members=len(members), flagged=len(flagged), checked_in=checked_in, alerts=opened, held=held
    )


def _zone(uow: UnitOfWork, member_id: UUID) -> tzinfo:
    """The member's time zone as they gave it for reminders, else UTC: mood ratings and
    questionnaires are stored in UTC, and a day is the day the member lived."""
    reminder = uow.checkin_reminders.get(member_id)
    return ZoneInfo(reminder.zone) if reminder is not None else UTC


def _readings(uow: UnitOfWork, members: Sequence[Account], *, since: datetime) -> list[Reading]:
    ids = [m.id for m in members]
    readings = [
        # Wearable times keep the offset their file gave: their wall clock is the local day.
        Reading(str(o.member_id), o.start_at.replace(tzinfo=None), o.metric, o.value)
        for o in uow.wearables.for_members(ids, since=since)
    ]
    zones = {m.id: _zone(uow, m.id) for m in members}
    for member_id in ids:
        readings += [
            Reading(str(member_id), _local(at, zones[member_id]), "mood", float(rating))
            for at, rating in uow.moods.ratings(member_id, since=since)
        ]
    for instrument in QUESTIONNAIRES:
        for member_id, totals in uow.assessments.totals(ids, instrument_id=instrument).items():
            readings += [
                Reading(str(member_id), _local(at, zones[member_id]), instrument, float(total))
                for at, total in totals
                if at >= since
            ]
    return readings


def _local(at: datetime, zone: tzinfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def _recently_acted(uow: UnitOfWork, member_id: UUID, *, since: datetime) -> bool:
    """A deterioration alert or a companion check-in for this member after ``since`` (one
    exactly a window ago no longer holds the next, as in ``monitoring.rate_limit``)."""
    alerted = any(
        a.source is AlertSource.DETERIORATION and a.created_at > since
        for a in uow.alerts.for_members([member_id], open_only=False)
    )
    return alerted or any(
        e.event.action == CHECK_IN_ACTION and e.event.at > since for e in uow.audit.about(member_id)
    )


def _shares_with_care_team(uow: UnitOfWork, member_id: UUID, documents: Documents) -> bool:
    grants = current_grants(uow.consents.for_account(member_id), documents)
    return ConsentKind.CARE_TEAM_SHARING in grants and bool(uow.care_teams.clinicians_of(member_id))


def _close_the_loop(
    uow: UnitOfWork,
    member: Account,
    found: DeteriorationAlert,
    replies: Replies,
    documents: Documents,
    now: datetime,
) -> int:
    """Open the care team's alert (if the member shares) and write the companion's check-in;
    1 if an alert was opened."""
    codes = signal_codes(found)
    alert: Alert | None = None
    if _shares_with_care_team(uow, member.id, documents):
        alert = Alert(
            id=uuid.uuid4(),
            member_id=member.id,
            source=AlertSource.DETERIORATION,
            # The alert stands for the member's day; no single record raised it.
            source_id=uuid.uuid5(member.id, found.day.isoformat()),
            level=LEVEL,
            signals=codes,
            created_at=now,
        )
        uow.alerts.add(alert)
        _audit.record(
            uow,
            at=now,
            actor=None,
            action=ALERT_ACTION,
            purpose=Purpose.CARE_TEAM_REVIEW,
            subject_id=member.id,
            target_id=alert.id,
        )
    text = check_in_message(
        findings_from(codes),
        words=replies.check_in,
        lang=member.locale.split("-")[0],
        team_told=alert is not None,
    )
    conversation = _current_conversation(uow, member, replies, now)
    _say(uow, conversation, [text], now)
    _audit.record(
        uow,
        at=now,
        actor=None,
        action=CHECK_IN_ACTION,
        purpose=Purpose.SELF_CARE,
        subject_id=member.id,
        target_id=conversation.id,
    )
    return 0 if alert is None else 1


def _current_conversation(
    uow: UnitOfWork, member: Account, replies: Replies, now: datetime
) -> Conversation:
    """The conversation the chat page opens (the newest), or a new one that starts, as every
    conversation does, with the companion saying it is an AI."""
    found = uow.conversations.for_member(member.id)
    if found:
        return found[0]
    earlier = DialogueState()
    conversation = Conversation(id=uuid.uuid4(), member_id=member.id, started_at=now)
    uow.conversations.add(conversation, earlier)
    disclosure = replies.disclosure.first
    _say(uow, conversation, [disclosure.get(member.locale.split("-")[0], disclosure["en"])], now)
    return conversation


def _say(uow: UnitOfWork, conversation: Conversation, texts: Sequence[str], now: datetime) -> None:
    seq = uow.conversations.message_count(conversation.id)
    uow.conversations.add_messages(
        [
            ChatMessage(
                id=uuid.uuid4(),
                conversation_id=conversation.id,
                member_id=conversation.member_id,
                seq=seq + 1 + n,
                author=Author.COMPANION,
                body=text,
                at=now,
            )
            for n, text in enumerate(texts)
        ]
    )
