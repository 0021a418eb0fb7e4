"""FHIR exchange: every instrument and assessment becomes valid FHIR, and a response comes back
as the same answers. Resources are checked with the fhir.resources R4B models (see the
adapter's docstring for why R4B stands in for R4).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given
from hypothesis import strategies as st

from haven.adapters.fhir import (
    LOINC,
    ORDINAL_VALUE,
    member_bundle,
    observation_resource,
    parse_questionnaire_response,
    questionnaire_resource,
    response_resource,
)
from haven.content import instruments
from haven.domain.errors import InvalidInput
from haven.domain.instruments import Instrument
from haven.domain.scoring import Assessment, score

BASE = "https://haven.example.org"
MEMBER = uuid4()
SUBMITTED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
INSTRUMENTS = list(instruments().values())
ALL = pytest.mark.parametrize("instrument", INSTRUMENTS, ids=[i.id for i in INSTRUMENTS])


def needs(instrument_id: str) -> Instrument:
    found = instruments().get(instrument_id)
    assert found is not None, f"the {instrument_id} instrument file is missing"
    return found


def answer_set(instrument: Instrument, pick: Callable[[list[int]], int]) -> dict[str, int]:
    """One answer per item that skip logic asks, chosen by ``pick`` from the option values."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        condition = item.ask_if
        if condition is None or answers.get(condition.item) == condition.equals:
            answers[item.id] = pick([option.value for option in instrument.options_for(item)])
    return answers


def assess(
    instrument: Instrument, answers: dict[str, int], *, at: datetime = SUBMITTED
) -> Assessment:
    result = score(instrument=instrument, answers=answers)
    return Assessment(
        id=uuid4(),
        member_id=MEMBER,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers=answers,
        raw_total=result.raw_total,
        total=result.total,
        severity=result.severity,
        flags=tuple(flag.code for flag in result.flags),
        submitted_at=at,
    )


def lowest(instrument: Instrument) -> Assessment:
    return assess(instrument, answer_set(instrument, min))


def highest(instrument: Instrument) -> Assessment:
    return assess(instrument, answer_set(instrument, max))


def as_json(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource after a trip through JSON text, as another system would receive it."""
    loaded: dict[str, Any] = json.loads(json.dumps(resource))
    return loaded


def phq9_response(**changes: Any) -> dict[str, Any]:
    phq9 = needs("phq9")
    resource = as_json(response_resource(lowest(phq9), phq9, base_url=BASE))
    resource.update(changes)
    return resource


def parse(resource: Any) -> Any:
    return parse_questionnaire_response(resource, instruments())


# --- Questionnaire ----------------------------------------------------------------------------


@ALL
def test_every_instrument_is_a_valid_fhir_questionnaire(instrument: Instrument) -> None:
    resource = as_json(questionnaire_resource(instrument, base_url=BASE))

    Questionnaire.model_validate(resource)
    assert resource["url"] == f"{BASE}/fhir/Questionnaire/{instrument.id}"
    assert resource["version"] == str(instrument.version)
    assert resource["title"] == instrument.name["en"]
    assert [q["linkId"] for q in resource["item"]] == [item.id for item in instrument.items]


@ALL
def test_every_answer_option_carries_its_published_value_as_code_and_ordinal(
    instrument: Instrument,
) -> None:
    resource = questionnaire_resource(instrument, base_url=BASE)

    for question, item in zip(resource["item"], instrument.items, strict=True):
        codings = [option["valueCoding"] for option in question["answerOption"]]
        values = [option.value for option in instrument.options_for(item)]
        assert [c["code"] for c in codings] == [str(v) for v in values]
        assert [c["extension"] for c in codings] == [
            [{"url": ORDINAL_VALUE, "valueDecimal": v}] for v in values
        ]
        assert [c["display"] for c in codings] == [
            option.label["en"] for option in instrument.options_for(item)
        ]
        assert question["required"] is item.required


def test_an_answer_code_means_one_answer_in_its_code_system() -> None:
    # AUDIT's option sets share values with different labels ("2" is "2-4 times a month" and
    # "Yes, but not in the last year"): each set gets its own system, so no code is ambiguous.
    displays: dict[tuple[str, str], set[str]] = {}
    for instrument in INSTRUMENTS:
        for question in questionnaire_resource(instrument, base_url=BASE)["item"]:
            for option in question["answerOption"]:
                coding = option["valueCoding"]
                displays.setdefault((coding["system"], coding["code"]), set()).add(
                    coding["display"]
                )

    assert {key: names for key, names in displays.items() if len(names) > 1} == {}


def test_phq9_questionnaire_carries_the_loinc_panel_and_item_codes() -> None:
    phq9 = needs("phq9")
    resource = questionnaire_resource(phq9, base_url=BASE)

    assert resource["code"] == [{"system": LOINC, "code": "44249-1"}]
    assert resource["item"][0]["code"] == [{"system": LOINC, "code": "44250-9"}]
    assert all(q["type"] == "choice" for q in resource["item"])


def test_cssrs_skip_logic_becomes_enable_when_on_question_2() -> None:
    cssrs = needs("cssrs")
    questions = {q["linkId"]: q for q in questionnaire_resource(cssrs, base_url=BASE)["item"]}

    for follow_up in ("q3", "q4", "q5"):
        (condition,) = questions[follow_up]["enableWhen"]
        assert condition["question"] == "q2"
        assert condition["operator"] == "="
        assert condition["answerCoding"]["code"] == "1"
    assert "enableWhen" not in questions["q6"]
    assert questions["q6b"]["required"] is False
    assert "code" not in questions["q1"]


def test_a_trailing_slash_on_the_base_url_does_not_double_up() -> None:
    phq9 = needs("phq9")

    resource = questionnaire_resource(phq9, base_url=BASE + "/")

    assert resource["url"] == f"{BASE}/fhir/Questionnaire/phq9"


# --- QuestionnaireResponse, Observation and Bundle --------------------------------------------


@ALL
def test_a_members_bundle_is_valid_fhir_entry_by_entry(instrument: Instrument) -> None:
    assessments = [lowest(instrument), highest(instrument)]

    bundle = as_json(
        member_bundle(assessments=assessments, instruments=instruments(), base_url=BASE)
    )

    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == ["Questionnaire", *["QuestionnaireResponse", "Observation"] * 2]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert entry["fullUrl"] == f"{BASE}/fhir/{resource['resourceType']}/{resource['id']}"


def test_a_bundle_holds_each_questionnaire_once_and_every_assessment() -> None:
    assessments = [a for i in INSTRUMENTS for a in (lowest(i), highest(i))]

    bundle = member_bundle(assessments=assessments, instruments=instruments(), base_url=BASE)

    resources = [entry["resource"] for entry in bundle["entry"]]
    questionnaires = [r["id"] for r in resources if r["resourceType"] == "Questionnaire"]
    assert questionnaires == [i.id for i in INSTRUMENTS]
    responses = [r["id"] for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert responses == [str(a.id) for a in assessments]
    assert len({entry["fullUrl"] for entry in bundle["entry"]}) == len(resources)


def test_every_observation_derives_from_a_response_in_the_same_bundle() -> None:
    assessments = [highest(i) for i in INSTRUMENTS]

    bundle = member_bundle(assessments=assessments, instruments=instruments(), base_url=BASE)

    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Observation":
            (source,) = entry["resource"]["derivedFrom"]
            assert f"{BASE}/fhir/{source['reference']}" in full_urls


def test_an_empty_bundle_is_still_a_valid_collection() -> None:
    bundle = member_bundle(assessments=[], instruments=instruments(), base_url=BASE)

    Bundle.model_validate(bundle)
    assert "entry" not in bundle


def test_phq9_observation_has_the_loinc_total_and_points_at_its_response() -> None:
    phq9 = needs("phq9")
    answers = dict.fromkeys((item.id for item in phq9.items), 2)
    assessment = assess(phq9, answers)

    observation = observation_resource(assessment, phq9, base_url=BASE)

    Observation.model_validate(observation)
    assert observation["code"]["coding"] == [{"system": LOINC, "code": "44261-6"}]
    assert observation["valueInteger"] == 18
    assert observation["interpretation"][0]["coding"][0]["code"] == "moderately_severe"
    assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{assessment.id}"}]
    assert observation["subject"] == {"reference": f"Patient/{MEMBER}"}
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["effectiveDateTime"] == "2026-03-01T09:30:00+00:00"


def test_a_positive_phq9_item_9_travels_as_a_flag_component() -> None:
    phq9 = needs("phq9")
    answers = {**answer_set(phq9, min), "phq9_9": 1}

    observation = observation_resource(assess(phq9, answers), phq9, base_url=BASE)

    (component,) = observation["component"]
    assert component["code"]["coding"][0]["code"] == "suicidal_ideation"
    assert component["valueBoolean"] is True


def test_no_flag_component_when_no_flag_is_raised() -> None:
    phq9 = needs("phq9")

    observation = observation_resource(lowest(phq9), phq9, base_url=BASE)

    assert "component" not in observation


def test_cssrs_observation_gives_the_triage_level_not_a_total() -> None:
    cssrs = needs("cssrs")

    observation = observation_resource(highest(cssrs), cssrs, base_url=BASE)

    Observation.model_validate(observation)
    assert "valueInteger" not in observation
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == "high"
    assert observation["code"]["coding"] == [
        {"system": f"{BASE}/fhir/CodeSystem/scores", "code": "cssrs-triage"}
    ]


def test_an_instrument_without_a_loinc_total_gets_a_haven_score_code() -> None:
    who5 = needs("who5")

    observation = observation_resource(highest(who5), who5, base_url=BASE)

    assert observation["code"]["coding"] == [
        {"system": f"{BASE}/fhir/CodeSystem/scores", "code": "who5-total"}
    ]
    assert observation["valueInteger"] == 100  # the percentage score, raw 25 times 4


def test_a_response_names_its_questionnaire_version_member_and_time() -> None:
    phq9 = needs("phq9")
    assessment = lowest(phq9)

    resource = response_resource(assessment, phq9, base_url=BASE)

    QuestionnaireResponse.model_validate(resource)
    assert resource["id"] == str(assessment.id)
    assert resource["questionnaire"] == f"{BASE}/fhir/Questionnaire/phq9|1"
    assert resource["status"] == "completed"
    assert resource["subject"] == {"reference": f"Patient/{MEMBER}"}
    assert resource["authored"] == "2026-03-01T09:30:00+00:00"


def test_cssrs_follow_ups_are_absent_when_question_2_is_no() -> None:
    cssrs = needs("cssrs")
    assessment = assess(cssrs, {"q1": 1, "q2": 0, "q6": 0})

    resource = response_resource(assessment, cssrs, base_url=BASE)

    assert [item["linkId"] for item in resource["item"]] == ["q1", "q2", "q6"]


def test_a_timestamp_without_a_timezone_is_refused() -> None:
    phq9 = needs("phq9")
    naive = assess(phq9, answer_set(phq9, min), at=datetime(2026, 3, 1, 9, 30))

    with pytest.raises(ValueError, match="timezone"):
        response_resource(naive, phq9, base_url=BASE)


def test_an_assessment_is_not_exported_against_another_instrument() -> None:
    phq9, gad7 = needs("phq9"), needs("gad7")

    with pytest.raises(ValueError, match="phq9"):
        observation_resource(lowest(phq9), gad7, base_url=BASE)


# --- Reading a QuestionnaireResponse ----------------------------------------------------------


@ALL
@pytest.mark.parametrize("pick", [min, max], ids=["lowest", "highest"])
def test_a_response_round_trips_to_the_same_instrument_and_answers(
    instrument: Instrument, pick: Callable[[list[int]], int]
) -> None:
    assessment = assess(instrument, answer_set(instrument, pick))

    imported = parse(as_json(response_resource(assessment, instrument, base_url=BASE)))

    assert imported.instrument_id == instrument.id
    assert imported.answers == assessment.answers
    assert imported.authored == SUBMITTED


def test_a_cssrs_round_trip_keeps_skipped_follow_ups_absent() -> None:
    cssrs = needs("cssrs")
    assessment = assess(cssrs, {"q1": 0, "q2": 0, "q6": 1})  # q6b left blank: counts as yes

    imported = parse(as_json(response_resource(assessment, cssrs, base_url=BASE)))

    assert imported.answers == {"q1": 0, "q2": 0, "q6": 1}
    assert score(instrument=cssrs, answers=imported.answers).severity == "high"


@given(data=st.data())
def test_any_phq9_answers_round_trip_and_score_the_same(data: st.DataObject) -> None:
    phq9 = needs("phq9")
    answers = {
        item.id: data.draw(st.sampled_from([o.value for o in phq9.options_for(item)]))
        for item in phq9.items
    }
    assessment = assess(phq9, answers)

    imported = parse(as_json(response_resource(assessment, phq9, base_url=BASE)))

    assert imported.answers == answers
    assert score(instrument=phq9, answers=imported.answers).total == assessment.total


def test_answers_coded_by_another_system_are_read_from_their_ordinal_value() -> None:
    # How LOINC-coded PHQ-9 forms arrive: LA answer codes, the score in ordinalValue.
    resource = phq9_response()
    for entry, (code, ordinal) in zip(
        resource["item"][:3], [("LA6568-5", 0), ("LA6569-3", 1), ("LA6571-9", 3)], strict=True
    ):
        entry["answer"] = [
            {
                "valueCoding": {
                    "system": LOINC,
                    "code": code,
                    "extension": [{"url": ORDINAL_VALUE, "valueDecimal": ordinal}],
                }
            }
        ]

    imported = parse(resource)

    assert [imported.answers[f"phq9_{n}"] for n in (1, 2, 3)] == [0, 1, 3]


def test_an_integer_answer_is_read_as_the_option_value() -> None:
    resource = phq9_response()
    resource["item"][0]["answer"] = [{"valueInteger": 2}]

    assert parse(resource).answers["phq9_1"] == 2


def test_a_question_left_blank_is_left_out_for_the_scorer_to_judge() -> None:
    resource = phq9_response()
    del resource["item"][8]["answer"]

    imported = parse(resource)

    assert "phq9_9" not in imported.answers
    with pytest.raises(InvalidInput) as raised:
        score(instrument=needs("phq9"), answers=imported.answers)
    assert raised.value.field == "phq9_9"


def test_a_questionnaire_url_without_a_version_is_accepted() -> None:
    resource = phq9_response(questionnaire="https://records.example.net/fhir/Questionnaire/phq9")

    assert parse(resource).instrument_id == "phq9"


@pytest.mark.parametrize(
    ("authored", "expected"),
    [
        (
            "2026-02-28T23:15:00+01:00",
            datetime(2026, 2, 28, 23, 15, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2026-02-28", None),
        ("2026-02", None),
    ],
)
def test_only_a_full_authored_time_is_kept(authored: str, expected: datetime | None) -> None:
    imported = parse(phq9_response(authored=authored))

    assert imported.authored == expected


def test_a_response_without_authored_has_no_time() -> None:
    resource = phq9_response()
    del resource["authored"]

    assert parse(resource).authored is None


def _with_first_answer(answer: Any) -> dict[str, Any]:
    resource = phq9_response()
    resource["item"][0]["answer"] = answer
    return resource


def _with_extra_item(link_id: str) -> dict[str, Any]:
    resource = phq9_response()
    resource["item"].append({"linkId": link_id, "answer": [{"valueInteger": 1}]})
    return resource


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        pytest.param(["not", "an", "object"], "resource", id="a list"),
        pytest.param("QuestionnaireResponse", "resource", id="a string"),
        pytest.param(None, "resource", id="nothing"),
        pytest.param({"resourceType": "Patient", "id": "x"}, "resource", id="a Patient"),
        pytest.param({"status": "completed"}, "resource", id="no resourceType"),
        pytest.param(
            {"resourceType": "QuestionnaireResponse", "questionnaire": "x"},
            "resource",
            id="no status",
        ),
        pytest.param(
            {"resourceType": "QuestionnaireResponse", "status": "completed", "item": "x"},
            "resource",
            id="items not a list",
        ),
        pytest.param(
            {"resourceType": "QuestionnaireResponse", "status": "completed", "score": 3},
            "resource",
            id="an element FHIR lacks",
        ),
        pytest.param(
            {"resourceType": "QuestionnaireResponse", "status": "in-progress"},
            "status",
            id="in progress",
        ),
        pytest.param(
            {"resourceType": "QuestionnaireResponse", "status": "completed"},
            "questionnaire",
            id="no questionnaire",
        ),
        pytest.param(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": "https://elsewhere.example/fhir/Questionnaire/bdi2",
            },
            "questionnaire",
            id="an unknown instrument",
        ),
        pytest.param(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": "urn:uuid:0b9c7e52-5a45-4c5e-9d52-c2d1d0a5f1c3",
            },
            "questionnaire",
            id="not a Questionnaire url",
        ),
        pytest.param(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": f"{BASE}/fhir/Questionnaire/phq9|7",
            },
            "questionnaire",
            id="another version",
        ),
    ],
)
def test_a_malformed_resource_is_refused_naming_the_field(resource: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse(resource)

    assert raised.value.field == field


@pytest.mark.parametrize(
    ("make", "field"),
    [
        pytest.param(lambda: _with_extra_item("phq9_10"), "phq9_10", id="an unknown linkId"),
        pytest.param(lambda: _with_extra_item("phq9_1"), "phq9_1", id="an item twice"),
        pytest.param(
            lambda: _with_first_answer([{"valueString": "Several days"}]),
            "phq9_1",
            id="a string answer",
        ),
        pytest.param(
            lambda: _with_first_answer([{"valueInteger": 1}, {"valueInteger": 2}]),
            "phq9_1",
            id="two answers",
        ),
        pytest.param(
            lambda: _with_first_answer([{"valueCoding": {"system": LOINC, "code": "LA6569-3"}}]),
            "phq9_1",
            id="a foreign code without an ordinal",
        ),
        pytest.param(
            lambda: _with_first_answer([{"valueBoolean": True}]),
            "phq9_1",
            id="a boolean answer",
        ),
    ],
)
def test_an_item_that_cannot_be_read_is_refused_naming_its_link_id(
    make: Callable[[], dict[str, Any]], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse(make())

    assert raised.value.field == field
    assert field in str(raised.value)


def test_a_validation_error_names_the_element_without_repeating_its_value() -> None:
    secret = "I told nobody about the overdose"
    resource = phq9_response(authored=secret)

    with pytest.raises(InvalidInput) as raised:
        parse(resource)

    assert str(raised.value) == "The QuestionnaireResponse has a malformed authored."
    assert secret not in repr(raised.value.params)


def test_a_missing_element_is_named_by_its_fhir_path() -> None:
    resource = phq9_response()
    del resource["item"][2]["linkId"]

    with pytest.raises(InvalidInput) as raised:
        parse(resource)

    assert str(raised.value) == "The QuestionnaireResponse lacks item[2].linkId."


def test_a_wrong_resource_type_is_named_without_echoing_it() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse({"resourceType": "Observation", "status": "final"})

    assert str(raised.value) == "The resourceType must be QuestionnaireResponse."
