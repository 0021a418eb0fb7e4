"""Journal entries and clinician notes: writing and reading a member's free text."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from haven.domain.access import require_role
from haven.domain.alerts import AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import NotFound, PermissionDenied
from haven.domain.journal import JournalEntry, check_free_text
from haven.domain.notes import ClinicianNote
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, RiskCheck, UnitOfWork
from haven.domain.risk import RiskAssessment
from haven.domain.text import N_
from haven.services import _audit, escalation
from haven.services._access import open_member_record

__all__ = [
    "WrittenEntry",
    "journal_entries",
    "journal_entry",
    "notes_about",
    "write_checked_journal_entry",
    "write_journal_entry",
    "write_note",
]

Documents = Mapping[ConsentKind, ConsentDocument]
_CONTEXT = 5  # earlier entries the risk check reads as context


@dataclass(frozen=True, slots=True)
class WrittenEntry:
    """A saved journal entry, what the risk check made of it, and the alert it opened."""

    entry: JournalEntry
    risk: RiskAssessment | None  # None when no check was asked for
    alert_id: UUID | None


def write_journal_entry(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    body: str,
    documents: Documents,
    risk_check: RiskCheck | None = None,
) -> JournalEntry:
    """Only the member writes in their own journal. With ``risk_check``, an entry rated
    moderate or above (read after the member's recent entries) opens a care-team alert in
    the same transaction."""
    return write_checked_journal_entry(
        uow,
        clock=clock,
        actor=actor,
        member_id=member_id,
        body=body,
        documents=documents,
        risk_check=risk_check,
    ).entry


def write_checked_journal_entry(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    body: str,
    documents: Documents,
    risk_check: RiskCheck | None = None,
) -> WrittenEntry:
    """As ``write_journal_entry``, also saying how risky the entry read, so the page can put
    crisis lines in front of the member at once."""
    check_free_text(body, field="body")
    entry = JournalEntry(id=uuid.uuid4(), member_id=member_id, body=body, created_at=clock.now())
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        if actor.id != member_id:
            raise PermissionDenied(N_("Only the member can write in their own journal."))
        # Context is read before the new entry is added, oldest first.
        recent = []
        if risk_check is not None:
            recent = [e.body for e in uow.journal.latest(member_id, count=_CONTEXT)]
        uow.journal.add(entry)
        risk = alert = None
        if risk_check is not None:
            risk = risk_check(body, recent)
            alert = escalation.escalate_message(
                uow,
                member_id=member_id,
                source=AlertSource.JOURNAL,
                source_id=entry.id,
                risk=risk,
                at=entry.created_at,
            )
        _audit.record(
            uow,
            at=entry.created_at,
            actor=actor,
            action="journal.write",
            purpose=purpose,
            subject_id=member_id,
            target_id=entry.id,
        )
        uow.commit()
    return WrittenEntry(entry=entry, risk=risk, alert_id=alert.id if alert else None)


def journal_entries(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> list[JournalEntry]:
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        entries = uow.journal.for_member(member_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="journal.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return entries


def journal_entry(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    entry_id: UUID,
    documents: Documents,
) -> JournalEntry:
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        entry = uow.journal.get(member_id=member_id, entry_id=entry_id)
        if entry is None:
            raise NotFound(N_("No journal entry with that id."))
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="journal.read",
            purpose=purpose,
            subject_id=member_id,
            target_id=entry_id,
        )
        uow.commit()
    return entry


def write_note(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    body: str,
    documents: Documents,
) -> ClinicianNote:
    """A clinician in the member's care team writes a note about them."""
    require_role(actor, Role.CLINICIAN)
    check_free_text(body, field="body")
    note = ClinicianNote(
        id=uuid.uuid4(), member_id=member_id, author_id=actor.id, body=body, created_at=clock.now()
    )
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        uow.notes.add(note)
        _audit.record(
            uow,
            at=note.created_at,
            actor=actor,
            action="note.write",
            purpose=purpose,
            subject_id=member_id,
            target_id=note.id,
        )
        uow.commit()
    return note


def notes_about(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> list[ClinicianNote]:
    require_role(actor, Role.CLINICIAN)
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        notes = uow.notes.for_member(member_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="note.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return notes
