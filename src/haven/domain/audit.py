"""The audit trail: append-only and hash-chained, so that tampering shows.

Each entry stores the SHA-256 of its own content and of the entry before it (as in
Crosby & Wallach, "Efficient Data Structures for Tamper-Evident Logging", 2009). Editing an
entry breaks its own hash; deleting, inserting or reordering entries breaks the link from the
next one; truncating the tail is caught by the separately stored head of the chain.
Entries name who did what to whose record and why, and never hold free text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

__all__ = [
    "GENESIS_HASH",
    "AuditEntry",
    "AuditEvent",
    "ChainBreak",
    "ChainHead",
    "chain_entry",
    "verify_chain",
]

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """What happened: ``action`` like ``journal.read``; ``purpose`` from ``access.Purpose``."""

    at: datetime
    actor_id: UUID | None
    actor_role: str
    action: str
    purpose: str
    subject_id: UUID | None = None
    target_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    event: AuditEvent
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first entry at which the chain stops being trustworthy."""

    seq: int
    problem: str


def _canonical(event: AuditEvent, prev_hash: str) -> bytes:
    at = event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = {
        "at": at,
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_role": event.actor_role,
        "action": event.action,
        "purpose": event.purpose,
        "subject_id": str(event.subject_id) if event.subject_id else None,
        "target_id": event.target_id,
        "prev": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _digest(event: AuditEvent, prev_hash: str) -> str:
    return hashlib.sha256(_canonical(event, prev_hash)).hexdigest()


def chain_entry(event: AuditEvent, *, head: ChainHead | None) -> AuditEntry:
    """The entry that follows ``head`` (``None`` for the first entry ever written)."""
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    return AuditEntry(seq=seq, event=event, prev_hash=prev, hash=_digest(event, prev))


def verify_chain(entries: Iterable[AuditEntry], *, head: ChainHead | None) -> ChainBreak | None:
    """Walk ``entries`` in sequence order; return the first break, or ``None`` if intact."""
    expected_seq, expected_prev = 1, GENESIS_HASH
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(
                seq=expected_seq,
                problem=f"entry {expected_seq} is missing (deleted or renumbered)",
            )
        if _digest(entry.event, entry.prev_hash) != entry.hash:
            return ChainBreak(seq=entry.seq, problem=f"entry {entry.seq} was edited")
        if entry.prev_hash != expected_prev:
            return ChainBreak(
                seq=entry.seq,
                problem=(
                    f"entry {entry.seq} does not follow entry {entry.seq - 1}: "
                    "entries were deleted, inserted or reordered"
                ),
            )
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    last_seq = expected_seq - 1
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != last_seq or head_hash != expected_prev:
        if head_seq > last_seq:
            return ChainBreak(
                seq=last_seq + 1,
                problem=f"entries {last_seq + 1} to {head_seq} were deleted from the end",
            )
        return ChainBreak(
            seq=head_seq + 1 if head_seq < last_seq else last_seq,
            problem="the chain does not end where its recorded head says it does",
        )
    return None
