"""Master-key rotation: every data key is re-wrapped, in batches, with the data still readable."""

from __future__ import annotations

from collections.abc import Callable

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.people import Account
from haven.services.keys import rewrap_data_keys
from haven.services.records import journal_entries, write_journal_entry


def key_counts(uow: InMemoryUnitOfWorkFactory) -> dict[str, int]:
    with uow() as u:
        return u.data_keys.master_keys_in_use()


def test_every_data_key_is_rewrapped_under_the_new_master_key_in_batches(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    make_member: Callable[..., Account],
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    for n in range(5):
        make_member(f"member{n}@example.org")
    old = uow.store.primary_key_id
    new = uow.store.rotate_master_key()
    assert key_counts(uow) == {old: 5}

    assert rewrap_data_keys(uow, clock=clock, batch=2) == 5

    assert key_counts(uow) == {new: 5}
    rewraps = [e for e in audit_trail() if e.action == "keys.rewrap"]
    assert [e.target_id for e in rewraps] == ["2", "2", "1"]
    assert {(e.purpose, e.actor_role) for e in rewraps} == {("key-management", "operator")}


def test_a_batch_size_that_divides_the_keys_exactly_still_finishes(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, make_member: Callable[..., Account]
) -> None:
    for n in range(4):
        make_member(f"member{n}@example.org")
    new = uow.store.rotate_master_key()

    assert rewrap_data_keys(uow, clock=clock, batch=2) == 4
    assert key_counts(uow) == {new: 4}


def test_rewrapping_when_nothing_is_stale_does_nothing_and_audits_nothing(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    sam: Account,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    before = audit_trail()

    assert rewrap_data_keys(uow, clock=clock) == 0
    assert audit_trail() == before


def test_records_stay_readable_after_rotation(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: dict[ConsentKind, ConsentDocument],
    sam: Account,
) -> None:
    write_journal_entry(
        uow(), clock=clock, actor=sam, member_id=sam.id, body="Before.", documents=documents
    )
    uow.store.rotate_master_key()

    rewrap_data_keys(uow, clock=clock, batch=1)

    entries = journal_entries(uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents)
    assert [e.body for e in entries] == ["Before."]


def test_a_batch_size_below_one_is_refused_instead_of_looping_forever() -> None:
    import pytest

    from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
    from haven.services.keys import rewrap_data_keys

    with pytest.raises(ValueError, match="at least 1"):
        rewrap_data_keys(InMemoryUnitOfWorkFactory(), clock=ManualClock(), batch=0)
