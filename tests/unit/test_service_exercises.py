"""CBT exercises done as forms: every answer checked at once, the completed thought record
kept in the journal with its questions as headings, and a risky one reaching the care team."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.content import flows
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.flows import Flow
from haven.domain.people import Account
from haven.domain.risk import MessageRisk, RiskAssessment
from haven.domain.written_exercise import InvalidAnswers, form_steps, read_answers
from haven.services.exercises import write_exercise
from haven.services.records import journal_entries

Documents = dict[ConsentKind, ConsentDocument]
THOUGHT_RECORD = flows()["thought_record"]
ANSWERS = {
    "situation": "My manager asked to see me",
    "automatic_thought": "I'm going to be fired",
    "emotion": "anxious",
    "intensity_before": "80",
    "evidence_for": "She looked serious",
    "evidence_against": "My last review was good",
    "balanced_thought": "She may just want an update",
    "intensity_after": "45",
}


def test_the_thought_record_form_asks_the_flows_labelled_steps_in_order() -> None:
    assert [step.id for step in form_steps(THOUGHT_RECORD)] == list(ANSWERS)


def test_every_missing_or_out_of_range_answer_is_named_at_once() -> None:
    answers = {**ANSWERS, "situation": "  ", "intensity_after": "140", "emotion": ""}
    with pytest.raises(InvalidAnswers) as raised:
        read_answers(THOUGHT_RECORD, answers)
    assert [p.field for p in raised.value.problems] == ["situation", "emotion", "intensity_after"]
    assert raised.value.problems[-1].params == {"min": 0, "max": 100}


def test_the_change_in_the_feeling_is_read_from_the_first_and_last_ratings() -> None:
    exercise = read_answers(THOUGHT_RECORD, ANSWERS)
    assert exercise.rating_change() == (80, 45)
    text = exercise.as_text("es")
    assert text.startswith("Registro de pensamientos\n\nSituación\nMy manager asked to see me")


def test_a_completed_thought_record_is_kept_in_the_journal(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    saved = write_exercise(
        uow(),
        clock=clock,
        actor=sam,
        flow=THOUGHT_RECORD,
        answers=ANSWERS,
        lang="en",
        documents=documents,
    )
    [entry] = journal_entries(uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents)
    assert entry.id == saved.entry_id
    assert "Automatic thought\nI'm going to be fired" in entry.body
    assert saved.written.risk is None


def test_a_risky_thought_record_is_reported_and_opens_an_alert(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    def check(text: str, context: Sequence[str]) -> RiskAssessment:
        return RiskAssessment(MessageRisk.HIGH, ("active_ideation",), "High: suicidal ideation.")

    saved = write_exercise(
        uow(),
        clock=clock,
        actor=sam,
        flow=THOUGHT_RECORD,
        answers=ANSWERS,
        lang="en",
        documents=documents,
        risk_check=check,
    )
    assert saved.written.risk is not None
    assert saved.written.risk.flagged
    assert saved.written.alert_id is not None


def test_a_form_label_may_not_quote_an_earlier_answer() -> None:
    raw = THOUGHT_RECORD.model_dump(mode="json")
    raw["steps"][2]["label"] = {"en": "About {situation}", "es": "Sobre {situation}"}
    with pytest.raises(ValueError, match="a label quotes no answer"):
        Flow.model_validate(raw)
