"""CBT exercises done as forms (the Tools page): checked, then kept in the member's journal.

The completed exercise is saved as one journal entry, risk-checked like any entry, so what a
member writes in a thought record reaches their care team exactly as their journal does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.flows import Flow
from haven.domain.people import Account
from haven.domain.ports import Clock, RiskCheck, UnitOfWork
from haven.domain.written_exercise import WrittenExercise, read_answers
from haven.services.records import WrittenEntry, write_checked_journal_entry

__all__ = ["SavedExercise", "write_exercise"]

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
