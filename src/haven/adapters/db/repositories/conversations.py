"""Conversations with the companion: message bodies and dialogue state encrypted under the
member's data key, bound to their row; the bandit's reward tallies (no free text) as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import bandit_states, conversation_messages, conversations
from haven.domain.conversation.record import Author, ChatMessage, Conversation
from haven.domain.conversation.state import DialogueState
from haven.domain.personalization.bandit import BanditState

__all__ = ["SqlBandits", "SqlConversations"]


class SqlConversations:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def _seal_state(self, conversation: Conversation, state: DialogueState) -> bytes:
        return self._cipher.encrypt(
            state.model_dump_json(),
            owner_id=conversation.member_id,
            table="conversations",
            column="state_ct",
            row_id=conversation.id,
        )

    def add(self, conversation: Conversation, state: DialogueState) -> None:
        self._session.execute(
            insert(conversations).values(
                id=conversation.id,
                member_id=conversation.member_id,
                started_at=conversation.started_at,
                last_message_at=conversation.last_message_at,
                state_ct=self._seal_state(conversation, state),
            )
        )

    def get(self, *, member_id: UUID, conversation_id: UUID) -> Conversation | None:
        row = self._session.execute(
            select(conversations).where(
                conversations.c.id == conversation_id, conversations.c.member_id == member_id
            )
        ).one_or_none()
        return None if row is None else _conversation(row)

    def for_member(self, member_id: UUID) -> list[Conversation]:
        rows = self._session.execute(
            select(conversations)
            .where(conversations.c.member_id == member_id)
            .order_by(conversations.c.started_at.desc(), conversations.c.id)
        )
        return [_conversation(row) for row in rows]

    def state(self, conversation: Conversation) -> DialogueState:
        sealed = self._session.execute(
            select(conversations.c.state_ct).where(conversations.c.id == conversation.id)
        ).scalar_one()
        return DialogueState.model_validate_json(
            self._cipher.decrypt(
                sealed,
                owner_id=conversation.member_id,
                table="conversations",
                column="state_ct",
                row_id=conversation.id,
            )
        )

    def save_state(
        self, conversation: Conversation, state: DialogueState, *, last_message_at: datetime
    ) -> None:
        self._session.execute(
            update(conversations)
            .where(conversations.c.id == conversation.id)
            .values(state_ct=self._seal_state(conversation, state), last_message_at=last_message_at)
        )

    def add_messages(self, messages: Sequence[ChatMessage]) -> None:
        if not messages:
            return
        rows = [
            {
                "id": m.id,
                "conversation_id": m.conversation_id,
                "member_id": m.member_id,
                "seq": m.seq,
                "author": m.author.value,
                "body_ct": self._cipher.encrypt(
                    m.body,
                    owner_id=m.member_id,
                    table="conversation_messages",
                    column="body_ct",
                    row_id=m.id,
                ),
                "at": m.at,
                "risk_level": m.risk_level,
                "signals": " ".join(m.signals),
                "emotion": m.emotion,
                "intent": m.intent,
                "distortion": m.distortion,
                "flow_id": m.flow_id,
            }
            for m in messages
        ]
        self._session.execute(insert(conversation_messages), rows)

    def messages(self, *, member_id: UUID, conversation_id: UUID) -> list[ChatMessage]:
        rows = self._session.execute(
            select(conversation_messages)
            .where(
                conversation_messages.c.conversation_id == conversation_id,
                conversation_messages.c.member_id == member_id,
            )
            .order_by(conversation_messages.c.seq)
        )
        return [self._message(row) for row in rows]

    def message_count(self, conversation_id: UUID) -> int:
        return int(
            self._session.execute(
                select(func.count()).where(
                    conversation_messages.c.conversation_id == conversation_id
                )
            ).scalar_one()
        )

    def last_message_at(self, member_id: UUID) -> datetime | None:
        found: datetime | None = self._session.execute(
            select(func.max(conversations.c.last_message_at)).where(
                conversations.c.member_id == member_id
            )
        ).scalar_one()
        return found

    def _message(self, row: Any) -> ChatMessage:
        return ChatMessage(
            id=row.id,
            conversation_id=row.conversation_id,
            member_id=row.member_id,
            seq=row.seq,
            author=Author(row.author),
            body=self._cipher.decrypt(
                row.body_ct,
                owner_id=row.member_id,
                table="conversation_messages",
                column="body_ct",
                row_id=row.id,
            ),
            at=row.at,
            risk_level=row.risk_level,
            signals=tuple(row.signals.split()),
            emotion=row.emotion,
            intent=row.intent,
            distortion=row.distortion,
            flow_id=row.flow_id,
        )


def _conversation(row: Any) -> Conversation:
    return Conversation(
        id=row.id,
        member_id=row.member_id,
        started_at=row.started_at,
        last_message_at=row.last_message_at,
    )


class SqlBandits:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, member_id: UUID) -> BanditState:
        found = self._session.execute(
            select(bandit_states.c.state).where(bandit_states.c.member_id == member_id)
        ).scalar_one_or_none()
        return BanditState() if found is None else BanditState.model_validate_json(found)

    def save(self, member_id: UUID, state: BanditState, *, at: datetime) -> None:
        self._session.execute(delete(bandit_states).where(bandit_states.c.member_id == member_id))
        self._session.execute(
            insert(bandit_states).values(
                member_id=member_id, state=state.model_dump_json(), updated_at=at
            )
        )
