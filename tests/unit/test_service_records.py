"""Journal entries and clinician notes: who may write and read them, and the audit trail
every read and write leaves."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.adapters.memory.repositories import InMemoryAuditLog
from haven.domain.audit import AuditEntry, AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import ConsentRequired, InvalidInput, NotFound, PermissionDenied
from haven.domain.journal import JournalEntry
from haven.domain.people import Account
from haven.services.consents import revoke_consent
from haven.services.records import (
    journal_entries,
    journal_entry,
    notes_about,
    write_journal_entry,
    write_note,
)

Documents = dict[ConsentKind, ConsentDocument]
Write = Callable[[Account, UUID, str], JournalEntry]
Read = Callable[[Account, UUID], list[JournalEntry]]


@pytest.fixture
def write(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Write:
    """``write(actor, member_id, body)``: write in a member's journal, a minute after the
    last write, so that entries have a clear order."""

    def write_entry(actor: Account, member_id: UUID, body: str) -> JournalEntry:
        clock.advance(timedelta(minutes=1))
        return write_journal_entry(
            uow(), clock=clock, actor=actor, member_id=member_id, body=body, documents=documents
        )

    return write_entry


@pytest.fixture
def read(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> Read:
    """``read(actor, member_id)``: list a member's journal."""

    def read_journal(actor: Account, member_id: UUID) -> list[JournalEntry]:
        return journal_entries(
            uow(), clock=clock, actor=actor, member_id=member_id, documents=documents
        )

    return read_journal


def test_a_member_writes_in_their_journal_and_reads_it_back(
    write: Write, read: Read, sam: Account
) -> None:
    first = write(sam, sam.id, "Slept badly.")
    second = write(sam, sam.id, "The walk at lunch helped.")

    assert read(sam, sam.id) == [first, second]
    assert [e.body for e in read(sam, sam.id)] == ["Slept badly.", "The walk at lunch helped."]


def test_a_member_reads_one_entry_by_its_id(
    write: Write,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
) -> None:
    entry = write(sam, sam.id, "Slept badly.")

    found = journal_entry(
        uow(), clock=clock, actor=sam, member_id=sam.id, entry_id=entry.id, documents=documents
    )

    assert found == entry


def test_a_member_who_has_not_accepted_the_terms_cannot_use_the_journal(
    write: Write, read: Read, make_member: Callable[..., Account]
) -> None:
    newcomer = make_member("new@example.org", consents=[])

    with pytest.raises(ConsentRequired) as on_write:
        write(newcomer, newcomer.id, "Hello")
    with pytest.raises(ConsentRequired) as on_read:
        read(newcomer, newcomer.id)

    assert on_write.value.missing == on_read.value.missing == ["terms_of_use"]


def test_a_member_cannot_read_another_members_journal(
    write: Write, read: Read, sam: Account, lucia: Account
) -> None:
    write(sam, sam.id, "Private.")

    with pytest.raises(NotFound):
        read(lucia, sam.id)


def test_a_member_cannot_reach_another_members_entry_through_their_own_record(
    write: Write,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    lucia: Account,
) -> None:
    entry = write(sam, sam.id, "Private.")

    with pytest.raises(NotFound):
        journal_entry(
            uow(),
            clock=clock,
            actor=lucia,
            member_id=lucia.id,
            entry_id=entry.id,
            documents=documents,
        )


def test_a_member_cannot_write_in_another_members_journal(
    write: Write, read: Read, sam: Account, lucia: Account
) -> None:
    with pytest.raises(NotFound):
        write(lucia, sam.id, "Hello")

    assert read(sam, sam.id) == []


def test_a_clinician_reads_the_journal_of_an_assigned_member_who_shares(
    write: Write,
    read: Read,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> None:
    entry = write(sam, sam.id, "Slept badly.")
    assign(carmen, sam)

    assert read(carmen, sam.id) == [entry]


def test_a_clinician_outside_the_care_team_is_told_there_is_no_such_member(
    write: Write, read: Read, sam: Account, carmen: Account
) -> None:
    write(sam, sam.id, "Slept badly.")

    with pytest.raises(NotFound):
        read(carmen, sam.id)


def test_a_clinician_asking_for_a_made_up_member_id_gets_the_same_answer(
    read: Read, carmen: Account
) -> None:
    with pytest.raises(NotFound):
        read(carmen, uuid.uuid4())


def test_a_clinician_is_refused_when_the_member_does_not_share_with_the_care_team(
    read: Read, assign: Callable[[Account, Account], None], lucia: Account, carmen: Account
) -> None:
    assign(carmen, lucia)

    with pytest.raises(PermissionDenied):
        read(carmen, lucia.id)


def test_withdrawing_sharing_consent_cuts_the_care_team_off_at_once(
    read: Read,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)
    read(carmen, sam.id)

    revoke_consent(uow(), clock=clock, actor=sam, kind=ConsentKind.CARE_TEAM_SHARING)

    with pytest.raises(PermissionDenied):
        read(carmen, sam.id)


def test_a_clinician_cannot_write_in_a_members_journal(
    write: Write,
    read: Read,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)

    with pytest.raises(PermissionDenied):
        write(carmen, sam.id, "Written by someone else.")
    assert read(sam, sam.id) == []


def test_an_administrator_cannot_read_clinical_content(
    write: Write, read: Read, sam: Account, ada: Account
) -> None:
    write(sam, sam.id, "Slept badly.")

    with pytest.raises(PermissionDenied):
        read(ada, sam.id)


def test_a_clinician_writes_and_reads_notes_about_an_assigned_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)

    note = write_note(
        uow(),
        clock=clock,
        actor=carmen,
        member_id=sam.id,
        body="Sleep hygiene.",
        documents=documents,
    )

    assert note.author_id == carmen.id
    notes = notes_about(uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents)
    assert notes == [note]


@pytest.mark.parametrize("role", ["member", "admin"])
def test_only_clinicians_write_notes(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    ada: Account,
    role: str,
) -> None:
    actor = sam if role == "member" else ada

    with pytest.raises(PermissionDenied):
        write_note(
            uow(), clock=clock, actor=actor, member_id=sam.id, body="Note.", documents=documents
        )


def test_a_member_cannot_read_the_notes_about_them_through_the_clinician_view(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    with pytest.raises(PermissionDenied):
        notes_about(uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents)


# --- The audit trail ------------------------------------------------------------------------


def summary(event: AuditEvent) -> tuple[str, str, UUID | None, UUID | None]:
    return event.action, event.purpose, event.actor_id, event.subject_id


def test_every_journal_read_and_write_is_audited_with_its_purpose(
    write: Write,
    read: Read,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)
    before = len(audit_trail())

    entry = write(sam, sam.id, "Slept badly.")
    read(sam, sam.id)
    journal_entry(
        uow(), clock=clock, actor=carmen, member_id=sam.id, entry_id=entry.id, documents=documents
    )
    read(carmen, sam.id)

    events = audit_trail()[before:]
    assert [summary(e) for e in events] == [
        ("journal.write", "self-care", sam.id, sam.id),
        ("journal.list", "self-care", sam.id, sam.id),
        ("journal.read", "care-team-review", carmen.id, sam.id),
        ("journal.list", "care-team-review", carmen.id, sam.id),
    ]
    assert events[0].target_id == events[2].target_id == str(entry.id)
    assert [e.actor_role for e in events] == ["member", "member", "clinician", "clinician"]


def test_every_note_read_and_write_is_audited(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)
    before = len(audit_trail())

    note = write_note(
        uow(), clock=clock, actor=carmen, member_id=sam.id, body="Note.", documents=documents
    )
    notes_about(uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents)

    events = audit_trail()[before:]
    assert [summary(e) for e in events] == [
        ("note.write", "care-team-review", carmen.id, sam.id),
        ("note.list", "care-team-review", carmen.id, sam.id),
    ]
    assert events[0].target_id == str(note.id)


def test_audit_entries_never_hold_the_text_that_was_written(
    write: Write, uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    write(sam, sam.id, "Something only Sam should see.")

    assert "only Sam" not in repr(uow.store.committed.audit)


# --- All or nothing -------------------------------------------------------------------------


def test_a_refused_read_or_write_leaves_nothing_behind(
    write: Write,
    read: Read,
    uow: InMemoryUnitOfWorkFactory,
    sam: Account,
    lucia: Account,
    ada: Account,
) -> None:
    before = uow.store.committed.snapshot()

    for attempt in (
        lambda: write(lucia, sam.id, "Hello"),
        lambda: read(ada, sam.id),
        lambda: write(sam, sam.id, " "),
    ):
        with pytest.raises((NotFound, PermissionDenied, InvalidInput)):
            attempt()

    assert uow.store.committed == before


def test_a_failure_midway_through_a_write_leaves_nothing_behind(
    write: Write,
    read: Read,
    uow: InMemoryUnitOfWorkFactory,
    sam: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = uow.store.committed.snapshot()

    def audit_log_is_down(self: InMemoryAuditLog, event: AuditEvent) -> AuditEntry:
        raise OSError("the audit log is unavailable")

    monkeypatch.setattr(InMemoryAuditLog, "append", audit_log_is_down)
    with pytest.raises(OSError, match="audit log"):
        write(sam, sam.id, "Slept badly.")

    assert uow.store.committed == before
    monkeypatch.undo()
    assert read(sam, sam.id) == []
