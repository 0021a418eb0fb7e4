"""Exercises a clinician assigns: a CBT exercise or a psychoeducation reading from the reviewed
flows, suggested to the member between sessions, with an optional short note in the
clinician's words.

Practice between sessions is one of the active ingredients of CBT: doing it goes with better
outcomes (Kazantzis, Whittington & Dattilio 2010, meta-analysis), and setting it well includes
saying why this task, now (Beck 2011, Cognitive Behavior Therapy: Basics and Beyond). The
member sees what was suggested on Today and at the top of Tools, and can do it in the chat
or, where the exercise has one, as a form.

The note is written by a person to a person, so it is stored only as ciphertext under the
member's data key, like the journal and the clinical notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.conversation.flows import Flow, FlowKind
from haven.domain.errors import InvalidInput
from haven.domain.text import N_

__all__ = [
    "ASSIGNABLE_KINDS",
    "MAX_NOTE_FOR_MEMBER_LENGTH",
    "ExerciseAssignment",
    "assignable_flow",
    "check_note_for_member",
]

# A few sentences: why this exercise, and when to try it. Longer guidance belongs in a session.
MAX_NOTE_FOR_MEMBER_LENGTH = 500

# The mood check-in flow is how a conversation starts, not something to assign.
ASSIGNABLE_KINDS = (FlowKind.EXERCISE, FlowKind.PSYCHOEDUCATION)


@dataclass(frozen=True, slots=True)
class ExerciseAssignment:
    id: UUID
    member_id: UUID
    flow_id: str
    assigned_by: UUID | None  # None once the clinician's account is closed
    note_for_member: str | None
    assigned_at: datetime
    ended_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None


def assignable_flow(flow_id: str, flows: Mapping[str, Flow]) -> Flow:
    """The flow ``flow_id`` names, if it is an exercise or a reading a clinician may assign."""
    flow = flows.get(flow_id)
    if flow is None or flow.kind not in ASSIGNABLE_KINDS:
        raise InvalidInput(N_("Choose one of the exercises in the list."), field="flow_id")
    return flow


def check_note_for_member(note: str | None) -> str | None:
    """The note trimmed, or None when there is none; at most 500 characters."""
    if note is None or not note.strip():
        return None
    text = note.strip()
    if len(text) > MAX_NOTE_FOR_MEMBER_LENGTH:
        raise InvalidInput(
            N_("Keep the note to the member under {maximum} characters."),
            field="note_for_member",
            maximum=MAX_NOTE_FOR_MEMBER_LENGTH,
        )
    if "\x00" in text:
        raise InvalidInput(
            N_("The text contains a character that cannot be stored."), field="note_for_member"
        )
    return text
