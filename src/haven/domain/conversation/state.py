"""The dialogue state of one conversation: the flow under way, what the member named, the
crisis mode, and the ratings that feed the bandit.

It is stored whole, encrypted with the member's data key, because almost everything in it
is in the member's own words.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from haven.domain.conversation.words import Mentions

__all__ = ["DialogueState", "FlowOutcome", "FlowProgress", "Memory"]

Answer = str | int | bool
_RECENT = 5  # earlier member messages kept as context for the risk check
_REMEMBERED = 5  # items kept per kind of memory


class FlowProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flow_id: str
    step: int = 0  # index of the step awaiting an answer (or about to be said)
    answers: dict[str, Answer] = Field(default_factory=dict)
    context: str | None = None  # the bandit context it was offered in, if the bandit chose it


class FlowOutcome(BaseModel):
    """A finished exercise: the bandit's reward comes from these ratings."""

    model_config = ConfigDict(extra="forbid")

    flow_id: str
    finished_at: datetime
    mood_before: int | None = None
    mood_after: int | None = None
    helpful: bool | None = None
    context: str | None = None


class Memory(BaseModel):
    """What the member has named, in their words (session memory)."""

    model_config = ConfigDict(extra="forbid")

    people: list[str] = Field(default_factory=list)
    stressors: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    plan: str | None = None  # an activity planned in an exercise, asked about next time

    def remember(self, mentions: Mentions) -> None:
        for kind in ("people", "stressors", "goals"):
            kept: list[str] = getattr(self, kind)
            for item in getattr(mentions, kind):
                if item in kept:
                    kept.remove(item)
                kept.append(item)
            del kept[:-_REMEMBERED]

    @property
    def latest_topic(self) -> str | None:
        """The most recent stressor, else person, the member named."""
        named = self.stressors or self.people
        return named[-1] if named else None


class DialogueState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    turns: int = 0
    active: FlowProgress | None = None
    paused: FlowProgress | None = None
    offered: str | None = None  # a flow offered last turn, awaiting yes or no
    offered_context: str | None = None
    crisis_level: str | None = None  # set while the crisis protocol holds the conversation
    crisis_turns: int = 0
    highest_risk: str = "none"
    red_flags: list[str] = Field(default_factory=list)
    recent: list[str] = Field(default_factory=list)
    memory: Memory = Field(default_factory=Memory)
    recalled: bool = False  # an earlier conversation's memory has been brought up
    emotions: dict[str, int] = Field(default_factory=dict)
    outcomes: list[FlowOutcome] = Field(default_factory=list)
    said: dict[str, int] = Field(default_factory=dict)  # last variant used per reply kind

    def heard(self, text: str) -> None:
        """Keep ``text`` as context for the next risk check."""
        self.recent.append(text)
        del self.recent[:-_RECENT]

    def carried_over(self) -> DialogueState:
        """The state a new conversation starts from: memory only, not yet recalled."""
        return DialogueState(memory=self.memory.model_copy(deep=True))
