"""Mood check-ins: a member records how they feel; they and their care team read it back,
as a list and as a daily series for charts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.alerts import Alert, AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import PermissionDenied
from haven.domain.mood import (
    DailyMood,
    MoodCheckIn,
    check_note,
    check_rating,
    check_tags,
    daily_means,
)
from haven.domain.people import Account
from haven.domain.ports import Clock, RiskCheck, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit, escalation
from haven.services._access import open_member_record

__all__ = ["CheckedIn", "check_in", "mood_checkins", "mood_series"]

Documents = Mapping[ConsentKind, ConsentDocument]
_CONTEXT = 5  # earlier notes the risk check reads as context, as for the journal


@dataclass(frozen=True, slots=True)
class CheckedIn:
    """A saved check-in, and the care-team alert its note opened (None when it opened none:
    then the member need not be shown crisis resources)."""

    checkin: MoodCheckIn
    alert: Alert | None


def check_in(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    rating: int | None,
    tags: Iterable[str] = (),
    note: str | None = None,
    documents: Documents,
    risk_check: RiskCheck | None = None,
) -> CheckedIn:
    """Only the member checks in, with a rating 0 (worst) to 10 (best), tags from
    ``MOOD_TAGS`` and an optional note. With ``risk_check``, a note rated moderate or above
    (read after the member's recent notes) opens a care-team alert in the same transaction,
    exactly as a journal entry does."""
    checkin = MoodCheckIn(
        id=uuid.uuid4(),
        member_id=member_id,
        rating=check_rating(rating),
        tags=check_tags(tags),
        note=check_note(note),
        created_at=clock.now(),
    )
    alert = None
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        if actor.id != member_id:
            raise PermissionDenied(N_("Only the member can check in on their own mood."))
        # Context is read before the new check-in is added, oldest first.
        recent: list[str] = []
        if risk_check is not None and checkin.note is not None:
            recent = [
                c.note for c in uow.moods.latest(member_id, count=_CONTEXT) if c.note is not None
            ]
        uow.moods.add(checkin)
        if risk_check is not None and checkin.note is not None:
            alert = escalation.escalate_message(
                uow,
                member_id=member_id,
                source=AlertSource.MOOD_CHECKIN,
                source_id=checkin.id,
                risk=risk_check(checkin.note, recent),
                at=checkin.created_at,
            )
        _audit.record(
            uow,
            at=checkin.created_at,
            actor=actor,
            action="mood.write",
            purpose=purpose,
            subject_id=member_id,
            target_id=checkin.id,
        )
        uow.commit()
    return CheckedIn(checkin, alert)


def mood_checkins(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    documents: Documents,
    since: datetime | None = None,
) -> list[MoodCheckIn]:
    """The member's check-ins at or after ``since`` (all when None), oldest first: for the
    member, or a clinician in their care team while they share their record with it."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        checkins = uow.moods.for_member(member_id, since=since)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="mood.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return checkins


def mood_series(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    documents: Documents,
    since: datetime | None = None,
) -> list[DailyMood]:
    """Mood over time for a chart: the mean rating (0-10) of each UTC day with a check-in at
    or after ``since``, oldest first. Same access rules as ``mood_checkins``; no note is
    decrypted."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        ratings = uow.moods.ratings(member_id, since=since)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="mood.series",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return daily_means(ratings)
