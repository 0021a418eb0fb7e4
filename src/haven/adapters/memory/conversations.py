"""In-memory conversations and bandit states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from haven.adapters.memory.store import Tables, require_data_key
from haven.domain.conversation.record import ChatMessage, Conversation
from haven.domain.conversation.state import DialogueState
from haven.domain.personalization.bandit import BanditState

__all__ = ["InMemoryBandits", "InMemoryConversations"]


class InMemoryConversations:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, conversation: Conversation, state: DialogueState) -> None:
        require_data_key(self._t, conversation.member_id)
        self._t.conversations[conversation.id] = (conversation, state.model_dump_json())

    def get(self, *, member_id: UUID, conversation_id: UUID) -> Conversation | None:
        found = self._t.conversations.get(conversation_id)
        if found is None or found[0].member_id != member_id:
            return None
        return found[0]

    def for_member(self, member_id: UUID) -> list[Conversation]:
        mine = [c for c, _ in self._t.conversations.values() if c.member_id == member_id]
        return sorted(mine, key=lambda c: c.started_at, reverse=True)

    def state(self, conversation: Conversation) -> DialogueState:
        require_data_key(self._t, conversation.member_id)
        return DialogueState.model_validate_json(self._t.conversations[conversation.id][1])

    def save_state(
        self, conversation: Conversation, state: DialogueState, *, last_message_at: datetime
    ) -> None:
        require_data_key(self._t, conversation.member_id)
        stored = self._t.conversations[conversation.id][0]
        self._t.conversations[conversation.id] = (
            replace(stored, last_message_at=last_message_at),
            state.model_dump_json(),
        )

    def add_messages(self, messages: Sequence[ChatMessage]) -> None:
        for message in messages:
            require_data_key(self._t, message.member_id)
            if any(
                m.conversation_id == message.conversation_id and m.seq == message.seq
                for m in self._t.chat_messages
            ):
                raise ValueError("a message with this sequence number exists")
        self._t.chat_messages = [*self._t.chat_messages, *messages]

    def messages(self, *, member_id: UUID, conversation_id: UUID) -> list[ChatMessage]:
        mine = [
            m
            for m in self._t.chat_messages
            if m.conversation_id == conversation_id and m.member_id == member_id
        ]
        if mine:
            require_data_key(self._t, member_id)
        return sorted(mine, key=lambda m: m.seq)

    def message_count(self, conversation_id: UUID) -> int:
        return sum(1 for m in self._t.chat_messages if m.conversation_id == conversation_id)

    def last_message_at(self, member_id: UUID) -> datetime | None:
        times = [
            c.last_message_at
            for c, _ in self._t.conversations.values()
            if c.member_id == member_id and c.last_message_at is not None
        ]
        return max(times, default=None)


class InMemoryBandits:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def get(self, member_id: UUID) -> BanditState:
        found = self._t.bandits.get(member_id)
        return BanditState() if found is None else BanditState.model_validate_json(found)

    def save(self, member_id: UUID, state: BanditState, *, at: datetime) -> None:
        self._t.bandits[member_id] = state.model_dump_json()
