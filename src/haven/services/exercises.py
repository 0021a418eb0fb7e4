"""CBT exercises: done as forms (the Tools page), and assigned by the member's clinician.

A completed form is saved as one journal entry, risk-checked like any entry, so what a member
writes in a thought record reaches their care team exactly as their journal does. An
assignment suggests an exercise to the member, with an optional note; the member sees it on
Today and at the top of Tools.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from haven.domain.access import require_role
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.flows import Flow
from haven.domain.errors import NotFound
from haven.domain.exercises import ExerciseAssignment, assignable_flow, check_note_for_member
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, RiskCheck, UnitOfWork
from haven.domain.text import N_
from haven.domain.written_exercise import WrittenExercise, read_answers
from haven.services import _audit
from haven.services._access import open_member_record
from haven.services.records import WrittenEntry, write_checked_journal_entry

__all__ = [
    "NO_ASSIGNMENT",
    "SavedExercise",
    "assign_exercise",
    "assigned_exercises",
    "end_exercise_assignment",
    "write_exercise",
]

NO_ASSIGNMENT = N_("No current exercise with that id.")

Documents = Mapping[ConsentKind, ConsentDocument]


@dataclass(frozen=True, slots=True)
class SavedExercise:
    exercise: WrittenExercise
    written: WrittenEntry

    @property
    def entry_id(self) -> UUID:
        return self.written.entry.id


def write_exercise(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    flow: Flow,
    answers: Mapping[str, str],
    lang: str,
    documents: Documents,
    risk_check: RiskCheck | None = None,
) -> SavedExercise:
    """Check the answers (``InvalidAnswers`` names each problem) and save the exercise in
    the member's journal, with the questions in ``lang`` as headings."""
    exercise = read_answers(flow, answers)
    written = write_checked_journal_entry(
        uow,
        clock=clock,
        actor=actor,
        member_id=actor.id,
        body=exercise.as_text(lang),
        documents=documents,
        risk_check=risk_check,
    )
    return SavedExercise(exercise=exercise, written=written)


def assign_exercise(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    flow_id: str,
    note: str | None,
    documents: Documents,
    flows: Mapping[str, Flow],
) -> ExerciseAssignment:
    """As the member's clinician, suggest the exercise ``flow_id`` with an optional note to
    the member (at most 500 characters, stored encrypted).

    Assigning an exercise the member already has replaces it, so the newest note is the one
    they read; the old assignment is kept, ended, for the record.
    """
    require_role(actor, Role.CLINICIAN)
    flow = assignable_flow(flow_id, flows)
    text = check_note_for_member(note)
    now = clock.now()
    assignment = ExerciseAssignment(
        id=uuid.uuid4(),
        member_id=member_id,
        flow_id=flow.id,
        assigned_by=actor.id,
        note_for_member=text,
        assigned_at=now,
    )
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        for existing in uow.exercises.for_member(member_id):
            if existing.flow_id == flow.id:
                uow.exercises.end(existing.id, at=now)
        uow.exercises.add(assignment)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="exercise.assign",
            purpose=purpose,
            subject_id=member_id,
            target_id=assignment.id,
        )
        uow.commit()
    return assignment


def end_exercise_assignment(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    assignment_id: UUID,
    documents: Documents,
) -> None:
    """As the member's clinician, take a suggested exercise off the member's list."""
    require_role(actor, Role.CLINICIAN)
    now = clock.now()
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        assignment = uow.exercises.get(member_id=member_id, assignment_id=assignment_id)
        if assignment is None or not assignment.active:
            raise NotFound(NO_ASSIGNMENT)
        uow.exercises.end(assignment_id, at=now)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="exercise.end",
            purpose=purpose,
            subject_id=member_id,
            target_id=assignment_id,
        )
        uow.commit()


def assigned_exercises(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> list[ExerciseAssignment]:
    """The member's current assignments, newest first: for the member themself, or for a
    clinician in their care team with whom they share."""
    now = clock.now()
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        current = uow.exercises.for_member(member_id)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="exercise.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return list(reversed(current))
