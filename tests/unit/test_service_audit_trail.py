"""Checking the stored audit trail for tampering."""

from __future__ import annotations

from dataclasses import replace

from haven.adapters.memory import InMemoryUnitOfWorkFactory
from haven.domain.people import Account
from haven.services.audit_trail import verify_audit_trail


def test_the_trail_left_by_ordinary_use_verifies(
    uow: InMemoryUnitOfWorkFactory, sam: Account, lucia: Account, carmen: Account
) -> None:
    head, broken = verify_audit_trail(uow())

    assert broken is None
    assert head is not None
    assert head.seq == len(uow.store.committed.audit)


def test_an_empty_trail_verifies(uow: InMemoryUnitOfWorkFactory) -> None:
    assert verify_audit_trail(uow()) == (None, None)


def test_a_row_edited_in_the_database_is_found(
    uow: InMemoryUnitOfWorkFactory, sam: Account, lucia: Account
) -> None:
    rows = uow.store.committed.audit
    rows[1] = replace(rows[1], event=replace(rows[1].event, actor_role="admin"))

    _, broken = verify_audit_trail(uow())

    assert broken is not None
    assert broken.seq == 2


def test_rows_deleted_from_the_end_are_found(
    uow: InMemoryUnitOfWorkFactory, sam: Account, lucia: Account
) -> None:
    rows = uow.store.committed.audit
    total = len(rows)
    del rows[-2:]

    _, broken = verify_audit_trail(uow())

    assert broken is not None
    assert broken.seq == total - 1
