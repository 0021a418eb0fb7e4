"""In-memory exercise assignments."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from haven.adapters.memory.store import Tables, require_data_key
from haven.domain.exercises import ExerciseAssignment

__all__ = ["InMemoryExerciseAssignments"]


class InMemoryExerciseAssignments:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, assignment: ExerciseAssignment) -> None:
        # Only the note is sealed under the member's key, as in the database.
        if assignment.note_for_member is not None:
            require_data_key(self._t, assignment.member_id)
        self._t.exercise_assignments.append(assignment)

    def get(self, *, member_id: UUID, assignment_id: UUID) -> ExerciseAssignment | None:
        found = [a for a in self._mine(member_id) if a.id == assignment_id]
        return found[0] if found else None

    def for_member(self, member_id: UUID, *, active_only: bool = True) -> list[ExerciseAssignment]:
        return [a for a in self._mine(member_id) if a.active or not active_only]

    def end(self, assignment_id: UUID, *, at: datetime) -> None:
        self._t.exercise_assignments = [
            replace(a, ended_at=at) if a.id == assignment_id else a
            for a in self._t.exercise_assignments
        ]

    def _mine(self, member_id: UUID) -> list[ExerciseAssignment]:
        mine = sorted(
            (a for a in self._t.exercise_assignments if a.member_id == member_id),
            key=lambda a: (a.assigned_at, a.id),
        )
        if any(a.note_for_member is not None for a in mine):
            require_data_key(self._t, member_id)
        return mine
