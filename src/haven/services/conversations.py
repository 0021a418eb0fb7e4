"""Talking with the companion: starting a conversation, taking a turn, reading it back.

``take_turn`` is the whole of one turn in one transaction: the message is analysed and
risk-checked (one embedding shared by both), the domain decides the reply, the bandit
learns from a finished exercise, every outgoing reply passes the output guard, and the
member's message, the replies, the dialogue state, any alert and the audit entry are
written together or not at all.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from haven.domain.alerts import AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind, current_grants
from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.conversation.flows import Flow, FlowKind
from haven.domain.conversation.record import Author, ChatMessage, Conversation
from haven.domain.conversation.replies import Replies
from haven.domain.conversation.state import DialogueState
from haven.domain.conversation.summary import ConversationSummary, summarise
from haven.domain.conversation.turn import TurnInput, TurnResult
from haven.domain.conversation.turn import take_turn as decide_turn
from haven.domain.conversation.words import Words
from haven.domain.crisis import CrisisDirectory
from haven.domain.errors import InvalidInput, NotFound, PermissionDenied
from haven.domain.output_guard import SAFE_REPLY, GuardPatterns, guard
from haven.domain.people import Account, Role
from haven.domain.personalization.bandit import BanditState, Context, ExerciseBandit, reward
from haven.domain.ports import Clock, MessageAnalyser, ReflectionDrafter, RiskCheck, UnitOfWork
from haven.domain.risk import RiskAssessment
from haven.domain.text import N_
from haven.i18n import translations
from haven.services import _audit, escalation
from haven.services._access import open_member_record

__all__ = [
    "CONVERSATION_NOT_FOUND",
    "MAX_MESSAGE_LENGTH",
    "Companion",
    "Reply",
    "conversation_messages",
    "conversations_of",
    "start_conversation",
    "take_turn",
]

Documents = Mapping[ConsentKind, ConsentDocument]
MAX_MESSAGE_LENGTH = 4000  # a chat message, not an essay; the journal takes long writing
CONVERSATION_NOT_FOUND = N_("No such conversation.")


@dataclass(frozen=True)
class Companion:
    """Everything a turn needs besides the database: content, models, the bandit."""

    flows: Mapping[str, Flow]
    words: Words
    replies: Replies
    analyser: MessageAnalyser
    check_risk: RiskCheck
    crisis: CrisisDirectory
    guard_patterns: GuardPatterns
    drafter: ReflectionDrafter | None = None
    rng: random.Random = field(default_factory=random.Random)

    @property
    def bandit(self) -> ExerciseBandit:
        return ExerciseBandit(
            {f.id: f.suits for f in self.flows.values() if f.kind is FlowKind.EXERCISE}
        )


@dataclass(frozen=True, slots=True)
class Reply:
    """What the member sees, and what the clinician view and the API report of the turn."""

    conversation_id: UUID
    replies: list[str]
    analysis: MessageAnalysis
    risk: RiskAssessment
    turn: TurnResult
    country: str | None  # the resources shown are for this country (None: international)
    flow: str | None  # the flow under way after this turn
    step: int | None
    steps: int | None
    alert_id: UUID | None
    drafted: bool  # a reflection was rephrased by the LLM


def start_conversation(
    uow: UnitOfWork, *, clock: Clock, actor: Account, documents: Documents
) -> Conversation:
    """A member opens a new conversation; it remembers what they named last time."""
    if actor.role is not Role.MEMBER:
        raise PermissionDenied(N_("Only members talk with the companion."))
    now = clock.now()
    conversation = Conversation(id=uuid.uuid4(), member_id=actor.id, started_at=now)
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=actor.id, documents=documents)
        earlier = uow.conversations.for_member(actor.id)
        state = uow.conversations.state(earlier[0]).carried_over() if earlier else DialogueState()
        uow.conversations.add(conversation, state)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="conversation.start",
            purpose=purpose,
            subject_id=actor.id,
            target_id=conversation.id,
        )
        uow.commit()
    return conversation


def take_turn(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    conversation_id: UUID,
    text: str,
    companion: Companion,
    documents: Documents,
    country: str | None = None,
    lang: str | None = None,
) -> Reply:
    """Answer one member message, in ``lang`` (default: the member's language), with crisis
    lines for ``country`` (default: the region of the member's language, else
    international)."""
    _check_message(text)
    lang = (lang or actor.locale).split("-")[0]
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=actor.id, documents=documents)
        conversation = uow.conversations.get(member_id=actor.id, conversation_id=conversation_id)
        if conversation is None:
            raise NotFound(CONVERSATION_NOT_FOUND)
        state = uow.conversations.state(conversation)
        # The risk check reads the conversation's recent messages; the analysis reuses the
        # message's embedding from the encoder's cache.
        risk = companion.check_risk(text, state.recent)
        analysis = companion.analyser.analyse(text)
        now = clock.now()
        last = uow.conversations.last_message_at(actor.id)
        grants = current_grants(uow.consents.for_account(actor.id), documents)
        told = bool(uow.care_teams.clinicians_of(actor.id)) and (
            ConsentKind.CARE_TEAM_SHARING in grants
        )
        resources = companion.crisis.for_country(country or _region(actor.locale))
        bandit_state = uow.bandits.get(actor.id)
        context = Context.of(
            emotion=analysis.emotion, local_time=now, recent_mood=_recent_mood(state)
        )
        bandit = companion.bandit
        result = decide_turn(
            state,
            TurnInput(
                text=text,
                lang=lang,
                now=now,
                analysis=analysis,
                risk=risk,
                # A conversation the companion opened (a check-in after a deterioration
                # alert) already began by saying it is an AI.
                first_use=last is None
                and state.turns == 0
                and uow.conversations.message_count(conversation.id) == 0,
                days_away=None if last is None else (now - last).total_seconds() / 86400,
                has_safety_plan=uow.safety_plans.get(actor.id) is not None,
                care_team_told=told and risk.flagged,
                resources=resources or companion.crisis.international,
                suggestion=bandit.choose(bandit_state, context, companion.rng),
                suggestion_context=context.key,
            ),
            flows=companion.flows,
            words=companion.words,
            replies=companion.replies,
        )
        if _learn(bandit, bandit_state, result, fallback=context):
            uow.bandits.save(actor.id, bandit_state, at=now)
        drafted = _draft(companion, result, text=text, lang=lang, analysis=analysis, risk=risk)
        replies = [_guarded(reply, companion, lang) for reply in result.replies]

        seq = uow.conversations.message_count(conversation.id)
        member_message = ChatMessage(
            id=uuid.uuid4(),
            conversation_id=conversation.id,
            member_id=actor.id,
            seq=seq + 1,
            author=Author.MEMBER,
            body=text,
            at=now,
            risk_level=risk.level.value,
            signals=risk.signals,
            emotion=analysis.emotion,
            intent=analysis.intent,
            distortion=analysis.distortion,
            flow_id=(state.active.flow_id if state.active else result.started),
        )
        uow.conversations.add_messages(
            [
                member_message,
                *(
                    ChatMessage(
                        id=uuid.uuid4(),
                        conversation_id=conversation.id,
                        member_id=actor.id,
                        seq=seq + 2 + n,
                        author=Author.COMPANION,
                        body=reply,
                        at=now,
                    )
                    for n, reply in enumerate(replies)
                ),
            ]
        )
        uow.conversations.save_state(conversation, state, last_message_at=now)
        alert = escalation.escalate_message(
            uow,
            member_id=actor.id,
            source=AlertSource.CONVERSATION,
            source_id=member_message.id,
            risk=risk,
            at=now,
        )
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="conversation.turn",
            purpose=purpose,
            subject_id=actor.id,
            target_id=conversation.id,
        )
        uow.commit()
    active = state.active
    flow = companion.flows.get(active.flow_id) if active else None
    return Reply(
        conversation_id=conversation.id,
        replies=replies,
        analysis=analysis,
        risk=risk,
        turn=result,
        country=resources.code if resources else None,
        flow=flow.id if flow else None,
        step=(active.step + 1) if active else None,
        steps=len(flow.steps) if flow else None,
        alert_id=alert.id if alert else None,
        drafted=drafted,
    )


def conversations_of(
    uow: UnitOfWork, *, clock: Clock, actor: Account, member_id: UUID, documents: Documents
) -> list[tuple[Conversation, ConversationSummary]]:
    """A member's conversations, newest first, each with its summary (audited)."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        found = [
            (c, summarise(uow.conversations.state(c)))
            for c in uow.conversations.for_member(member_id)
        ]
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="conversation.list",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return found


def conversation_messages(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    conversation_id: UUID,
    documents: Documents,
) -> tuple[Conversation, list[ChatMessage]]:
    """One conversation's messages, oldest first (reading them is audited)."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        conversation = uow.conversations.get(member_id=member_id, conversation_id=conversation_id)
        if conversation is None:
            raise NotFound(CONVERSATION_NOT_FOUND)
        messages = uow.conversations.messages(member_id=member_id, conversation_id=conversation_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="conversation.read",
            purpose=purpose,
            subject_id=member_id,
            target_id=conversation_id,
        )
        uow.commit()
    return conversation, messages


def _check_message(text: str) -> None:
    if not text.strip():
        raise InvalidInput(N_("Write a message before sending."), field="text")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(
            N_("This message is longer than {maximum} characters; send it in parts."),
            field="text",
            maximum=MAX_MESSAGE_LENGTH,
        )
    if "\x00" in text:
        raise InvalidInput(N_("The text contains a character that cannot be stored."), field="text")


def _region(locale: str) -> str | None:
    parts = locale.replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None


def _recent_mood(state: DialogueState) -> int | None:
    """The latest 0-10 mood rating in this conversation (after an exercise, else before)."""
    for outcome in reversed(state.outcomes):
        if outcome.mood_after is not None:
            return outcome.mood_after
        if outcome.mood_before is not None:
            return outcome.mood_before
    return None


def _learn(
    bandit: ExerciseBandit, bandit_state: BanditState, result: TurnResult, *, fallback: Context
) -> bool:
    """Update the member's bandit with a finished exercise's reward; whether it changed."""
    done = result.finished
    if done is None or done.flow_id not in bandit.arms:
        return False
    value = reward(mood_before=done.mood_before, mood_after=done.mood_after, helpful=done.helpful)
    if value is None:
        return False
    context = Context.from_key(done.context) if done.context else fallback
    bandit.update(bandit_state, done.flow_id, context, value)
    return True


def _draft(
    companion: Companion,
    result: TurnResult,
    *,
    text: str,
    lang: str,
    analysis: MessageAnalysis,
    risk: RiskAssessment,
) -> bool:
    """Let the LLM rephrase the reflection, when one is configured and the message is not
    at risk (a message at risk never reaches it); its draft must pass the output guard."""
    if companion.drafter is None or result.reflection is None or risk.level.rank > 0:
        return False
    fallback = result.replies[result.reflection]
    draft = companion.drafter.reflect(text, lang=lang, emotion=analysis.emotion, fallback=fallback)
    if draft is None or guard(draft, patterns=companion.guard_patterns).blocked:
        return False
    result.replies[result.reflection] = draft
    return True


def _guarded(reply: str, companion: Companion, lang: str) -> str:
    """Every reply passes the output guard; a blocked one is replaced whole."""
    if guard(reply, patterns=companion.guard_patterns).blocked:
        return translations(lang).gettext(SAFE_REPLY)
    return reply
