"""The short summary of a conversation a clinician reads: what the member felt, what they
did, how their mood moved, and whether anything needed a human. Built from the dialogue
state; it names topics in the member's words, so it is shown only to those who may read
the record (and every read is audited)."""

from __future__ import annotations

from dataclasses import dataclass

from haven.domain.conversation.state import DialogueState

__all__ = ["ConversationSummary", "summarise"]


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    flow_id: str
    mood_before: int | None
    mood_after: int | None
    helpful: bool | None


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    turns: int
    emotions: dict[str, int]  # emotion code -> messages, most frequent first
    exercises: list[ExerciseResult]
    highest_risk: str
    red_flags: list[str]
    topics: list[str]  # stressors and people the member named, in their words
    goals: list[str]
    in_crisis: bool
    unfinished: str | None  # a flow under way or paused

    @property
    def text(self) -> str:
        """One paragraph in English for the timeline (codes and the member's topics)."""
        parts = [f"{self.turns} member message{'s' if self.turns != 1 else ''}"]
        if self.emotions:
            parts.append("mostly " + ", ".join(list(self.emotions)[:2]).replace("_", "/"))
        for done in self.exercises:
            line = f"{done.flow_id.replace('_', ' ')} done"
            if done.mood_before is not None and done.mood_after is not None:
                line += f" (mood {done.mood_before}\u2192{done.mood_after})"
            if done.helpful is not None:
                line += ", helpful" if done.helpful else ", not helpful"
            parts.append(line)
        if self.topics:
            parts.append("talked about " + ", ".join(self.topics))
        if self.highest_risk not in {"none", "low"}:
            parts.append(f"risk {self.highest_risk}")
        if self.red_flags:
            parts.append("red flags: " + ", ".join(f.replace("_", " ") for f in self.red_flags))
        return "; ".join(parts) + "."


def summarise(state: DialogueState) -> ConversationSummary:
    emotions = dict(sorted(state.emotions.items(), key=lambda item: (-item[1], item[0])))
    unfinished = state.active or state.paused
    return ConversationSummary(
        turns=state.turns,
        emotions=emotions,
        exercises=[
            ExerciseResult(o.flow_id, o.mood_before, o.mood_after, o.helpful)
            for o in state.outcomes
        ],
        highest_risk=state.highest_risk,
        red_flags=list(state.red_flags),
        topics=[*state.memory.stressors, *state.memory.people],
        goals=list(state.memory.goals),
        in_crisis=state.crisis_level is not None,
        unfinished=unfinished.flow_id if unfinished else None,
    )
