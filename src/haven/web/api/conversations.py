"""Conversations with the companion over the API.

A member opens a conversation and posts messages to it; each answer carries the replies and
what the clinician view needs (the analysis in codes, the risk level and signals, whether the
crisis protocol ran, the flow under way). A clinician reads a member's conversations, with
their summaries and messages, when the member shares their record (every read audited).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field, StringConstraints

from haven.domain.crisis import country_from_accept_language
from haven.services import conversations
from haven.services.conversations import MAX_MESSAGE_LENGTH
from haven.web.api.crisis import CrisisResourcesOut, resources_for
from haven.web.api.schemas import API_PREFIX, Body, ErrorOut
from haven.web.deps import CurrentAccount, Services

__all__ = ["router"]

router = APIRouter(
    prefix=API_PREFIX,
    tags=["companion"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


class ConversationOut(BaseModel):
    id: UUID
    started_at: datetime
    last_message_at: datetime | None


class MessageIn(Body):
    # Twice the service's limit here, so the service's clear message answers a long one.
    text: Annotated[str, StringConstraints(max_length=MAX_MESSAGE_LENGTH * 2)] = Field(
        description="What the member wrote.", examples=["I can't stop worrying about work"]
    )
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None,
        description="ISO 3166-1 code for crisis lines; default: from Accept-Language.",
    )


class AnalysisOut(BaseModel):
    emotion: str
    emotion_confidence: float
    intent: str
    intent_confidence: float
    distortion: str
    distortion_confidence: float
    sentiment: float = Field(description="-1 (negative) to 1 (positive).")


class RiskOut(BaseModel):
    level: str = Field(description="none, low, moderate, high or imminent.")
    signals: list[str]
    explanation: str = Field(description="For a clinician; never quotes the member.")


class FlowOut(BaseModel):
    id: str
    step: int = Field(description="The step awaiting an answer, from 1.")
    steps: int


class TurnOut(BaseModel):
    conversation_id: UUID
    replies: list[str] = Field(description="The companion's messages, in order.")
    analysis: AnalysisOut
    risk: RiskOut
    crisis: bool = Field(description="The crisis protocol answered this message.")
    crisis_resources: CrisisResourcesOut | None = Field(
        description="Crisis lines for the member's country, when the reply shows them."
    )
    offer_safety_plan: bool
    red_flag: str | None
    disclosed_ai: bool = Field(description="The reply says the companion is an AI.")
    flow: FlowOut | None = Field(description="The exercise under way after this turn.")
    started: str | None
    finished: str | None
    alert_id: UUID | None = Field(description="The care-team alert this message opened.")


class ExerciseOut(BaseModel):
    flow_id: str
    mood_before: int | None
    mood_after: int | None
    helpful: bool | None


class SummaryOut(BaseModel):
    text: str
    turns: int
    emotions: dict[str, int]
    exercises: list[ExerciseOut]
    highest_risk: str
    red_flags: list[str]
    topics: list[str]
    goals: list[str]
    in_crisis: bool
    unfinished: str | None


class ConversationSummaryOut(ConversationOut):
    summary: SummaryOut


class ChatMessageOut(BaseModel):
    seq: int
    author: str = Field(description="member or companion.")
    body: str
    at: datetime
    risk_level: str | None
    signals: list[str]
    emotion: str | None
    intent: str | None
    distortion: str | None
    flow_id: str | None


@router.post("/conversations", response_model=ConversationOut, status_code=status.HTTP_201_CREATED)
def start(services: Services, account: CurrentAccount) -> ConversationOut:
    """Open a new conversation with the companion (members only)."""
    conversation = conversations.start_conversation(
        services.uow(), clock=services.clock, actor=account, documents=services.documents
    )
    return ConversationOut(
        id=conversation.id,
        started_at=conversation.started_at,
        last_message_at=conversation.last_message_at,
    )


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=TurnOut,
    responses={422: {"model": ErrorOut}},
)
def send(
    request: Request,
    services: Services,
    account: CurrentAccount,
    conversation_id: UUID,
    body: MessageIn,
) -> TurnOut:
    """Send a message and get the companion's reply. Every message is risk-checked first:
    at moderate risk or above the crisis protocol answers and the care team is alerted."""
    country = body.country or country_from_accept_language(request.headers.get("accept-language"))
    reply = conversations.take_turn(
        services.uow(),
        clock=services.clock,
        actor=account,
        conversation_id=conversation_id,
        text=body.text,
        companion=services.companion,
        documents=services.documents,
        country=country,
    )
    turn = reply.turn
    analysis = reply.analysis
    lang = account.locale.split("-")[0]
    return TurnOut(
        conversation_id=reply.conversation_id,
        replies=reply.replies,
        analysis=AnalysisOut(
            emotion=analysis.emotion,
            emotion_confidence=analysis.emotion_confidence,
            intent=analysis.intent,
            intent_confidence=analysis.intent_confidence,
            distortion=analysis.distortion,
            distortion_confidence=analysis.distortion_confidence,
            sentiment=analysis.sentiment,
        ),
        risk=RiskOut(
            level=reply.risk.level.value,
            signals=list(reply.risk.signals),
            explanation=reply.risk.explanation,
        ),
        crisis=turn.crisis,
        crisis_resources=resources_for(reply.country, lang) if turn.show_resources else None,
        offer_safety_plan=turn.offer_safety_plan,
        red_flag=turn.red_flag,
        disclosed_ai=turn.disclosed,
        flow=(
            FlowOut(id=reply.flow, step=reply.step, steps=reply.steps)
            if reply.flow and reply.step and reply.steps
            else None
        ),
        started=turn.started,
        finished=turn.finished.flow_id if turn.finished else None,
        alert_id=reply.alert_id,
    )


@router.get("/members/{member_id}/conversations", response_model=list[ConversationSummaryOut])
def list_conversations(
    services: Services, account: CurrentAccount, member_id: UUID
) -> list[ConversationSummaryOut]:
    """A member's conversations, newest first, each with a summary for the clinician."""
    found = conversations.conversations_of(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        documents=services.documents,
    )
    return [
        ConversationSummaryOut(
            id=c.id,
            started_at=c.started_at,
            last_message_at=c.last_message_at,
            summary=SummaryOut(
                text=s.text,
                turns=s.turns,
                emotions=s.emotions,
                exercises=[
                    ExerciseOut(
                        flow_id=e.flow_id,
                        mood_before=e.mood_before,
                        mood_after=e.mood_after,
                        helpful=e.helpful,
                    )
                    for e in s.exercises
                ],
                highest_risk=s.highest_risk,
                red_flags=s.red_flags,
                topics=s.topics,
                goals=s.goals,
                in_crisis=s.in_crisis,
                unfinished=s.unfinished,
            ),
        )
        for c, s in found
    ]


@router.get(
    "/members/{member_id}/conversations/{conversation_id}/messages",
    response_model=list[ChatMessageOut],
)
def read_messages(
    services: Services, account: CurrentAccount, member_id: UUID, conversation_id: UUID
) -> list[ChatMessageOut]:
    """Every message of one conversation, oldest first."""
    _, messages = conversations.conversation_messages(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=member_id,
        conversation_id=conversation_id,
        documents=services.documents,
    )
    return [
        ChatMessageOut(
            seq=m.seq,
            author=m.author.value,
            body=m.body,
            at=m.at,
            risk_level=m.risk_level,
            signals=list(m.signals),
            emotion=m.emotion,
            intent=m.intent,
            distortion=m.distortion,
            flow_id=m.flow_id,
        )
        for m in messages
    ]
