"""Checking the audit trail for tampering."""

from __future__ import annotations

from haven.domain.audit import ChainBreak, ChainHead, verify_chain
from haven.domain.ports import UnitOfWork

__all__ = ["verify_audit_trail"]


def verify_audit_trail(uow: UnitOfWork) -> tuple[ChainHead | None, ChainBreak | None]:
    """The recorded head of the chain, and the first break in it (``None`` when intact)."""
    with uow:
        head = uow.audit.head()
        return head, verify_chain(uow.audit.entries(), head=head)
