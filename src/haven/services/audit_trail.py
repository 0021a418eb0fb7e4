"""Checking the audit trail for tampering, and reading it page by page (administrators only)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.audit import AuditEntry, ChainBreak, ChainHead, verify_chain
from haven.domain.errors import InvalidInput
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit

__all__ = ["AUDIT_PAGE_SIZE", "AuditPage", "audit_trail_page", "verify_audit_trail"]

AUDIT_PAGE_SIZE = 50


def verify_audit_trail(uow: UnitOfWork) -> tuple[ChainHead | None, ChainBreak | None]:
    """The recorded head of the chain, and the first break in it (``None`` when intact)."""
    with uow:
        head = uow.audit.head()
        return head, verify_chain(uow.audit.entries(), head=head)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the trail, newest first. ``emails`` names the accounts the entries mention
    (actors, subjects) that still exist; an erased account appears by id only."""

    entries: list[AuditEntry]
    number: int  # 1-based
    pages: int  # at least 1, even for an empty trail
    upto: int  # the newest entry paging counts from; pass it back for the next page
    emails: dict[UUID, str]


def audit_trail_page(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    number: int = 1,
    size: int = AUDIT_PAGE_SIZE,
    upto: int | None = None,
) -> AuditPage:
    """Page ``number`` (1-based) of the trail, ``size`` entries a page, newest first, counting
    from entry ``upto`` (default: the newest). Every read is itself audited, so the trail grows
    while someone pages through it; passing back ``upto`` keeps the pages from shifting.

    Entries hold ids, actions and purposes, never free text, so reading them shows no one's
    words.
    """
    require_role(actor, Role.ADMIN)
    if number < 1:
        raise InvalidInput(N_("Page numbers start at 1."), field="page")
    with uow:
        head = uow.audit.head()
        newest = head.seq if head else 0
        top = newest if upto is None else max(0, min(upto, newest))
        pages = max(1, -(-top // size))
        if number > pages:
            raise InvalidInput(
                N_("There is no page {number}; the last page is {pages}."),
                field="page",
                number=number,
                pages=pages,
            )
        entries = uow.audit.newest(at_most=top - (number - 1) * size, limit=size)
        mentioned = {
            person
            for entry in entries
            for person in (entry.event.actor_id, entry.event.subject_id)
            if person is not None
        }
        emails = {
            person: account.email
            for person in mentioned
            if (account := uow.accounts.get(person)) is not None
        }
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="audit.read",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
        )
        uow.commit()
    return AuditPage(entries=entries, number=number, pages=pages, upto=top, emails=emails)
