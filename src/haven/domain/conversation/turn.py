"""One turn of the companion: what it says to a member's message, and why.

The order is the clinical priority:

1. Risk at moderate or above starts (or continues) the crisis protocol: the flow under way
   stops; the companion answers with warmth, asks directly about suicidal thoughts in the
   C-SSRS manner (Posner et al. 2011), shows crisis lines for the member's country, offers
   their safety plan, and says whether the care team was told. It never quotes the message.
2. Other clinical red flags (psychosis, mania, reassurance seeking, disordered eating, danger
   from others) get their own careful answer; the exercise under way is paused.
3. "Are you a person?" is always answered: the companion is an AI (also said at first use
   and after a week away).
4. Pause and resume; the flow under way reads the answer; an offered exercise is started
   or declined; an exercise asked for by name starts.
5. Otherwise a reflection grounded in the emotion and the member's own words, then either an
   open question or the exercise the bandit suggests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.conversation.engine import FlowEngine
from haven.domain.conversation.flows import Flow
from haven.domain.conversation.replies import Replies, Voice, addressed
from haven.domain.conversation.state import DialogueState, FlowOutcome
from haven.domain.conversation.words import Words
from haven.domain.crisis import CountryResources, CrisisLine, FallbackResources
from haven.domain.risk import MessageRisk, RiskAssessment

__all__ = ["RED_FLAGS", "TurnInput", "TurnResult", "take_turn"]

# In order of who is in danger first: when a message shows two, the first is answered
# ("the voices say I must punish my sister" is first a risk to the sister).
RED_FLAGS = (
    "harm_to_others",
    "danger_from_others",
    "psychosis",
    "mania",
    "disordered_eating",
    "reassurance_seeking",
)
_SUICIDE_SIGNALS_ABSENT = {"harm_to_others", "distress", "timing", "means_named", "resolved_past"}
_CRISIS_CALM_TURNS = 2  # unflagged turns after which the crisis protocol lets go
_INTENT_CONFIDENCE = 0.5
# Below this the feeling is not named back: a wrong guess ("that sounds calm" to someone who
# is low) tells the member they were not heard.
_EMOTION_CONFIDENCE = 0.45
# Small talk that would close or sidetrack the conversation; never answered as such when the
# message carries a negative feeling ("estoy de bajón" is not a goodbye).
_SMALL_TALK = frozenset({"greeting", "goodbye", "gratitude", "ask_about_haven", "off_topic"})
_OFFER_EVERY = 2  # negative turns between offers of an exercise
_RETURNING_DAYS = 7


@dataclass(frozen=True, slots=True)
class TurnInput:
    text: str
    lang: str
    now: datetime
    analysis: MessageAnalysis
    risk: RiskAssessment
    first_use: bool  # the member has never talked to the companion before
    days_away: float | None  # since their last message in any conversation
    has_safety_plan: bool
    care_team_told: bool  # an alert went to a care team the member shares with
    resources: CountryResources | FallbackResources
    suggestion: str  # the exercise the bandit would offer now
    suggestion_context: str  # the bandit context it was chosen in


@dataclass(slots=True)
class TurnResult:
    replies: list[str]
    crisis: bool = False
    show_resources: bool = False
    offer_safety_plan: bool = False
    red_flag: str | None = None
    disclosed: bool = False
    started: str | None = None
    finished: FlowOutcome | None = None
    reflection: int | None = None  # index of the reply an LLM may rephrase, if any


def take_turn(
    state: DialogueState,
    turn: TurnInput,
    *,
    flows: Mapping[str, Flow],
    words: Words,
    replies: Replies,
) -> TurnResult:
    """Answer ``turn.text``; ``state`` is updated in place."""
    voice = Voice(replies, lang=turn.lang, state=state)
    engine = FlowEngine(flows, words, voice)
    state.turns += 1
    state.emotions[turn.analysis.emotion] = state.emotions.get(turn.analysis.emotion, 0) + 1
    if turn.risk.level.rank > MessageRisk(state.highest_risk).rank:
        state.highest_risk = turn.risk.level.value
    if not turn.risk.flagged:
        state.memory.remember(words.mentions(turn.text, voice.lang))

    opening: list[str] = []
    disclosed = False
    if turn.first_use:
        opening.append(voice.text(replies.disclosure.first))
        disclosed = True
    elif turn.days_away is not None and turn.days_away >= _RETURNING_DAYS:
        opening.append(voice.text(replies.disclosure.returning))
        disclosed = True

    result = _respond(state, turn, voice=voice, engine=engine, flows=flows, words=words)
    result.replies[:0] = opening
    if result.reflection is not None:
        result.reflection += len(opening)
    result.disclosed = result.disclosed or disclosed
    state.heard(turn.text)
    return result


def _respond(
    state: DialogueState,
    turn: TurnInput,
    *,
    voice: Voice,
    engine: FlowEngine,
    flows: Mapping[str, Flow],
    words: Words,
) -> TurnResult:
    replies = voice.replies
    lang = voice.lang
    if turn.risk.flagged:
        return _crisis(state, turn, voice=voice)
    if state.crisis_level is not None:
        state.crisis_turns += 1
        if state.crisis_turns < _CRISIS_CALM_TURNS:
            return _crisis_follow_up(state, turn, voice=voice, words=words)
        state.crisis_level = None

    red_flag = next((code for code in RED_FLAGS if code in turn.risk.signals), None)
    if red_flag is not None:
        if state.active is not None:
            state.paused, state.active = state.active, None
        state.offered = None
        if red_flag not in state.red_flags:
            state.red_flags.append(red_flag)
        messages = [voice.text(replies.red_flags[red_flag])]
        show = red_flag in {"danger_from_others", "harm_to_others"}
        if show:
            messages.extend(_resources(turn, voice, abuse=red_flag == "danger_from_others"))
        return TurnResult(messages, red_flag=red_flag, show_resources=show)

    if words.asks_if_human(turn.text) or (
        turn.analysis.intent == "ask_if_human"
        and turn.analysis.intent_confidence >= _INTENT_CONFIDENCE
    ):
        return TurnResult(
            [voice.text(replies.disclosure.asked), *engine.repeat(state)], disclosed=True
        )

    if words.is_pause(turn.text, lang) and state.active is not None:
        title = voice.text(flows[state.active.flow_id].title)
        state.paused, state.active = state.active, None
        return TurnResult([voice.text(replies.control.paused, title=title)])
    if words.is_resume(turn.text, lang) and state.active is None:
        if state.paused is None:
            return TurnResult([voice.text(replies.control.nothing_to_resume)])
        state.active, state.paused = state.paused, None
        title = voice.text(flows[state.active.flow_id].title)
        return TurnResult([voice.text(replies.control.resumed, title=title), *engine.repeat(state)])

    asked_for = _named_flow(turn, flows, lang)
    if state.active is not None:
        if asked_for is not None and asked_for.id != state.active.flow_id:
            state.paused = state.active
            return _start(asked_for, state, turn, voice=voice, engine=engine, context=None)
        flow_turn = engine.answer(turn.text, turn.analysis, state, now=turn.now)
        return TurnResult(flow_turn.messages, finished=flow_turn.finished)

    if state.offered is not None:
        offered, context = flows.get(state.offered), state.offered_context
        state.offered = state.offered_context = None
        if offered is not None and words.is_yes(turn.text, lang):
            return _start(offered, state, turn, voice=voice, engine=engine, context=context)
        if words.is_no(turn.text, lang):
            return TurnResult([voice.pick("offer_declined", replies.offer_declined)])
    if asked_for is not None:
        return _start(asked_for, state, turn, voice=voice, engine=engine, context=None)
    if words.is_acknowledgement(turn.text, lang):
        return TurnResult([voice.pick("question", replies.questions)])
    if len(turn.text.split()) <= 2 and words.rating(turn.text, lang, low=0, high=10) is not None:
        # A bare number out of any exercise reads as a mood rating, not as a greeting.
        return TurnResult([voice.pick("intent.report_mood", replies.intents.report_mood)])
    return _conversation(state, turn, voice=voice, flows=flows)


def _conversation(
    state: DialogueState, turn: TurnInput, *, voice: Voice, flows: Mapping[str, Flow]
) -> TurnResult:
    replies = voice.replies
    analysis = turn.analysis
    intent = analysis.intent if analysis.intent_confidence >= _INTENT_CONFIDENCE else "vent"
    if intent in _SMALL_TALK and analysis.negative and intent != "ask_about_haven":
        intent = "vent"
    messages: list[str] = []
    if intent == "ask_exercise":
        return _offer(state, turn, voice=voice, flows=flows, messages=messages)
    if intent in _SMALL_TALK or (intent == "report_mood" and not analysis.negative):
        messages.append(voice.pick(f"intent.{intent}", getattr(replies.intents, intent)))
        if intent == "greeting" and not state.recalled:
            messages.extend(_recall(state, voice))
        return TurnResult(messages)

    topic = _topic_in(turn.text, state, voice.lang)
    reflections = replies.reflections[analysis.emotion]
    if analysis.emotion_confidence < _EMOTION_CONFIDENCE:
        reflection = voice.pick("unclear", replies.unclear)
    elif topic is not None:
        reflection = voice.pick(
            f"reflect.{analysis.emotion}.topic", reflections.with_topic, topic=topic
        )
    else:
        reflection = voice.pick(f"reflect.{analysis.emotion}", reflections.plain)
    messages.append(reflection)
    negative_turns = sum(
        state.emotions.get(e, 0)
        for e in ("sadness", "anxiety", "anger", "shame_guilt", "loneliness")
    )
    if analysis.negative and negative_turns % _OFFER_EVERY == 0 and state.paused is None:
        result = _offer(state, turn, voice=voice, flows=flows, messages=messages)
    else:
        messages.append(voice.pick("question", replies.questions))
        result = TurnResult(messages)
    result.reflection = 0
    return result


def _offer(
    state: DialogueState,
    turn: TurnInput,
    *,
    voice: Voice,
    flows: Mapping[str, Flow],
    messages: list[str],
) -> TurnResult:
    flow = flows[turn.suggestion]
    state.offered, state.offered_context = flow.id, turn.suggestion_context
    messages.append(
        voice.pick(
            "offer", voice.replies.offer, title=voice.text(flow.title), offer=voice.text(flow.offer)
        )
    )
    return TurnResult(messages)


def _start(
    flow: Flow,
    state: DialogueState,
    turn: TurnInput,
    *,
    voice: Voice,
    engine: FlowEngine,
    context: str | None,
) -> TurnResult:
    state.offered = state.offered_context = None
    flow_turn = engine.start(flow, state, context=context, now=turn.now)
    return TurnResult(flow_turn.messages, started=flow.id, finished=flow_turn.finished)


def _named_flow(turn: TurnInput, flows: Mapping[str, Flow], lang: str) -> Flow | None:
    """A flow the member asks for by name ("can we do the breathing exercise?")."""
    text = turn.text.casefold()
    short = len(text.split()) <= 4
    if not (short or turn.analysis.intent == "ask_exercise"):
        return None
    best: tuple[int, Flow] | None = None
    for flow in flows.values():
        for alias in flow.aliases.get(lang, []):
            if re.search(rf"\b{re.escape(alias.casefold())}\b", text) and (
                best is None or len(alias) > best[0]
            ):
                best = (len(alias), flow)
    return best[1] if best else None


def _topic_in(text: str, state: DialogueState, lang: str) -> str | None:
    """A stressor or person this message names, turned to address the member."""
    lowered = text.casefold()
    for item in reversed(state.memory.stressors + state.memory.people):
        if item in lowered:
            return addressed(item, lang)
    return None


def _recall(state: DialogueState, voice: Voice) -> list[str]:
    """Bring back, once, what the member said in an earlier conversation."""
    state.recalled = True
    if state.memory.plan:
        plan, state.memory.plan = state.memory.plan, None
        return [voice.text(voice.replies.memory.follow_up_plan, plan=plan)]
    topic = state.memory.latest_topic
    if topic is None:
        return []
    return [voice.pick("recall", voice.replies.memory.recall, item=addressed(topic, voice.lang))]


def _crisis(state: DialogueState, turn: TurnInput, *, voice: Voice) -> TurnResult:
    crisis = voice.replies.crisis
    level = turn.risk.level
    if state.active is not None or state.paused is not None or state.offered is not None:
        state.active = state.paused = None
        state.offered = state.offered_context = None
    first = state.crisis_level is None
    state.crisis_level, state.crisis_turns = level.value, 0
    about_suicide = bool(set(turn.risk.signals) - _SUICIDE_SIGNALS_ABSENT)
    messages: list[str] = []
    if first:
        messages.append(voice.text(getattr(crisis.opening, level.value)))
    else:
        messages.append(voice.pick("crisis.staying", crisis.staying))
    if "harm_to_others" in turn.risk.signals:
        messages.append(voice.text(voice.replies.red_flags["harm_to_others"]))
    if about_suicide:
        messages.append(voice.text(crisis.ask if first else crisis.ask_plan))
    if level.rank >= MessageRisk.HIGH.rank:
        messages.append(voice.text(crisis.emergency, emergency=_emergency(turn.resources)))
    messages.extend(_resources(turn, voice))
    if _in_danger_from_others(turn):
        # Someone hurting them is part of the crisis: the abuse services come with it.
        messages.extend(_resources(turn, voice, abuse=True))
    messages.append(
        voice.text(crisis.safety_plan_offer if turn.has_safety_plan else crisis.no_safety_plan)
    )
    messages.append(
        voice.text(crisis.team_alerted if turn.care_team_told else crisis.team_not_alerted)
    )
    return TurnResult(
        messages,
        crisis=True,
        show_resources=True,
        offer_safety_plan=turn.has_safety_plan,
        red_flag="harm_to_others" if "harm_to_others" in turn.risk.signals else None,
    )


def _crisis_follow_up(
    state: DialogueState, turn: TurnInput, *, voice: Voice, words: Words
) -> TurnResult:
    """A turn soon after a crisis message that is not itself flagged: stay with the member,
    keep help in view, and never go back to an exercise as if nothing happened."""
    crisis = voice.replies.crisis
    messages = [voice.pick("crisis.staying", crisis.staying)]
    if _in_danger_from_others(turn):
        # Told after the crisis began that someone is hurting them: answer that too, with
        # the services for it, rather than only repeating the suicide lines.
        if "danger_from_others" not in state.red_flags:
            state.red_flags.append("danger_from_others")
        messages.append(voice.text(voice.replies.red_flags["danger_from_others"]))
        messages.extend(_resources(turn, voice, abuse=True))
        return TurnResult(
            messages,
            crisis=True,
            show_resources=True,
            offer_safety_plan=turn.has_safety_plan,
            red_flag="danger_from_others",
        )
    if words.is_yes(turn.text, voice.lang):
        # "Yes" to "have you been thinking of killing yourself?": ask about a plan next.
        messages.append(voice.text(crisis.ask_plan))
    messages.extend(_resources(turn, voice))
    return TurnResult(
        messages, crisis=True, show_resources=True, offer_safety_plan=turn.has_safety_plan
    )


def _in_danger_from_others(turn: TurnInput) -> bool:
    return "danger_from_others" in turn.risk.signals and bool(turn.resources.abuse_lines)


def _emergency(resources: CountryResources | FallbackResources) -> str:
    return resources.emergency if isinstance(resources, CountryResources) else "112 / 911"


def _resources(turn: TurnInput, voice: Voice, *, abuse: bool = False) -> list[str]:
    """The crisis lines for the member's country, one line each; for someone in danger from
    another person, the country's abuse and domestic-violence services when it has them."""
    resources = turn.resources
    lang = voice.lang
    country = resources.name.get(lang) or resources.name["en"]
    crisis = voice.replies.crisis
    if abuse and resources.abuse_lines:
        lines = [voice.text(crisis.abuse_resources_intro, country=country)]
        lines.extend(f"• {_describe(line, lang)}" for line in resources.abuse_lines)
    else:
        lines = [voice.text(crisis.resources_intro, country=country)]
        lines.extend(f"• {_describe(line, lang)}" for line in resources.lines)
    return ["\n".join(lines)]


def _describe(line: CrisisLine, lang: str) -> str:
    ways = []
    if line.phone:
        ways.append(("call " if lang == "en" else "llama al ") + line.phone)
    if line.text:
        keyword = f"{line.text_keyword} " if line.text_keyword else ""
        ways.append(("text " if lang == "en" else "envía ") + f"{keyword}→ {line.text}")
    hours = line.hours.get(lang) or line.hours["en"]
    return f"{line.name}: {', '.join([*ways, line.url])} ({hours})"
