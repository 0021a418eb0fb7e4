"""Combining the rules layer with the encoder classifier's probability into one level.

The classifier (an E5 sentence encoder with logistic regression, see
``docs/risk-model-card.md``) catches risk said in words the lexicon does not list. Its
probability maps to a level through two thresholds calibrated on the corpus validation split:
at or above ``flag`` the message is moderate (it reaches the care team), at or above ``high``
it is high. The final level is the higher of that and the rules' level, so the model can only
raise what the rules found, and the rules' negation and idiom guards never silence the model:
missing a member at risk costs more than a clinician reading one more message.

One exception asks the model for more certainty, not silence: when there is no distress
anywhere in the conversation and the rules recognised a harmless reading (a figure of speech
such as "my mom is going to kill me", a harmless purpose such as "a safe dose for a
headache", or a risk the member describes as over, "I attempted at 19 and I love my life
now"), or when a message with no risk signal says plainly that the member is not in danger
("just sad, not suicidal or anything"), the score must reach ``high`` to overrule them.
The encoder reads "kill", "die" and "dose" as risk whatever surrounds them; the rules read
the surrounding words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from haven.domain.risk import MessageRisk, RiskAssessment

__all__ = [
    "EARLIER_RISK_SIGNAL",
    "MODEL_SIGNAL",
    "RiskThresholds",
    "carry_earlier_risk",
    "combine",
    "flag_threshold",
    "model_level",
    "name_red_flag",
]

MODEL_SIGNAL = "model_resemblance"
EARLIER_RISK_SIGNAL = "earlier_risk"


@dataclass(frozen=True, slots=True)
class RiskThresholds:
    """Probability cut-offs (0-1): ``flag`` gives moderate, ``high`` gives high."""

    flag: float
    high: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.flag <= self.high <= 1.0:
            raise ValueError("thresholds must satisfy 0 <= flag <= high <= 1")


def model_level(probability: float, thresholds: RiskThresholds) -> MessageRisk:
    """The level the classifier alone gives a probability (0-1)."""
    if probability >= thresholds.high:
        return MessageRisk.HIGH
    if probability >= thresholds.flag:
        return MessageRisk.MODERATE
    return MessageRisk.NONE


def flag_threshold(rules: RiskAssessment, thresholds: RiskThresholds) -> float:
    """The score at which the model flags a message the rules assessed as ``rules``."""
    return thresholds.high if rules.set_aside else thresholds.flag


def combine(
    rules: RiskAssessment, *, probability: float, thresholds: RiskThresholds
) -> RiskAssessment:
    """The rules' assessment, raised to the model's level when the model scores higher.

    A model score below ``flag`` (below ``high`` where the rules set a harmless reading
    aside) leaves the assessment as it is. Otherwise the signal ``model_resemblance`` is
    added with the score (two decimals), and the level becomes the higher of the two; the
    explanation never quotes the member's words.
    """
    level = model_level(probability, thresholds)
    if level is MessageRisk.NONE or probability < flag_threshold(rules, thresholds):
        return rules
    note = (
        f"The risk classifier scored {probability:.2f} (flags at {thresholds.flag:.2f}, "
        f"high at {thresholds.high:.2f}): the message resembles messages with suicide or "
        "self-harm risk."
    )
    final = max(level, rules.level, key=lambda lv: lv.rank)
    if final is rules.level:
        explanation = f"{rules.explanation} {note}"
    else:
        explanation = f"{final.value.capitalize()}: {note}"
        if rules.level is not MessageRisk.NONE:
            explanation += f" The rules alone gave {rules.level.value}."
    return replace(
        rules, level=final, signals=(*rules.signals, MODEL_SIGNAL), explanation=explanation
    )


def name_red_flag(
    assessment: RiskAssessment,
    *,
    code: str,
    label: str,
    probability: float,
    threshold: float,
    red_flags: frozenset[str],
) -> RiskAssessment:
    """The assessment with the red flag ``code`` (psychosis, mania...) named, when the
    classifier scored it at or above ``threshold`` and the rules named no red flag of
    ``red_flags``.

    A red flag is named, not flagged: it gives at least ``low`` and never raises suicide
    risk, so the companion answers it as the careful reply of its kind and the care team
    sees it in the record.
    """
    if probability < threshold or red_flags & set(assessment.signals):
        return assessment
    note = (
        f"The red-flag classifier scored {probability:.2f} for {label} (names it at "
        f"{threshold:.2f})."
    )
    if assessment.level is MessageRisk.NONE:
        level, explanation = MessageRisk.LOW, f"Low: {note}"
    else:
        level, explanation = assessment.level, f"{assessment.explanation} {note}"
    return replace(
        assessment, level=level, signals=(*assessment.signals, code), explanation=explanation
    )


def carry_earlier_risk(
    assessment: RiskAssessment, earlier: Sequence[RiskAssessment]
) -> RiskAssessment:
    """The assessment of a message that is not flagged itself, raised to the highest level of
    the ``earlier`` messages of the conversation that are.

    After "I've made up my mind" or "I've been saying goodbye to people", words as plain as
    "can you help me write a letter to my mom?" or "I won't have to deal with it much longer"
    are part of the same crisis, and a clinician reads them so. The message is given the
    signal ``earlier_risk`` so that the record shows where the level came from, and so that
    it does not open a second alert while the first is open.
    """
    flagged = [a.level for a in earlier if a.flagged]
    if assessment.flagged or not flagged:
        return assessment
    level = max(flagged, key=lambda lv: lv.rank)
    explanation = (
        f"{level.value.capitalize()}: an earlier message of this conversation was assessed "
        f"{level.value}, and this one is read in its light."
    )
    if assessment.level is not MessageRisk.NONE:
        explanation += f" Alone it was {assessment.level.value}: {assessment.explanation}"
    return replace(
        assessment,
        level=level,
        signals=(*assessment.signals, EARLIER_RISK_SIGNAL),
        explanation=explanation,
    )
