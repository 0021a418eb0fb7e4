"""The flow engine: says a flow's steps, reads the member's answers, and finishes the flow.

A flow stops at each step that waits for an answer. An answer that does not fit (a rating out
of range, an unknown choice) is asked for again with a short explanation, never guessed. When
the automatic thought of a thought record shows a cognitive distortion, the ``distortions``
step names it in plain words and asks a Socratic question (Beck 2011, ch. 12).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.conversation.flows import Flow, Step, StepKind, StepRole
from haven.domain.conversation.replies import Voice
from haven.domain.conversation.state import DialogueState, FlowOutcome, FlowProgress
from haven.domain.conversation.words import Words

__all__ = ["DISTORTION_CONFIDENCE", "FlowEngine", "FlowTurn"]

# Below this classifier confidence the thought record does not name a distortion: a wrong
# label teaches the member the wrong thing, while the fallback question is always safe.
DISTORTION_CONFIDENCE = 0.45
_MAX_ANSWER = 500  # characters kept of a free-text answer
_DISTORTION_KEY = "_distortion"


@dataclass(frozen=True, slots=True)
class FlowTurn:
    messages: list[str]
    finished: FlowOutcome | None = None


class FlowEngine:
    def __init__(self, flows: Mapping[str, Flow], words: Words, voice: Voice) -> None:
        self._flows = flows
        self._words = words
        self._voice = voice

    def start(
        self, flow: Flow, state: DialogueState, *, context: str | None, now: datetime
    ) -> FlowTurn:
        state.active = FlowProgress(flow_id=flow.id, context=context)
        return self._speak(state, now=now)

    def repeat(self, state: DialogueState) -> list[str]:
        """The question the active flow is waiting on, asked again."""
        progress = state.active
        if progress is None:
            return []
        flow = self._flows[progress.flow_id]
        return [self._say(flow.steps[progress.step], progress)]

    def answer(
        self, text: str, analysis: MessageAnalysis, state: DialogueState, *, now: datetime
    ) -> FlowTurn:
        progress = state.active
        assert progress is not None
        step = self._flows[progress.flow_id].steps[progress.step]
        value, problem = self._read(step, text, analysis)
        if problem is not None:
            return FlowTurn([problem, self._say(step, progress)])
        if step.store is not None and value is not None:
            progress.answers[step.store] = value
        if step.role is StepRole.AUTOMATIC_THOUGHT and (
            analysis.distortion != "none"
            and analysis.distortion_confidence >= DISTORTION_CONFIDENCE
        ):
            progress.answers[_DISTORTION_KEY] = analysis.distortion
        if step.role is StepRole.PLAN and isinstance(value, str) and value:
            state.memory.plan = value
        progress.step += 1
        return self._speak(state, now=now)

    def _read(
        self, step: Step, text: str, analysis: MessageAnalysis
    ) -> tuple[str | int | bool | None, str | None]:
        """The answer's value, or the reason it does not fit the step."""
        lang = self._voice.lang
        control = self._voice.replies.control
        if step.kind is StepKind.CONTINUE or step.kind is StepKind.SAY:
            return None, None
        if step.kind is StepKind.TEXT:
            cleaned = " ".join(text.split())[:_MAX_ANSWER]
            return ("" if self._words.is_skip(cleaned, lang) else cleaned), None
        if step.kind is StepKind.RATING:
            assert step.min is not None
            assert step.max is not None
            rating = self._words.rating(text, lang, low=step.min, high=step.max)
            if rating is None:
                return None, self._voice.text(control.rating_invalid, min=step.min, max=step.max)
            return rating, None
        if step.kind is StepKind.YES_NO:
            if self._words.is_no(text, lang):
                return False, None
            if self._words.is_yes(text, lang):
                return True, None
            return None, self._voice.text(control.yes_no_invalid)
        chosen = self._choice(step, text)
        if chosen is None:
            labels = ", ".join(
                f"{n}. {option.label[lang]}" for n, option in enumerate(step.options, 1)
            )
            return None, self._voice.text(control.choice_invalid, options=labels)
        return chosen, None

    def _choice(self, step: Step, text: str) -> str | None:
        lang = self._voice.lang
        typed = text.casefold().strip(" .!")
        number = self._words.rating(typed, lang, low=1, high=len(step.options))
        if number is not None and typed.isdigit():
            return step.options[number - 1].id
        for option in step.options:
            names = [option.label[lang].casefold(), option.id, *option.words.get(lang, [])]
            if any(name.casefold() in typed for name in names):
                return option.id
        return None

    def _speak(self, state: DialogueState, *, now: datetime) -> FlowTurn:
        """Say steps from the current one until one waits; finish the flow at its end."""
        progress = state.active
        assert progress is not None
        flow = self._flows[progress.flow_id]
        messages: list[str] = []
        while progress.step < len(flow.steps):
            step = flow.steps[progress.step]
            messages.append(self._say(step, progress))
            if step.waits:
                return FlowTurn(messages)
            progress.step += 1
        state.active = None
        outcome = self._outcome(flow, progress, now=now)
        state.outcomes.append(outcome)
        messages.extend(self._closing(outcome))
        return FlowTurn(messages, finished=outcome)

    def _say(self, step: Step, progress: FlowProgress) -> str:
        distortion = progress.answers.get(_DISTORTION_KEY)
        if step.role is StepRole.DISTORTIONS and isinstance(distortion, str):
            words = self._voice.replies.distortions[distortion]
            name = self._voice.text(words.name)
            return (
                f"{name[:1].upper()}{name[1:]}: {self._voice.text(words.explain)} "
                f"{self._voice.text(words.question)}"
            )
        values = {k: str(v) for k, v in progress.answers.items() if not k.startswith("_")}
        return self._voice.text(step.say, **values)

    def _outcome(self, flow: Flow, progress: FlowProgress, *, now: datetime) -> FlowOutcome:
        by_role = {
            step.role: progress.answers.get(step.store or "")
            for step in flow.steps
            if step.role is not None
        }
        before = by_role.get(StepRole.MOOD_BEFORE)
        after = by_role.get(StepRole.MOOD_AFTER)
        helpful = by_role.get(StepRole.HELPFUL)
        return FlowOutcome(
            flow_id=flow.id,
            finished_at=now,
            mood_before=before
            if isinstance(before, int) and not isinstance(before, bool)
            else None,
            mood_after=after if isinstance(after, int) and not isinstance(after, bool) else None,
            helpful=helpful if isinstance(helpful, bool) else None,
            context=progress.context,
        )

    def _closing(self, outcome: FlowOutcome) -> list[str]:
        control = self._voice.replies.control
        messages = []
        if outcome.mood_before is not None and outcome.mood_after is not None:
            change = (
                control.mood_better
                if outcome.mood_after > outcome.mood_before
                else control.mood_same_or_worse
            )
            messages.append(
                self._voice.text(change, before=outcome.mood_before, after=outcome.mood_after)
            )
        if self._flows[outcome.flow_id].kind.value != "check_in":
            messages.append(self._voice.text(control.flow_finished))
        return messages


def _rating(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
