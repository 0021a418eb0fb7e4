"""FHIR exchange of questionnaires: Haven's instruments and assessments as FHIR resources.

Produces plain JSON-ready dicts:

- a ``Questionnaire`` per instrument (items, answer options with their published values,
  skip logic as ``enableWhen``, LOINC codes where the instrument has them);
- a ``QuestionnaireResponse`` per assessment (the answers as given);
- an ``Observation`` per assessment (the total, or the C-SSRS triage level, with the severity
  band and the item flags raised, ``derivedFrom`` the response);
- a ``collection`` ``Bundle`` of a member's assessments for export;

and reads a ``QuestionnaireResponse`` from another system back into answers for the scorer.

FHIR version: the resources follow R4 (4.0.1), what most health records speak; nothing used
here (Questionnaire, QuestionnaireResponse, Observation, Bundle, the ``ordinalValue``
extension) changed in R4B (4.3.0). Incoming JSON is checked with ``fhir.resources``' R4B
models: the releases with true R4 models (6.1 and older) need pydantic 1, and the
pydantic 2 releases (8.x) ship R5, R4B and STU3 only.

URLs, under the deployment's ``base_url``:

- ``{base}/fhir/Questionnaire/{instrument}``: the canonical URL (``|version`` in responses);
- ``{base}/fhir/CodeSystem/{instrument}-{option set}``: answer codes, the option's value as
  text, one system per option set so that a code never means two answers;
- ``{base}/fhir/CodeSystem/{instrument}-bands`` and ``-flags``: severity bands, item flags;
- ``{base}/fhir/CodeSystem/scores``: ``{instrument}-total`` or ``{instrument}-triage``, the
  Observation code where LOINC has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from haven.domain.errors import InvalidInput
from haven.domain.instruments import Instrument, Item, ScoringMethod
from haven.domain.scoring import Assessment
from haven.domain.text import N_

__all__ = [
    "LOINC",
    "ORDINAL_VALUE",
    "ImportedResponse",
    "member_bundle",
    "observation_resource",
    "parse_questionnaire_response",
    "questionnaire_resource",
    "questionnaire_url",
    "response_resource",
]

LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Statuses whose answers are final; an in-progress or entered-in-error response is not scored.
_IMPORTABLE_STATUSES = frozenset({"completed", "amended"})
_CANONICAL = re.compile(r"(?:.*/)?Questionnaire/([A-Za-z0-9.\-]{1,64})(?:\|([^|]*))?")
_INTEGER = re.compile(r"-?\d{1,9}")
_ELEMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_ECHO_LIMIT = 64  # longest piece of incoming text repeated back in an error


@dataclass(frozen=True, slots=True)
class ImportedResponse:
    """Answers read from a QuestionnaireResponse, not yet checked or scored."""

    instrument_id: str
    answers: dict[str, int]  # item id to option value
    authored: datetime | None  # None when the response gives no date, or only a day


def questionnaire_url(instrument_id: str, *, base_url: str) -> str:
    return f"{_base(base_url)}/fhir/Questionnaire/{instrument_id}"


def questionnaire_resource(instrument: Instrument, *, base_url: str) -> dict[str, Any]:
    """The instrument as an R4 Questionnaire, English text, one ``choice`` item per question."""
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": instrument.id,
        "language": "en",
        "url": questionnaire_url(instrument.id, base_url=base_url),
        "version": str(instrument.version),
        "name": _computable_name(instrument),
        "title": instrument.name["en"],
        "status": "active",
        "subjectType": ["Patient"],
        "description": instrument.instructions["en"],
        "copyright": instrument.licence,
    }
    if instrument.loinc.panel is not None:
        resource["code"] = [{"system": LOINC, "code": instrument.loinc.panel}]
    resource["item"] = [_question(instrument, item, base_url) for item in instrument.items]
    return resource


def response_resource(
    assessment: Assessment, instrument: Instrument, *, base_url: str
) -> dict[str, Any]:
    """The assessment's answers as a completed QuestionnaireResponse, in questionnaire order."""
    _check_pair(assessment, instrument)
    url = questionnaire_url(instrument.id, base_url=base_url)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(assessment.id),
        "questionnaire": f"{url}|{assessment.instrument_version}",
        "status": "completed",
        "subject": _patient(assessment),
        "authored": _timestamp(assessment.submitted_at),
    }
    items = [
        {
            "linkId": item.id,
            "text": item.text["en"],
            "answer": [{"valueCoding": _coding(instrument, item, value, base_url)}],
        }
        for item in instrument.items
        if (value := assessment.answers.get(item.id)) is not None
    ]
    if items:
        resource["item"] = items
    return resource


def observation_resource(
    assessment: Assessment, instrument: Instrument, *, base_url: str
) -> dict[str, Any]:
    """The score as a survey Observation: ``valueInteger`` total (published scale, after any
    multiplier) with the band as interpretation, or for a triage instrument the band itself.
    Each item flag raised is a component, so a receiving clinician sees it without rescoring.
    """
    _check_pair(assessment, instrument)
    base = _base(base_url)
    band = instrument.band(assessment.severity)
    band_concept = {
        "coding": [
            {
                "system": f"{base}/fhir/CodeSystem/{instrument.id}-bands",
                "code": band.code,
                "display": band.label["en"],
            }
        ],
        "text": band.label["en"],
    }
    triage = instrument.scoring is ScoringMethod.CSSRS_TRIAGE
    if not triage and instrument.loinc.total is not None:
        coding = {"system": LOINC, "code": instrument.loinc.total}
    else:
        kind = "triage" if triage else "total"
        coding = {"system": f"{base}/fhir/CodeSystem/scores", "code": f"{instrument.id}-{kind}"}
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(assessment.id),
        "status": "final",
        "category": [{"coding": [{"system": _CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {
            "coding": [coding],
            "text": f"{instrument.short_name} {'triage level' if triage else 'total score'}",
        },
        "subject": _patient(assessment),
        "effectiveDateTime": _timestamp(assessment.submitted_at),
    }
    if assessment.total is None:
        resource["valueCodeableConcept"] = band_concept
    else:
        resource["valueInteger"] = assessment.total
        resource["interpretation"] = [band_concept]
    flags = [flag for flag in instrument.flags if flag.code in assessment.flags]
    if flags:
        resource["component"] = [
            {
                "code": {
                    "coding": [
                        {
                            "system": f"{base}/fhir/CodeSystem/{instrument.id}-flags",
                            "code": flag.code,
                            "display": flag.label["en"],
                        }
                    ]
                },
                "valueBoolean": True,
            }
            for flag in flags
        ]
    resource["derivedFrom"] = [{"reference": f"QuestionnaireResponse/{assessment.id}"}]
    return resource


def member_bundle(
    *,
    assessments: Iterable[Assessment],
    instruments: Mapping[str, Instrument],
    base_url: str,
) -> dict[str, Any]:
    """A ``collection`` Bundle: each instrument used once, then each assessment's response
    and Observation. Entries have RESTful ``fullUrl``s under ``base_url``, so the Observation's
    relative ``derivedFrom`` resolves to the response inside the bundle.
    """
    chosen = list(assessments)
    resources: list[dict[str, Any]] = []
    for instrument_id in dict.fromkeys(a.instrument_id for a in chosen):
        resources.append(
            questionnaire_resource(_instrument(instruments, instrument_id), base_url=base_url)
        )
    for assessment in chosen:
        instrument = _instrument(instruments, assessment.instrument_id)
        resources.append(response_resource(assessment, instrument, base_url=base_url))
        resources.append(observation_resource(assessment, instrument, base_url=base_url))
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if resources:
        base = _base(base_url)
        bundle["entry"] = [
            {"fullUrl": f"{base}/fhir/{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ]
    return bundle


def parse_questionnaire_response(
    resource: Mapping[str, Any], instruments: Mapping[str, Instrument]
) -> ImportedResponse:
    """Read the instrument and answers from a QuestionnaireResponse (FHIR JSON as a dict).

    An answer may be a ``valueCoding`` whose code is the option value (Haven's own codes), a
    ``valueCoding`` from another system carrying an ``ordinalValue`` extension (LOINC answer
    codes, for instance), or a ``valueInteger``. Items without an answer are left out. The
    answers are not checked against the instrument's options or skip logic: ``score`` does
    that and names the item at fault.

    Raises ``InvalidInput`` with ``field`` set to ``resource``, ``status``, ``questionnaire``
    or the offending ``linkId``.
    """
    if not isinstance(resource, Mapping):
        raise InvalidInput(N_("A FHIR resource must be a JSON object."), field="resource")
    if resource.get("resourceType") != "QuestionnaireResponse":
        raise InvalidInput(N_("The resourceType must be QuestionnaireResponse."), field="resource")
    response = _validated(resource)
    data: dict[str, Any] = response.model_dump(mode="json", by_alias=True, exclude_none=True)
    if data.get("status") not in _IMPORTABLE_STATUSES:
        raise InvalidInput(
            N_("Only a completed or amended QuestionnaireResponse can be imported."),
            field="status",
        )
    instrument = _answered_instrument(data.get("questionnaire"), instruments)
    answers: dict[str, int] = {}
    for entry in data.get("item", []):
        link_id = str(entry["linkId"])
        item = instrument.item(link_id)
        if item is None:
            raise InvalidInput(
                N_("{instrument} has no item {item}."),
                field=_echo(link_id),
                instrument=instrument.short_name,
                item=_echo(link_id),
            )
        if item.id in answers:
            raise InvalidInput(
                N_("Item {item} is answered more than once."), field=item.id, item=item.id
            )
        given = entry.get("answer", [])
        if not given:
            continue  # asked but left blank: the scorer decides whether that is allowed
        value = _answer_value(given[0]) if len(given) == 1 and "item" not in entry else None
        if value is None:
            raise InvalidInput(
                N_(
                    "Item {item} needs one answer: a valueCoding whose code is the option "
                    "value, a valueCoding with an ordinalValue, or a valueInteger."
                ),
                field=item.id,
                item=item.id,
            )
        answers[item.id] = value
    authored = response.authored
    return ImportedResponse(
        instrument_id=instrument.id,
        answers=answers,
        authored=authored if isinstance(authored, datetime) else None,
    )


# --- Building ---------------------------------------------------------------------------------


def _base(base_url: str) -> str:
    return base_url.rstrip("/")


def _computable_name(instrument: Instrument) -> str:
    # FHIR names are machine-friendly: an upper-case letter, then letters, digits or "_".
    name = "".join(ch for ch in instrument.short_name if ch.isascii() and ch.isalnum())
    return name if name[:1].isupper() else instrument.id.upper()


def _question(instrument: Instrument, item: Item, base_url: str) -> dict[str, Any]:
    question: dict[str, Any] = {"linkId": item.id}
    if item.loinc is not None:
        question["code"] = [{"system": LOINC, "code": item.loinc}]
    question["text"] = item.text["en"]
    question["type"] = "choice"
    if item.ask_if is not None:
        trigger = instrument.item(item.ask_if.item)
        assert trigger is not None  # ask_if names an earlier item: checked at load
        coding = _coding(instrument, trigger, item.ask_if.equals, base_url)
        question["enableWhen"] = [
            {
                "question": trigger.id,
                "operator": "=",
                "answerCoding": {"system": coding["system"], "code": coding["code"]},
            }
        ]
    question["required"] = item.required
    question["answerOption"] = [
        {"valueCoding": _coding(instrument, item, option.value, base_url)}
        for option in instrument.options_for(item)
    ]
    return question


def _coding(instrument: Instrument, item: Item, value: int, base_url: str) -> dict[str, Any]:
    """An answer as a Coding: code the option value, the value again as its ``ordinalValue``
    (the standard place for a score, so other systems can total it without our code system).
    """
    system = f"{_base(base_url)}/fhir/CodeSystem/{instrument.id}-{quote(item.options, safe='')}"
    coding: dict[str, Any] = {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
        "system": system,
        "code": str(value),
    }
    option = next((o for o in instrument.options_for(item) if o.value == value), None)
    if option is not None:
        coding["display"] = option.label["en"]
    return coding


def _patient(assessment: Assessment) -> dict[str, str]:
    return {"reference": f"Patient/{assessment.member_id}"}


def _timestamp(moment: datetime) -> str:
    if moment.utcoffset() is None:
        raise ValueError("FHIR timestamps need a timezone; got a naive datetime")
    return moment.isoformat()


def _check_pair(assessment: Assessment, instrument: Instrument) -> None:
    if assessment.instrument_id != instrument.id:
        raise ValueError(
            f"assessment {assessment.id} is a {assessment.instrument_id}, not {instrument.id}"
        )


def _instrument(instruments: Mapping[str, Instrument], instrument_id: str) -> Instrument:
    try:
        return instruments[instrument_id]
    except KeyError:
        raise ValueError(f"no instrument {instrument_id} to export") from None


# --- Reading ----------------------------------------------------------------------------------


def _validated(resource: Mapping[str, Any]) -> QuestionnaireResponse:
    """The resource checked against the FHIR model. Errors name the element at fault and never
    repeat its value: a response holds health information.
    """
    try:
        return QuestionnaireResponse.model_validate(dict(resource))
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False, include_context=False)[0]
        element = _element(first["loc"])
        if first["type"] in {"missing", "model_field_validation.missing"}:
            message = N_("The QuestionnaireResponse lacks {element}.")
        elif first["type"] == "extra_forbidden":
            message = N_("The QuestionnaireResponse has {element}, which FHIR does not define.")
        else:
            message = N_("The QuestionnaireResponse has a malformed {element}.")
        raise InvalidInput(message, field="resource", element=element) from None
    except (TypeError, ValueError):
        raise InvalidInput(
            N_("The QuestionnaireResponse is not valid FHIR."), field="resource"
        ) from None


def _element(location: tuple[int | str, ...]) -> str:
    """A FHIR path such as ``item[2].answer[0].valueCoding``, built from names alone."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = {"resource_type": "resourceType"}.get(part, part)
            name = name if _ELEMENT.fullmatch(name) else "an unnamed element"
            path += f".{name}" if path else name
    return path or "the resource"


def _answered_instrument(canonical: Any, instruments: Mapping[str, Instrument]) -> Instrument:
    match = _CANONICAL.fullmatch(canonical) if isinstance(canonical, str) else None
    if match is None:
        raise InvalidInput(
            N_(
                "No instrument matches the questionnaire: it must be a canonical URL ending "
                "in /Questionnaire/ and an instrument id."
            ),
            field="questionnaire",
        )
    instrument = instruments.get(match.group(1))
    if instrument is None:
        raise InvalidInput(
            N_("No instrument {instrument} is offered here."),
            field="questionnaire",
            instrument=match.group(1),
        )
    version = match.group(2)
    if version is not None and version != str(instrument.version):
        # Another version may have other items or options: scoring it as this one could
        # mis-state a person's severity.
        raise InvalidInput(
            N_("Only version {version} of {instrument} can be imported."),
            field="questionnaire",
            version=instrument.version,
            instrument=instrument.short_name,
        )
    return instrument


def _answer_value(answer: Mapping[str, Any]) -> int | None:
    if "item" in answer:
        return None  # Haven's questionnaires are flat; a nested answer is not one of ours
    integer = answer.get("valueInteger")
    if isinstance(integer, int) and not isinstance(integer, bool):
        return integer
    coding = answer.get("valueCoding")
    if not isinstance(coding, Mapping):
        return None
    for extensions in (coding.get("extension", []), answer.get("extension", [])):
        ordinal = _ordinal(extensions)
        if ordinal is not None:
            return ordinal
    code = coding.get("code")
    return int(code) if isinstance(code, str) and _INTEGER.fullmatch(code) else None


def _ordinal(extensions: Iterable[Mapping[str, Any]]) -> int | None:
    for extension in extensions:
        if extension.get("url") == ORDINAL_VALUE and "valueDecimal" in extension:
            try:
                number = Decimal(str(extension["valueDecimal"]))
            except InvalidOperation:
                return None
            return int(number) if number == number.to_integral_value() else None
    return None


def _echo(text: str) -> str:
    return text if len(text) <= _ECHO_LIMIT else text[: _ECHO_LIMIT - 1] + "…"
