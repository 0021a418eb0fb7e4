"""Clinician notes about a member: written by the care team, encrypted under the member's
data key, so that erasing the member erases the notes with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

__all__ = ["ClinicianNote"]


@dataclass(frozen=True, slots=True)
class ClinicianNote:
    id: UUID
    member_id: UUID
    author_id: UUID | None  # None once the author's account is closed
    body: str
    created_at: datetime
