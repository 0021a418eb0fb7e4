"""Request and response bodies of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from haven.domain.consent import ConsentKind
from haven.domain.journal import MAX_FREE_TEXT_LENGTH
from haven.domain.people import (
    MAX_DISPLAY_NAME_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_PASSWORD_LENGTH,
    Account,
    Role,
)

API_PREFIX = "/api/v1"

Locale = Literal["en", "es"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the token expires.")


class SignUpIn(Body):
    email: str = Field(max_length=MAX_EMAIL_LENGTH, examples=["sam@example.org"])
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    display_name: str = Field(max_length=MAX_DISPLAY_NAME_LENGTH * 2)
    locale: Locale = "en"


class AccountCreateIn(SignUpIn):
    role: Role


class AccountOut(BaseModel):
    id: UUID
    email: str
    role: Role
    display_name: str
    locale: str
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> AccountOut:
        return cls(
            id=account.id,
            email=account.email,
            role=account.role,
            display_name=account.display_name,
            locale=account.locale,
            created_at=account.created_at,
        )


class ProfileIn(Body):
    display_name: str | None = Field(default=None, max_length=MAX_DISPLAY_NAME_LENGTH * 2)
    locale: Locale | None = None


class ConsentOut(BaseModel):
    kind: ConsentKind
    version: int
    required: bool
    title: str
    summary: str
    granted_at: datetime | None


class ConsentGrantIn(Body):
    version: int = Field(ge=1, le=10_000)


class TextIn(Body):
    body: str = Field(max_length=MAX_FREE_TEXT_LENGTH)


class JournalEntryOut(BaseModel):
    id: UUID
    member_id: UUID
    body: str
    created_at: datetime


class NoteOut(BaseModel):
    id: UUID
    member_id: UUID
    author_id: UUID | None
    body: str
    created_at: datetime


class PasswordConfirmIn(Body):
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class AssignmentIn(Body):
    clinician_id: UUID
    member_id: UUID


class AuditStatusOut(BaseModel):
    intact: bool
    entries: int
    first_break: int | None
    problem: str | None
