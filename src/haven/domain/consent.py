"""Versioned consent (GDPR art. 7; HIPAA authorisation): what a member agreed to, and when.

A grant counts only for the document version the member saw: publishing a new version of
the terms asks everyone again. Terms of use are required before any use; sharing with the
care team and research use of de-identified data are the member's choice and revocable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from haven.domain.errors import ConsentRequired
from haven.domain.text import N_

__all__ = [
    "ConsentDocument",
    "ConsentKind",
    "ConsentRecord",
    "current_grants",
    "require_consents",
]


class ConsentKind(StrEnum):
    TERMS_OF_USE = "terms_of_use"
    CARE_TEAM_SHARING = "care_team_sharing"
    RESEARCH = "research"


class ConsentDocument(BaseModel):
    """One consent text as reviewed and published (content/consent.yaml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ConsentKind
    version: int = Field(ge=1)
    required: bool
    title: dict[str, str]
    summary: dict[str, str]


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    id: UUID
    account_id: UUID
    kind: ConsentKind
    version: int
    granted_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def current_grants(
    records: Iterable[ConsentRecord], documents: Mapping[ConsentKind, ConsentDocument]
) -> dict[ConsentKind, ConsentRecord]:
    """The active grant for each kind that matches the document's current version."""
    grants: dict[ConsentKind, ConsentRecord] = {}
    for record in records:
        document = documents.get(record.kind)
        if record.active and document is not None and record.version == document.version:
            grants[record.kind] = record
    return grants


def require_consents(
    records: Iterable[ConsentRecord], documents: Mapping[ConsentKind, ConsentDocument]
) -> None:
    """Raise ``ConsentRequired`` unless every required document is currently agreed."""
    granted = current_grants(records, documents)
    missing = sorted(
        kind.value for kind, doc in documents.items() if doc.required and kind not in granted
    )
    if missing:
        raise ConsentRequired(
            N_("Please read and accept the current terms before using Haven: {kinds}."),
            missing=missing,
            kinds=", ".join(missing),
        )
