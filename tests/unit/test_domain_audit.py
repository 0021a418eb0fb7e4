"""The hash-chained audit trail shows any edit, deletion, reordering or truncation."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import audit_events

from haven.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditEvent,
    ChainHead,
    chain_entry,
    verify_chain,
)

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def event(n: int) -> AuditEvent:
    return AuditEvent(
        at=START + timedelta(minutes=n),
        actor_id=uuid.uuid4(),
        actor_role="clinician",
        action="journal.read",
        purpose="care-team-review",
        subject_id=uuid.uuid4(),
        target_id=str(uuid.uuid4()),
    )


def chain(events: list[AuditEvent]) -> tuple[list[AuditEntry], ChainHead | None]:
    entries: list[AuditEntry] = []
    head: ChainHead | None = None
    for e in events:
        entry = chain_entry(e, head=head)
        entries.append(entry)
        head = ChainHead(seq=entry.seq, hash=entry.hash)
    return entries, head


def five_entries() -> tuple[list[AuditEntry], ChainHead | None]:
    return chain([event(n) for n in range(5)])


def test_the_first_entry_follows_the_genesis_hash_and_is_numbered_one() -> None:
    entry = chain_entry(event(0), head=None)

    assert (entry.seq, entry.prev_hash) == (1, GENESIS_HASH)


def test_a_chain_of_many_events_verifies() -> None:
    entries, head = chain([event(n) for n in range(50)])

    assert verify_chain(entries, head=head) is None


def test_an_empty_log_with_no_head_verifies() -> None:
    assert verify_chain([], head=None) is None


EDITS: dict[str, Any] = {
    "at": START - timedelta(days=1),
    "actor_id": uuid.uuid4(),
    "actor_role": "admin",
    "action": "journal.write",
    "purpose": "self-care",
    "subject_id": None,
    "target_id": "someone-else",
}


@pytest.mark.parametrize("field", list(EDITS))
def test_editing_any_field_of_an_event_is_reported_at_that_entry(field: str) -> None:
    entries, head = five_entries()
    entries[2] = replace(entries[2], event=replace(entries[2].event, **{field: EDITS[field]}))

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 3
    assert "edited" in broken.problem


@pytest.mark.parametrize("field", ["prev_hash", "hash"])
def test_editing_a_stored_hash_is_reported_at_that_entry(field: str) -> None:
    entries, head = five_entries()
    forged: dict[str, Any] = {field: "f" * 64}
    entries[2] = replace(entries[2], **forged)

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 3


def test_an_edit_with_its_hash_recomputed_is_caught_at_the_next_entry() -> None:
    entries, head = five_entries()
    forged = replace(entries[2].event, actor_role="admin")
    entries[2] = chain_entry(forged, head=ChainHead(seq=2, hash=entries[1].hash))

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 4
    assert "does not follow" in broken.problem


def test_deleting_an_entry_in_the_middle_is_reported_where_it_was() -> None:
    entries, head = five_entries()
    del entries[1]

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 2
    assert "missing" in broken.problem


def test_deleting_and_renumbering_is_reported_where_the_link_breaks() -> None:
    entries, head = five_entries()
    del entries[1]
    entries = [replace(e, seq=i + 1) for i, e in enumerate(entries)]

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 2


def test_swapping_two_entries_is_reported() -> None:
    entries, head = five_entries()
    entries[1], entries[2] = entries[2], entries[1]

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 2


def test_reordering_two_events_under_their_old_numbers_is_reported() -> None:
    entries, head = five_entries()
    second, third = entries[1], entries[2]
    entries[1], entries[2] = replace(third, seq=2), replace(second, seq=3)

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq == 2
    assert "reordered" in broken.problem


def test_truncating_the_tail_is_caught_by_the_recorded_head() -> None:
    entries, head = five_entries()

    broken = verify_chain(entries[:3], head=head)

    assert broken is not None
    assert broken.seq == 4
    assert "deleted from the end" in broken.problem


def test_entries_appended_without_moving_the_head_are_reported() -> None:
    entries, head = five_entries()
    assert head is not None
    extra = chain_entry(event(99), head=head)

    broken = verify_chain([*entries, extra], head=head)

    assert broken is not None
    assert broken.seq == 6


def test_a_head_pointing_at_a_different_last_hash_is_reported() -> None:
    entries, _ = five_entries()

    broken = verify_chain(entries, head=ChainHead(seq=5, hash="e" * 64))

    assert broken is not None
    assert broken.seq == 5


# --- Properties -----------------------------------------------------------------------------


def edited(e: AuditEvent) -> AuditEvent:
    """The same event with one visible change (the action names a different operation)."""
    return replace(e, action=e.action + ".tampered")


@given(events=st.lists(audit_events, max_size=30))
def test_any_untouched_chain_verifies(events: list[AuditEvent]) -> None:
    entries, head = chain(events)

    assert verify_chain(entries, head=head) is None


@given(
    events=st.lists(audit_events, min_size=2, max_size=30),
    tampering=st.sampled_from(["edit", "delete", "swap", "truncate"]),
    where=st.integers(min_value=0),
)
def test_any_single_tampering_is_reported_no_later_than_where_it_happened(
    events: list[AuditEvent], tampering: str, where: int
) -> None:
    entries, head = chain(events)
    position = where % (len(entries) - 1)  # 0-based; leaves room for a swap partner
    if tampering == "edit":
        entries[position] = replace(entries[position], event=edited(entries[position].event))
    elif tampering == "delete":
        del entries[position]
    elif tampering == "swap":
        entries[position], entries[position + 1] = entries[position + 1], entries[position]
    else:
        del entries[position:]

    broken = verify_chain(entries, head=head)

    assert broken is not None
    assert broken.seq <= position + 1
