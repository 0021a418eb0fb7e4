"""Taking a turn with the companion: what is stored, who is alerted, what the bandit learns,
and the guards around the optional LLM. The risk check is the rules layer; the analysis a
fake that reads a few words (the classifiers are tested on their own)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.content import crisis_directory, flows, output_guard_patterns, replies, words
from haven.content.risk import risk_lexicon
from haven.domain.alerts import AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.conversation.record import Author
from haven.domain.errors import ConsentRequired, InvalidInput, NotFound, PermissionDenied
from haven.domain.people import Account
from haven.domain.risk import MessageRisk, RiskAssessment
from haven.domain.risk_combination import EARLIER_RISK_SIGNAL
from haven.services.alerts import alert_detail
from haven.services.conversations import (
    Companion,
    conversation_messages,
    conversations_of,
    start_conversation,
    take_turn,
)
from haven.services.risk import check_message

Documents = dict[ConsentKind, ConsentDocument]


class KeywordAnalyser:
    """Reads "anxious", "sad", "breathing"... as a classifier would; enough to drive turns."""

    def analyse(self, text: str) -> MessageAnalysis:
        lowered = text.casefold()
        emotion = next(
            (e for word, e in [("anxious", "anxiety"), ("sad", "sadness")] if word in lowered),
            "neutral",
        )
        intent = "ask_exercise" if "exercise" in lowered or "breathing" in lowered else "vent"
        return MessageAnalysis(emotion, 0.9, intent, 0.9, "none", 0.9, 0.0)


@dataclass
class FakeDrafter:
    answer: str | None
    seen: list[str] = field(default_factory=list)

    def reflect(self, text: str, *, lang: str, emotion: str, fallback: str) -> str | None:
        self.seen.append(text)
        return self.answer


def rules_only(text: str, context: Sequence[str]) -> RiskAssessment:
    return check_message(text, context, lexicon=risk_lexicon(), model=None)


def companion(drafter: FakeDrafter | None = None) -> Companion:
    return Companion(
        flows=flows(),
        words=words(),
        replies=replies(),
        analyser=KeywordAnalyser(),
        check_risk=rules_only,
        crisis=crisis_directory(),
        guard_patterns=output_guard_patterns(),
        drafter=drafter,
        rng=random.Random(4),
    )


@pytest.fixture
def chat(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents
) -> Callable[..., Any]:
    def send(member: Account, text: str, conversation_id: Any = None, **kwargs: Any) -> Any:
        if conversation_id is None:
            conversation_id = start_conversation(
                uow(), clock=clock, actor=member, documents=documents
            ).id
        return take_turn(
            uow(),
            clock=clock,
            actor=member,
            conversation_id=conversation_id,
            text=text,
            companion=kwargs.pop("with_companion", None) or companion(),
            documents=documents,
            **kwargs,
        )

    return send


def test_a_turn_stores_the_message_and_replies_in_order_with_codes(
    chat: Callable[..., Any],
    sam: Account,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    reply = chat(sam, "I feel anxious about tomorrow")
    assert reply.replies
    _, messages = conversation_messages(
        uow(),
        clock=clock,
        actor=sam,
        member_id=sam.id,
        conversation_id=reply.conversation_id,
        documents=documents,
    )
    assert messages[0].author is Author.MEMBER
    assert messages[0].body == "I feel anxious about tomorrow"
    assert messages[0].emotion == "anxiety"
    assert messages[0].risk_level == "none"
    assert [m.body for m in messages[1:]] == reply.replies
    assert [m.seq for m in messages] == list(range(1, len(messages) + 1))


def test_a_crisis_message_alerts_the_care_team_with_the_words_in_context(
    chat: Callable[..., Any],
    sam: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    assign(carmen, sam)
    first = chat(sam, "I feel sad today")
    reply = chat(sam, "I want to kill myself", conversation_id=first.conversation_id, country="US")
    assert reply.turn.crisis
    assert reply.alert_id is not None
    assert reply.country == "US"
    assert "988" in "\n".join(reply.replies)
    assert replies().crisis.team_alerted["en"] in reply.replies
    detail = alert_detail(
        uow(), clock=clock, actor=carmen, alert_id=reply.alert_id, documents=documents
    )
    assert detail.alert.source is AlertSource.CONVERSATION
    assert detail.trigger == "I want to kill myself"
    assert detail.context == ["I feel sad today"]


def test_a_member_who_does_not_share_hears_that_their_team_was_not_told(
    chat: Callable[..., Any],
    lucia: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
) -> None:
    assign(carmen, lucia)
    reply = chat(lucia, "I want to kill myself")
    assert replies().crisis.team_not_alerted["en"] in reply.replies


def test_a_finished_exercise_teaches_the_members_bandit(
    chat: Callable[..., Any], sam: Account, uow: InMemoryUnitOfWorkFactory
) -> None:
    conversation = chat(sam, "breathing exercise please").conversation_id
    for answer in ["3", "ok", "done", "7", "yes"]:
        chat(sam, answer, conversation_id=conversation)
    with uow() as work:
        state = work.bandits.get(sam.id)
    assert state.pulls == 1
    assert state.arms["breathing"].successes == 1.0


def test_conversations_list_with_summaries_for_the_care_team(
    chat: Callable[..., Any],
    sam: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    assign(carmen, sam)
    conversation = chat(sam, "breathing exercise please").conversation_id
    for answer in ["3", "ok", "done", "7", "yes"]:
        chat(sam, answer, conversation_id=conversation)
    [(found, summary)] = conversations_of(
        uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents
    )
    assert found.id == conversation
    assert summary.exercises[0].flow_id == "breathing"
    assert "breathing done (mood 3\u21927), helpful" in summary.text


def test_the_llm_rephrases_only_a_calm_message_and_only_through_the_guard(
    chat: Callable[..., Any], sam: Account
) -> None:
    drafter = FakeDrafter("That sounds like a lot to carry right now.")
    calm = chat(sam, "I feel sad about the move", with_companion=companion(drafter))
    assert calm.drafted
    assert "That sounds like a lot to carry right now." in calm.replies
    risky = chat(sam, "I want to kill myself", with_companion=companion(drafter))
    assert not risky.drafted
    assert drafter.seen == ["I feel sad about the move"]  # the crisis never reached it


def test_an_llm_draft_with_means_information_is_dropped_for_the_deterministic_reply(
    chat: Callable[..., Any], sam: Account
) -> None:
    drafter = FakeDrafter("You could take 50 pills of paracetamol.")
    reply = chat(sam, "I feel sad about the move", with_companion=companion(drafter))
    assert not reply.drafted
    assert not any("paracetamol" in text for text in reply.replies)


def test_a_failed_llm_call_falls_back(chat: Callable[..., Any], sam: Account) -> None:
    reply = chat(sam, "I feel sad about the move", with_companion=companion(FakeDrafter(None)))
    assert not reply.drafted
    assert reply.replies


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001, "bad\x00byte"])
def test_bad_messages_are_refused_and_nothing_is_stored(
    chat: Callable[..., Any],
    sam: Account,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    text: str,
) -> None:
    conversation = start_conversation(uow(), clock=clock, actor=sam, documents=documents)
    with pytest.raises(InvalidInput):
        chat(sam, text, conversation_id=conversation.id)
    with uow() as work:
        assert work.conversations.message_count(conversation.id) == 0


def test_only_the_member_talks_in_their_own_conversation(
    chat: Callable[..., Any],
    sam: Account,
    carmen: Account,
    make_member: Callable[..., Account],
) -> None:
    conversation = chat(sam, "hello").conversation_id
    other = make_member("other@example.org")
    with pytest.raises(NotFound):
        chat(other, "hi", conversation_id=conversation)
    with pytest.raises(PermissionDenied):
        chat(carmen, "hi")


def test_without_agreeing_to_the_terms_there_is_no_conversation(
    make_member: Callable[..., Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
) -> None:
    newcomer = make_member("new@example.org", consents=[])
    with pytest.raises(ConsentRequired):
        start_conversation(uow(), clock=clock, actor=newcomer, documents=documents)


def test_every_turn_and_read_is_audited(
    chat: Callable[..., Any], sam: Account, audit_trail: Callable[[], list[Any]]
) -> None:
    chat(sam, "hello")
    actions = [event.action for event in audit_trail()]
    assert "conversation.start" in actions
    assert "conversation.turn" in actions


def test_plain_words_after_a_crisis_message_stay_in_the_crisis_without_a_second_alert(
    chat: Callable[..., Any],
    sam: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    assign(carmen, sam)
    first = chat(sam, "I want to kill myself, I've made up my mind")
    later = chat(sam, "can you help me write a letter to my mom?", first.conversation_id)
    assert later.risk.level is MessageRisk.HIGH
    assert later.risk.signals == (EARLIER_RISK_SIGNAL,)
    assert later.turn.crisis
    assert later.alert_id is None
    with uow() as work:
        assert [alert.id for alert in work.alerts.for_members([sam.id])] == [first.alert_id]


def test_once_the_alert_is_acknowledged_a_carried_crisis_opens_a_new_one(
    chat: Callable[..., Any],
    sam: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
) -> None:
    assign(carmen, sam)
    first = chat(sam, "I want to kill myself")
    with uow() as work:
        work.alerts.acknowledge(first.alert_id, by=carmen.id, at=clock.now())
        work.commit()
    later = chat(sam, "she'll understand soon", first.conversation_id)
    assert later.alert_id is not None
