"""Journal entries: free text a member writes for themselves (stored only as ciphertext)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.errors import InvalidInput
from haven.domain.text import N_

__all__ = ["MAX_FREE_TEXT_LENGTH", "JournalEntry", "check_free_text"]

# Long enough for a long evening's writing, short enough to keep one row small.
MAX_FREE_TEXT_LENGTH = 20_000


def check_free_text(text: str, *, field: str) -> str:
    if not text.strip():
        raise InvalidInput(N_("Write something before saving."), field=field)
    if len(text) > MAX_FREE_TEXT_LENGTH:
        raise InvalidInput(
            N_("This is longer than {maximum} characters; split it into shorter entries."),
            field=field,
            maximum=MAX_FREE_TEXT_LENGTH,
        )
    if "\x00" in text:
        raise InvalidInput(N_("The text contains a character that cannot be stored."), field=field)
    return text


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: UUID
    member_id: UUID
    body: str
    created_at: datetime
