"""Importing wearable readings: a member adds their own device's history, or a clinician
adds it for a member of their care team who shares their record with it, or the operator at
the command line on the member's request. One transaction: a file that breaks half-way
stores nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from uuid import UUID

from haven.domain.access import Purpose
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, NotFound
from haven.domain.monitoring import Observation
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.text import N_
from haven.domain.wearables import ImportSummary, check_observation
from haven.services import _audit
from haven.services._access import open_member_record

__all__ = ["import_wearables"]

Documents = Mapping[ConsentKind, ConsentDocument]
BATCH = 5_000  # readings per insert: a few statements each, little memory


def import_wearables(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account | None,
    member_id: UUID,
    observations: Iterable[Observation],
    documents: Documents,
) -> ImportSummary:
    """Store the member's readings that are not stored yet; return how many were added and
    how many were already there.

    ``observations`` may be a stream (a parser reading a 1 GB file): it is consumed in
    batches inside one transaction, and any error it raises (a damaged record) rolls back
    everything. ``actor=None`` is the operator at the command line.
    """
    added = seen = 0
    with uow:
        if actor is None:
            member = uow.accounts.get(member_id)
            if member is None or member.role is not Role.MEMBER:
                raise NotFound(N_("No member with that id is visible to you."))
            # The member's own history, added at their request.
            purpose: str = Purpose.SELF_CARE
        else:
            purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        stream = iter(observations)
        while batch := list(islice(stream, BATCH)):
            for number, observation in enumerate(batch, start=seen + 1):
                problem = check_observation(observation)
                if observation.member_id != member_id:
                    problem = "a reading of another member"
                if problem is not None:
                    raise InvalidInput(
                        N_("Reading {number} cannot be stored: {problem}."),
                        field="observations",
                        number=number,
                        problem=problem,
                    )
            added += uow.wearables.add_new(batch)
            seen += len(batch)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="wearables.import",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return ImportSummary(added=added, already_there=seen - added)
