"""A member's records, for the member and for their care team."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from haven.domain.journal import JournalEntry
from haven.domain.notes import ClinicianNote
from haven.services import accounts, records
from haven.web.api.schemas import API_PREFIX, AccountOut, ErrorOut, JournalEntryOut, NoteOut, TextIn
from haven.web.deps import CurrentAccount, Services

router = APIRouter(
    prefix=API_PREFIX,
    tags=["members"],
    responses={
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
    },
)


@router.get("/caseload", response_model=list[AccountOut])
def caseload(services: Services, account: CurrentAccount) -> list[AccountOut]:
    """The members assigned to the signed-in clinician."""
    return [
        AccountOut.of(m)
        for m in accounts.caseload(services.uow(), clock=services.clock, actor=account)
    ]


@router.get("/members/{member_id}", response_model=AccountOut)
def member(services: Services, account: CurrentAccount, member_id: UUID) -> AccountOut:
    found = accounts.member_profile(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    return AccountOut.of(found)


def _entry(entry: JournalEntry) -> JournalEntryOut:
    return JournalEntryOut(
        id=entry.id, member_id=entry.member_id, body=entry.body, created_at=entry.created_at
    )


@router.get("/members/{member_id}/journal", response_model=list[JournalEntryOut])
def journal(services: Services, account: CurrentAccount, member_id: UUID) -> list[JournalEntryOut]:
    entries = records.journal_entries(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    return [_entry(e) for e in entries]


@router.post(
    "/members/{member_id}/journal",
    response_model=JournalEntryOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorOut}},
)
def write_journal(
    services: Services, account: CurrentAccount, member_id: UUID, body: TextIn
) -> JournalEntryOut:
    entry = records.write_journal_entry(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        body=body.body,
        documents=services.documents,
        risk_check=services.check_writing,
    )
    return _entry(entry)


@router.get("/members/{member_id}/journal/{entry_id}", response_model=JournalEntryOut)
def journal_entry(
    services: Services, account: CurrentAccount, member_id: UUID, entry_id: UUID
) -> JournalEntryOut:
    entry = records.journal_entry(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        entry_id=entry_id,
        documents=services.documents,
    )
    return _entry(entry)


def _note(note: ClinicianNote) -> NoteOut:
    return NoteOut(
        id=note.id,
        member_id=note.member_id,
        author_id=note.author_id,
        body=note.body,
        created_at=note.created_at,
    )


@router.get("/members/{member_id}/notes", response_model=list[NoteOut])
def notes(services: Services, account: CurrentAccount, member_id: UUID) -> list[NoteOut]:
    found = records.notes_about(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    return [_note(n) for n in found]


@router.post(
    "/members/{member_id}/notes",
    response_model=NoteOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorOut}},
)
def write_note(
    services: Services, account: CurrentAccount, member_id: UUID, body: TextIn
) -> NoteOut:
    note = records.write_note(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        body=body.body,
        documents=services.documents,
    )
    return _note(note)
