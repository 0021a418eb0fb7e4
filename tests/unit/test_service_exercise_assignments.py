"""Exercises a clinician assigns: only to a member of their care team who shares with it,
checked (a known exercise, a short note), audited, replaced when assigned again, and seen by
the member with the note in the clinician's words."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.content import flows
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, NotFound, PermissionDenied
from haven.domain.exercises import MAX_NOTE_FOR_MEMBER_LENGTH
from haven.domain.people import Account
from haven.services.data_rights import export_member_data
from haven.services.exercises import (
    assign_exercise,
    assigned_exercises,
    end_exercise_assignment,
)

Documents = dict[ConsentKind, ConsentDocument]
Assign = Callable[[Account, Account], None]


@pytest.fixture
def sams_clinician(assign: Assign, carmen: Account, sam: Account) -> Account:
    assign(carmen, sam)
    return carmen


def _assign(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    actor: Account,
    member: Account,
    flow_id: str = "thought_record",
    note: str | None = "Try it after the next difficult meeting.",
) -> object:
    return assign_exercise(
        uow(), clock=clock, actor=actor, member_id=member.id, flow_id=flow_id, note=note,
        documents=documents, flows=flows(),
    )  # fmt: skip


def _listed(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, actor: Account,
    member: Account,
) -> list[tuple[str, str | None]]:  # fmt: skip
    return [
        (a.flow_id, a.note_for_member)
        for a in assigned_exercises(
            uow(), clock=clock, actor=actor, member_id=member.id, documents=documents
        )
    ]


def test_the_member_sees_the_exercise_their_clinician_assigned_with_the_note(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    _assign(uow, clock, documents, sams_clinician, sam, note="  Try it after a hard meeting.  ")
    clock.advance(timedelta(minutes=1))
    _assign(uow, clock, documents, sams_clinician, sam, flow_id="breathing", note="")

    assert _listed(uow, clock, documents, sam, sam) == [
        ("breathing", None),
        ("thought_record", "Try it after a hard meeting."),
    ]
    assert _listed(uow, clock, documents, sams_clinician, sam)[1][0] == "thought_record"
    actions = [(e.action, e.purpose, e.subject_id) for e in audit_trail()]
    assert ("exercise.assign", "care-team-review", sam.id) in actions
    assert ("exercise.list", "self-care", sam.id) in actions
    assert ("exercise.list", "care-team-review", sam.id) in actions


def test_assigning_the_same_exercise_again_replaces_the_note(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
) -> None:
    _assign(uow, clock, documents, sams_clinician, sam, note="First")
    clock.advance(timedelta(days=1))
    _assign(uow, clock, documents, sams_clinician, sam, note="Second")

    assert _listed(uow, clock, documents, sam, sam) == [("thought_record", "Second")]
    with uow() as unit:
        history = unit.exercises.for_member(sam.id, active_only=False)
    assert [(a.note_for_member, a.active) for a in history] == [("First", False), ("Second", True)]


def test_an_ended_exercise_leaves_the_members_list_and_cannot_be_ended_twice(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    assignment = assign_exercise(
        uow(), clock=clock, actor=sams_clinician, member_id=sam.id, flow_id="grounding",
        note=None, documents=documents, flows=flows(),
    )  # fmt: skip

    def end() -> None:
        end_exercise_assignment(
            uow(), clock=clock, actor=sams_clinician, member_id=sam.id,
            assignment_id=assignment.id, documents=documents,
        )  # fmt: skip

    end()
    assert _listed(uow, clock, documents, sam, sam) == []
    assert "exercise.end" in [e.action for e in audit_trail()]
    with pytest.raises(NotFound):
        end()
    with pytest.raises(NotFound):
        end_exercise_assignment(
            uow(), clock=clock, actor=sams_clinician, member_id=sam.id,
            assignment_id=uuid.uuid4(), documents=documents,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("flow_id", "note", "field"),
    [
        ("no_such_exercise", None, "flow_id"),
        ("mood_check_in", None, "flow_id"),  # how a chat begins, not an exercise to assign
        ("thought_record", "x" * (MAX_NOTE_FOR_MEMBER_LENGTH + 1), "note_for_member"),
        ("thought_record", "bad \x00 byte", "note_for_member"),
    ],
)
def test_an_unknown_exercise_or_an_overlong_note_is_refused_and_nothing_is_stored(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
    flow_id: str,
    note: str | None,
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        _assign(uow, clock, documents, sams_clinician, sam, flow_id=flow_id, note=note)
    assert raised.value.field == field
    assert uow.store.committed.exercise_assignments == []


def test_a_note_of_exactly_the_limit_is_kept_whole(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
) -> None:
    note = "é" * MAX_NOTE_FOR_MEMBER_LENGTH
    _assign(uow, clock, documents, sams_clinician, sam, note=note)
    assert _listed(uow, clock, documents, sam, sam) == [("thought_record", note)]


def test_only_the_members_own_clinician_may_assign_and_only_if_the_member_shares(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    assign: Assign,
    sam: Account,
    lucia: Account,
    carmen: Account,
    ada: Account,
) -> None:
    with pytest.raises(NotFound):  # Sam is not in Carmen's care team
        _assign(uow, clock, documents, carmen, sam)
    assign(carmen, lucia)
    with pytest.raises(PermissionDenied):  # Lucía does not share with her care team
        _assign(uow, clock, documents, carmen, lucia)
    with pytest.raises(PermissionDenied):  # members and administrators never assign
        _assign(uow, clock, documents, sam, sam)
    with pytest.raises(PermissionDenied):
        _assign(uow, clock, documents, ada, sam)
    with pytest.raises(NotFound):  # and a member cannot read another's list
        assigned_exercises(uow(), clock=clock, actor=lucia, member_id=sam.id, documents=documents)
    assert uow.store.committed.exercise_assignments == []


def test_a_clinician_who_leaves_keeps_the_members_exercises_but_loses_the_authorship(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
) -> None:
    _assign(uow, clock, documents, sams_clinician, sam)
    with uow() as unit:
        unit.accounts.delete(sams_clinician.id)
        unit.commit()
    [kept] = uow.store.committed.exercise_assignments
    assert kept.assigned_by is None
    with uow() as unit:
        unit.accounts.delete(sam.id)
        unit.commit()
    assert uow.store.committed.exercise_assignments == []


def test_the_members_download_holds_their_exercises_with_the_clinicians_note(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    sams_clinician: Account,
) -> None:
    _assign(uow, clock, documents, sams_clinician, sam, note="Notice the evidence against.")
    export = export_member_data(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents
    )
    [exported] = export["exercise_assignments"]
    assert exported["exercise"] == "thought_record"
    assert exported["note_for_member"] == "Notice the evidence against."
    assert exported["assigned_by"] == str(sams_clinician.id)
    assert exported["ended_at"] is None
