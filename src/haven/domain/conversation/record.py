"""What is kept of a conversation: its messages (the words encrypted by the repository) with
the codes the analysis gave them, and the dialogue state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

__all__ = ["Author", "ChatMessage", "Conversation"]


class Author(StrEnum):
    MEMBER = "member"
    COMPANION = "companion"


@dataclass(frozen=True, slots=True)
class Conversation:
    id: UUID
    member_id: UUID
    started_at: datetime
    last_message_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    id: UUID
    conversation_id: UUID
    member_id: UUID
    seq: int  # order within the conversation, from 1
    author: Author
    body: str
    at: datetime
    # Codes only, for the clinician view; none of them holds the member's words.
    risk_level: str | None = None
    signals: tuple[str, ...] = ()
    emotion: str | None = None
    intent: str | None = None
    distortion: str | None = None
    flow_id: str | None = None
