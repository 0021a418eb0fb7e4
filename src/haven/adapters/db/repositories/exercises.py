"""Exercises assigned by the care team: the flow id in the clear (it names reviewed content),
the clinician's note to the member encrypted under the member's data key."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import exercise_assignments
from haven.domain.exercises import ExerciseAssignment

__all__ = ["SqlExerciseAssignments"]

_TABLE, _NOTE = "exercise_assignments", "note_ct"


class SqlExerciseAssignments:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, assignment: ExerciseAssignment) -> None:
        note = None
        if assignment.note_for_member is not None:
            note = self._cipher.encrypt(
                assignment.note_for_member,
                owner_id=assignment.member_id,
                table=_TABLE,
                column=_NOTE,
                row_id=assignment.id,
            )
        self._session.execute(
            insert(exercise_assignments).values(
                id=assignment.id,
                member_id=assignment.member_id,
                flow_id=assignment.flow_id,
                assigned_by=assignment.assigned_by,
                note_ct=note,
                assigned_at=assignment.assigned_at,
                ended_at=assignment.ended_at,
            )
        )

    def get(self, *, member_id: UUID, assignment_id: UUID) -> ExerciseAssignment | None:
        found = self._select(
            exercise_assignments.c.member_id == member_id,
            exercise_assignments.c.id == assignment_id,
        )
        return found[0] if found else None

    def for_member(self, member_id: UUID, *, active_only: bool = True) -> list[ExerciseAssignment]:
        conditions = [exercise_assignments.c.member_id == member_id]
        if active_only:
            conditions.append(exercise_assignments.c.ended_at.is_(None))
        return self._select(*conditions)

    def end(self, assignment_id: UUID, *, at: datetime) -> None:
        self._session.execute(
            update(exercise_assignments)
            .where(exercise_assignments.c.id == assignment_id)
            .values(ended_at=at)
        )

    def _select(self, *conditions: Any) -> list[ExerciseAssignment]:
        rows = self._session.execute(
            select(exercise_assignments)
            .where(*conditions)
            .order_by(exercise_assignments.c.assigned_at, exercise_assignments.c.id)
        )
        return [self._assignment(row) for row in rows]

    def _assignment(self, row: Any) -> ExerciseAssignment:
        note = None
        if row.note_ct is not None:
            note = self._cipher.decrypt(
                row.note_ct, owner_id=row.member_id, table=_TABLE, column=_NOTE, row_id=row.id
            )
        return ExerciseAssignment(
            id=row.id,
            member_id=row.member_id,
            flow_id=row.flow_id,
            assigned_by=row.assigned_by,
            note_for_member=note,
            assigned_at=row.assigned_at,
            ended_at=row.ended_at,
        )
