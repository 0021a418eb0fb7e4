"""The companion's turn policy, driven turn by turn as a member would, with the analysis and
the risk assessment given (the classifiers have their own tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from haven.content import crisis_directory, flows, output_guard_patterns, replies, words
from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.conversation.flows import StepKind
from haven.domain.conversation.state import DialogueState
from haven.domain.conversation.turn import TurnInput, TurnResult, take_turn
from haven.domain.output_guard import guard
from haven.domain.risk import MessageRisk, RiskAssessment

NOW = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
CALM = RiskAssessment(MessageRisk.NONE, (), "No risk signal found.")


def analysis(
    emotion: str = "neutral",
    intent: str = "vent",
    distortion: str = "none",
    confidence: float = 0.9,
) -> MessageAnalysis:
    return MessageAnalysis(emotion, confidence, intent, confidence, distortion, confidence, 0.0)


class Member:
    """One member's conversation: says things, keeps what the companion answered."""

    def __init__(self, *, lang: str = "en", country: str | None = "GB", plan: bool = False):
        self.state = DialogueState()
        self.lang = lang
        self.country = country
        self.plan = plan
        self.first = True
        self.told = True
        self.last: TurnResult | None = None

    def says(
        self,
        text: str,
        *,
        feeling: MessageAnalysis | None = None,
        risk: RiskAssessment = CALM,
        suggestion: str = "breathing",
        days_away: float | None = None,
    ) -> list[str]:
        directory = crisis_directory()
        result = take_turn(
            self.state,
            TurnInput(
                text=text,
                lang=self.lang,
                now=NOW,
                analysis=feeling or analysis(),
                risk=risk,
                first_use=self.first,
                days_away=days_away,
                has_safety_plan=self.plan,
                care_team_told=self.told and risk.flagged,
                resources=directory.for_country(self.country) or directory.international,
                suggestion=suggestion,
                suggestion_context="anxiety|evening|unknown",
            ),
            flows=flows(),
            words=words(),
            replies=replies(),
        )
        self.first = False
        self.last = result
        for reply in result.replies:
            assert not guard(reply, patterns=output_guard_patterns()).blocked
        return result.replies


def said(replies_: list[str]) -> str:
    return "\n".join(replies_)


def test_first_words_say_the_companion_is_an_ai_not_a_person() -> None:
    member = Member()
    first = said(member.says("hi", feeling=analysis(intent="greeting")))
    assert "AI" in first
    assert "not a person" in first
    assert member.last is not None
    assert member.last.disclosed
    second = said(member.says("hello again", feeling=analysis(intent="greeting")))
    assert "AI" not in second


def test_after_a_week_away_the_companion_says_again_that_it_is_an_ai() -> None:
    member = Member()
    member.first = False
    assert "AI" in said(member.says("hi", feeling=analysis(intent="greeting"), days_away=8))


@pytest.mark.parametrize(
    "question",
    [
        "are you a real person?",
        "wait am i talking to a bot",
        "¿eres humano?",
        "es-tu un robot ?",
        "bist du ein echter Mensch?",
        "você é uma pessoa de verdade?",
    ],
)
def test_asked_whether_it_is_human_it_always_says_it_is_an_ai(question: str) -> None:
    member = Member()
    member.first = False
    # Even when the classifier reads the message as something else.
    reply = said(member.says(question, feeling=analysis(intent="off_topic")))
    assert "AI" in reply or "IA" in reply


def test_in_spanish_the_disclosure_is_in_spanish() -> None:
    member = Member(lang="es")
    member.first = False
    reply = said(member.says("¿eres una persona real?"))
    assert "IA" in reply
    assert "persona" in reply


def finish(member: Member, flow_id: str, answers: dict[StepKind, str]) -> list[str]:
    """Answer each waiting step of the flow in turn until it finishes."""
    transcript: list[str] = []
    for _ in range(30):
        progress = member.state.active
        if progress is None:
            return transcript
        assert progress.flow_id == flow_id
        step = flows()[flow_id].steps[progress.step]
        if step.kind is StepKind.CHOICE:
            answer = step.options[0].label[member.lang]
        else:
            answer = answers.get(step.kind, "my answer")
        transcript += member.says(answer)
    raise AssertionError(f"{flow_id} never finished")


ANSWERS = {
    StepKind.RATING: "4",
    StepKind.YES_NO: "yes",
    StepKind.CONTINUE: "ok",
    StepKind.TEXT: "I keep thinking about the meeting",
}


@pytest.mark.parametrize("flow_id", sorted(flows()))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_flow_runs_to_its_end_when_asked_for_by_name(flow_id: str, lang: str) -> None:
    member = Member(lang=lang)
    alias = flows()[flow_id].aliases[lang][0]
    opening = member.says(alias, feeling=analysis(intent="ask_exercise"))
    assert member.last is not None
    assert member.last.started == flow_id
    first_question = next(step for step in flows()[flow_id].steps if step.waits)
    assert opening[-1] == first_question.say[lang]
    answers = {**ANSWERS, StepKind.YES_NO: "yes" if lang == "en" else "sí"}
    finish(member, flow_id, answers)
    assert member.state.active is None
    assert member.state.outcomes[-1].flow_id == flow_id


def test_a_rating_out_of_range_is_asked_again_not_guessed() -> None:
    member = Member()
    member.says("breathing exercise", feeling=analysis(intent="ask_exercise"))
    reply = said(member.says("about 15"))
    assert "0" in reply
    assert "10" in reply
    assert member.state.active is not None
    assert member.state.active.step == 0
    member.says("seven")
    assert member.state.active.answers["mood_before"] == 7


def test_breathing_exercise_records_mood_before_and_after_and_helpfulness() -> None:
    member = Member()
    member.says("breathing", feeling=analysis(intent="ask_exercise"))
    for answer in ["3", "ok", "done", "6"]:
        member.says(answer)
    closing = said(member.says("yes"))
    outcome = member.state.outcomes[-1]
    assert (outcome.mood_before, outcome.mood_after, outcome.helpful) == (3, 6, True)
    assert "3" in closing
    assert "6" in closing
    assert member.last is not None
    assert member.last.finished == outcome


def test_thought_record_names_the_distortion_in_plain_words() -> None:
    member = Member()
    member.says("thought record", feeling=analysis(intent="ask_exercise"))
    member.says("5")
    member.says("my friend didn't text back")
    reply = said(
        member.says(
            "she hates me and everyone will leave me",
            feeling=analysis(emotion="sadness", distortion="overgeneralisation"),
        )
    )
    reply += said(member.says("sad"))
    reply += said(member.says("80"))
    name = replies().distortions["overgeneralisation"].name["en"]
    assert name.lower() in reply.lower()


def test_an_unsure_distortion_is_not_named() -> None:
    member = Member()
    member.says("thought record", feeling=analysis(intent="ask_exercise"))
    for answer in ["5", "work"]:
        member.says(answer)
    member.says("I'm useless", feeling=analysis(distortion="labelling", confidence=0.2))
    member.says("sad")
    reply = said(member.says("70"))
    assert replies().distortions["labelling"].name["en"].lower() not in reply.lower()


def test_pause_and_resume_an_exercise() -> None:
    member = Member()
    member.says("grounding", feeling=analysis(intent="ask_exercise"))
    member.says("4")
    paused = said(member.says("stop"))
    assert member.state.active is None
    assert member.state.paused is not None
    assert "5-4-3-2-1" in paused or "Grounding" in paused or "grounding" in paused.lower()
    resumed = member.says("resume")
    assert member.state.active is not None
    assert member.state.active.step == 1
    assert resumed[-1] == flows()["grounding"].steps[1].say["en"]


def test_resume_with_nothing_paused_says_so() -> None:
    member = Member()
    member.first = False
    reply = said(member.says("resume"))
    assert reply == replies().control.nothing_to_resume["en"]


def test_asking_for_another_exercise_mid_flow_switches_and_keeps_the_first_paused() -> None:
    member = Member()
    member.says("gratitude", feeling=analysis(intent="ask_exercise"))
    member.says("5")
    member.says("can we do breathing instead", feeling=analysis(intent="ask_exercise"))
    assert member.state.active is not None
    assert member.state.active.flow_id == "breathing"
    assert member.state.paused is not None
    assert member.state.paused.flow_id == "gratitude"


def test_distress_gets_a_reflection_in_the_members_words_then_an_offer_they_can_accept() -> None:
    member = Member()
    member.first = False
    first = member.says(
        "I'm so stressed about my exams",
        feeling=analysis(emotion="anxiety"),
        suggestion="breathing",
    )
    assert "your exams" in first[0]
    second = said(member.says("and my exams start on monday", feeling=analysis(emotion="anxiety")))
    assert member.state.offered == "breathing"
    assert "Paced breathing" in second
    member.says("yes")
    assert member.state.active is not None
    assert member.state.active.flow_id == "breathing"
    assert member.state.active.context == "anxiety|evening|unknown"


def test_a_declined_offer_is_respected() -> None:
    member = Member()
    member.first = False
    member.says("ugh", feeling=analysis(emotion="sadness"))
    member.says("everything is grey", feeling=analysis(emotion="sadness"))
    assert member.state.offered is not None
    reply = said(member.says("no thanks"))
    assert member.state.active is None
    assert member.state.offered is None
    assert reply in replies().offer_declined["en"]


def test_replies_vary_instead_of_repeating() -> None:
    member = Member()
    member.first = False
    seen = {
        member.says(f"bad day number {n}", feeling=analysis(emotion="sadness"))[0] for n in range(4)
    }
    assert len(seen) >= 3


FLAGGED = RiskAssessment(
    MessageRisk.HIGH, ("active_ideation", "distress"), "High: thoughts of suicide."
)


def test_the_crisis_protocol_stops_the_flow_and_shows_help_for_the_members_country() -> None:
    member = Member(country="GB", plan=True)
    member.says("breathing", feeling=analysis(intent="ask_exercise"))
    member.says("4")
    words_ = "I want to kill myself tonight"
    reply = said(member.says(words_, risk=FLAGGED))
    assert member.state.active is None
    assert member.state.paused is None
    assert member.last is not None
    assert member.last.crisis
    assert member.last.show_resources
    assert member.last.offer_safety_plan
    assert "Samaritans" in reply  # the UK line
    assert "116 123" in reply
    assert "999" in reply  # high risk: the emergency number
    assert replies().crisis.ask["en"] in reply  # asked directly, C-SSRS manner
    assert replies().crisis.team_alerted["en"] in reply
    assert words_ not in reply  # never parrots the crisis back


def test_without_consent_to_share_the_member_is_told_their_team_was_not_alerted() -> None:
    member = Member(country="ES")
    member.told = False
    reply = said(member.says("quiero morirme", risk=FLAGGED))
    assert replies().crisis.team_not_alerted["en"] in reply
    assert "024" in reply  # Spain's suicide line


def test_an_unknown_country_gets_the_international_directories() -> None:
    member = Member(country=None)
    reply = said(member.says("I don't want to live", risk=FLAGGED))
    assert "findahelpline.com" in reply


def test_after_a_crisis_message_a_yes_is_followed_by_asking_about_a_plan() -> None:
    member = Member()
    member.says("I want to die", risk=FLAGGED)
    reply = said(member.says("yes"))
    assert replies().crisis.ask_plan["en"] in reply
    assert member.last is not None
    assert member.last.crisis
    # No exercise is offered while the crisis protocol holds the conversation.
    member.says("ok", feeling=analysis(emotion="sadness"))
    assert member.state.offered is None


@pytest.mark.parametrize(
    ("signal", "line"),
    [
        ("psychosis", None),
        ("mania", None),
        ("reassurance_seeking", None),
        ("disordered_eating", None),
        # Danger from another person: the country's domestic-violence hotline.
        ("danger_from_others", "1-800-799-7233"),
    ],
)
def test_each_red_flag_gets_its_own_careful_answer(signal: str, line: str | None) -> None:
    member = Member(country="US")
    member.first = False
    member.says("gratitude", feeling=analysis(intent="ask_exercise"))
    risk = RiskAssessment(MessageRisk.LOW, (signal,), f"Low: {signal}.")
    reply = said(member.says("a message", risk=risk))
    assert replies().red_flags[signal]["en"] in reply
    assert member.state.active is None
    assert member.state.paused is not None  # the exercise waits, it is not lost
    assert member.last is not None
    assert member.last.red_flag == signal
    if line is None:
        assert "988" not in reply
        assert member.last.show_resources is False
    else:
        assert line in reply
        assert member.last.show_resources is True
    assert signal in member.state.red_flags


def test_harm_to_others_runs_the_crisis_protocol_with_its_own_words() -> None:
    member = Member(country="US")
    risk = RiskAssessment(MessageRisk.HIGH, ("harm_to_others",), "High: intent to harm others.")
    reply = said(member.says("a message", risk=risk))
    assert replies().red_flags["harm_to_others"]["en"] in reply
    assert replies().crisis.ask["en"] not in reply  # not asked about suicide
    assert "911" in reply


def test_memory_from_an_earlier_conversation_is_brought_up_once() -> None:
    member = Member()
    member.says("my boss keeps shouting at me", feeling=analysis(emotion="anger"))
    later = Member()
    later.state = member.state.carried_over()
    later.first = False
    greeting = said(later.says("hi", feeling=analysis(intent="greeting")))
    assert "your boss" in greeting
    again = said(later.says("hello", feeling=analysis(intent="greeting")))
    assert "your boss" not in again


def test_a_planned_activity_is_followed_up_next_time() -> None:
    member = Member()
    member.says("behavioural activation", feeling=analysis(intent="ask_exercise"))
    finish(
        member,
        "behavioural_activation",
        {**ANSWERS, StepKind.TEXT: "walk to the park"},
    )
    later = Member()
    later.state = member.state.carried_over()
    later.first = False
    reply = said(later.says("hey", feeling=analysis(intent="greeting")))
    assert "walk to the park" in reply


def test_the_last_five_messages_are_kept_as_risk_context() -> None:
    member = Member()
    for n in range(7):
        member.says(f"message {n}")
    assert member.state.recent == [f"message {n}" for n in range(2, 7)]


def test_the_highest_risk_of_the_conversation_is_kept_for_the_summary() -> None:
    member = Member()
    member.says("I want to die", risk=FLAGGED)
    member.says("thanks", feeling=analysis(intent="gratitude"))
    assert member.state.highest_risk == "high"
    assert member.state.crisis_level is not None or member.state.crisis_turns >= 1
    for _ in range(3):
        member.says("ok")
    assert member.state.crisis_level is None


@pytest.mark.parametrize("text", ["ok", "done", "got it", "vale"])
def test_a_bare_acknowledgement_is_met_with_an_open_question(text: str) -> None:
    member = Member(lang="es" if text == "vale" else "en")
    member.first = False
    reply = member.says(text, feeling=analysis(intent="greeting"))
    assert reply[0] in replies().questions[member.lang]


def test_a_bare_number_outside_an_exercise_is_taken_as_a_mood_rating() -> None:
    member = Member()
    member.first = False
    reply = member.says("6", feeling=analysis(intent="greeting"))
    assert reply[0] in replies().intents.report_mood["en"]


def test_an_unclear_feeling_is_not_named_back() -> None:
    member = Member()
    member.first = False
    unsure = MessageAnalysis("calm", 0.31, "vent", 0.9, "none", 0.9, 0.0)
    reply = said(member.says("esta semana estoy muy de bajón", feeling=unsure))
    assert "calm" not in reply.lower()
    assert any(line in reply for line in replies().unclear["en"])


def test_a_low_message_read_as_a_goodbye_is_not_answered_as_one() -> None:
    member = Member()
    member.first = False
    low_goodbye = MessageAnalysis("sadness", 0.9, "goodbye", 0.5, "none", 0.9, -0.8)
    reply = said(member.says("estoy de bajón", feeling=low_goodbye))
    assert not any(line in reply for line in replies().intents.goodbye["en"])
    assert any(line in reply for line in replies().reflections["sadness"].plain["en"])


def test_someone_in_danger_at_home_in_spain_is_given_016() -> None:
    member = Member(lang="es", country="ES")
    member.first = False
    risk = RiskAssessment(MessageRisk.LOW, ("danger_from_others",), "Low: danger_from_others.")
    reply = said(member.says("mi pareja me pega y tengo miedo de volver a casa", risk=risk))
    assert "016" in reply
    assert "maltrato o violencia" in reply


def test_danger_from_others_told_during_a_crisis_gets_its_own_answer_and_services() -> None:
    member = Member(lang="es", country="MX")
    member.first = False
    member.says("me quiero morir", risk=FLAGGED)
    abuse = RiskAssessment(MessageRisk.LOW, ("danger_from_others",), "Low: danger_from_others.")
    reply = said(member.says("mi pareja me pega y tengo miedo de volver a casa", risk=abuse))
    assert replies().red_flags["danger_from_others"]["es"] in reply
    assert "800 822 4460" in reply  # Red Nacional de Refugios
    assert member.last is not None
    assert member.last.crisis
    assert member.last.red_flag == "danger_from_others"


def test_a_crisis_message_that_also_names_abuse_gives_both_kinds_of_help() -> None:
    member = Member(country="GB")
    member.first = False
    both = RiskAssessment(
        MessageRisk.HIGH,
        ("active_ideation", "danger_from_others"),
        "High: active ideation; danger from others.",
    )
    reply = said(member.says("he hits me and I want to kill myself", risk=both))
    assert "116 123" in reply  # Samaritans
    assert "0808 2000 247" in reply  # National Domestic Abuse Helpline
