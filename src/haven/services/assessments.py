"""Questionnaires: a member answers one that was assigned, Haven scores it exactly and routes
any dangerous answer to the care team; members and their care team read the results."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from haven.domain.access import Purpose
from haven.domain.answers import answers_from_sequence
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haven.domain.instruments import Instrument
from haven.domain.people import Account
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.scoring import Assessment, Score, score
from haven.domain.text import N_
from haven.services import _audit, escalation
from haven.services._access import open_member_record

__all__ = [
    "Answers",
    "assessment",
    "assessments_of",
    "find_instrument",
    "record_imported_response",
    "submit_assessment",
]

Documents = Mapping[ConsentKind, ConsentDocument]
Instruments = Mapping[str, Instrument]
# Item-keyed answers, or answers in printed order (None for a skipped question).
Answers = Mapping[str, int] | Sequence[int | None]

# Clocks drift; a record "from the future" by more than this is a mistake, not skew.
_CLOCK_SKEW = timedelta(minutes=5)


def find_instrument(instruments: Instruments, instrument_id: str) -> Instrument:
    """Look an instrument up by id, name or alias, forgiving case and punctuation ("PHQ-9",
    "phq 9" and ``phq9`` are one instrument)."""
    key = _plain(instrument_id)
    for instrument in instruments.values():
        names = (instrument.id, instrument.short_name, *instrument.aliases)
        if key in {_plain(name) for name in names}:
            return instrument
    raise InvalidInput(
        N_("There is no instrument called {instrument}; choose one of {known}."),
        field="instrument",
        instrument=instrument_id[:40],
        known=", ".join(instruments),
    )


def _plain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _item_keyed(instrument: Instrument, answers: Answers) -> Mapping[str, int]:
    if isinstance(answers, Mapping):
        return answers
    return answers_from_sequence(instrument, list(answers))


def submit_assessment(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    instrument_id: str,
    answers: Answers,
    instruments: Instruments,
    documents: Documents,
) -> Assessment:
    """Score and store a member's answers to a questionnaire their care team assigned.

    Everything is checked before anything is written; the result, any alert it raises and
    the audit entry land in one transaction.
    """
    instrument = find_instrument(instruments, instrument_id)
    keyed = _item_keyed(instrument, answers)
    result = score(instrument=instrument, answers=keyed)
    now = clock.now()
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        if actor.id != member_id:
            raise PermissionDenied(N_("Only the member answers their own questionnaires."))
        assigned = {s.instrument_id for s in uow.schedules.for_member(member_id)}
        if instrument.id not in assigned:
            raise InvalidInput(
                N_("{instrument} has not been assigned to you by your care team."),
                field="instrument",
                instrument=instrument.short_name,
            )
        assessment = _store(
            uow,
            instrument=instrument,
            result=result,
            answers=keyed,
            member_id=member_id,
            submitted_at=now,
            source="haven",
            actor=actor,
            purpose=purpose,
            now=now,
        )
        uow.commit()
    return assessment


def record_imported_response(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    instrument_id: str,
    answers: Mapping[str, int],
    authored: datetime | None,
    instruments: Instruments,
    documents: Documents,
) -> Assessment:
    """Store a questionnaire answered elsewhere (a FHIR QuestionnaireResponse from a health
    record), scored by Haven's own rules; importing the same response twice is refused."""
    instrument = find_instrument(instruments, instrument_id)
    result = score(instrument=instrument, answers=answers)
    now = clock.now()
    # The date is what tells one administration from a re-sent copy, and what places the
    # result on the member's trajectory, so an undated response cannot be imported.
    if authored is None or authored.tzinfo is None:
        raise InvalidInput(
            N_("The response needs the date and time it was completed, with its time zone."),
            field="authored",
        )
    submitted_at = authored
    if submitted_at > now + _CLOCK_SKEW:
        raise InvalidInput(N_("The response is dated in the future."), field="authored")
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        for earlier in uow.assessments.for_member(member_id, instrument_id=instrument.id):
            if earlier.submitted_at == submitted_at and dict(earlier.answers) == dict(answers):
                raise Conflict(N_("This response has already been imported."))
        assessment = _store(
            uow,
            instrument=instrument,
            result=result,
            answers=answers,
            member_id=member_id,
            submitted_at=submitted_at,
            source="fhir",
            actor=actor,
            purpose=purpose,
            now=now,
        )
        uow.commit()
    return assessment


def _store(
    uow: UnitOfWork,
    *,
    instrument: Instrument,
    result: Score,
    answers: Mapping[str, int],
    member_id: UUID,
    submitted_at: datetime,
    source: str,
    actor: Account,
    purpose: Purpose,
    now: datetime,
) -> Assessment:
    """Write a scored result, open the alert its flags call for, and audit it, all inside
    the caller's transaction."""
    assessment = Assessment(
        id=uuid.uuid4(),
        member_id=member_id,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers=dict(answers),
        raw_total=result.raw_total,
        total=result.total,
        severity=result.severity,
        flags=tuple(flag.code for flag in result.flags),
        submitted_at=submitted_at,
        source=source,
    )
    uow.assessments.add(assessment)
    escalation.escalate_assessment(uow, assessment=assessment, flags=result.flags, at=now)
    _audit.record(
        uow,
        at=now,
        actor=actor,
        action="assessment.import" if source == "fhir" else "assessment.submit",
        purpose=purpose,
        subject_id=member_id,
        target_id=assessment.id,
    )
    return assessment


def assessments_of(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    documents: Documents,
    instrument_id: str | None = None,
) -> list[Assessment]:
    """A member's results, oldest first, for the member or their care team."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        found = uow.assessments.for_member(member_id, instrument_id=instrument_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="assessment.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return found


def assessment(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    assessment_id: UUID,
    documents: Documents,
) -> Assessment:
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        found = uow.assessments.get(member_id=member_id, assessment_id=assessment_id)
        if found is None:
            raise NotFound(N_("No questionnaire result with that id."))
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="assessment.read",
            purpose=purpose,
            subject_id=member_id,
            target_id=assessment_id,
        )
        uow.commit()
    return found
