"""Risk check of one member message: the rules layer, then the encoder classifier, which
also names a red flag (psychosis, mania...) said in words the rules do not list, then the
risk of the last few earlier messages, which carries over to a message that is not flagged
itself."""

from __future__ import annotations

from collections.abc import Sequence

from haven.domain.ports import RiskModel
from haven.domain.risk import Lexicon, RiskAssessment, assess
from haven.domain.risk_combination import (
    RiskThresholds,
    carry_earlier_risk,
    combine,
    name_red_flag,
)

__all__ = ["CARRY_PROBABILITY", "CARRY_WINDOW", "check_message"]

# Earlier messages whose risk carries over: enough for "I've made up my mind" two messages
# before "can you help me write a letter to my mom?", few enough that the crisis protocol
# can let go once the member has talked of other things for a while.
CARRY_WINDOW = 3
# An earlier message carries its risk when the rules flag it or the classifier finds it more
# likely risk than not. A score just over the flag threshold, which is set low for recall, is
# too weak a reason to colour everything said after it: on the corpus validation split such
# messages ("my mom takes a lot of meds for her heart") added false alarms and no recall.
CARRY_PROBABILITY = 0.5


def check_message(
    text: str,
    context: Sequence[str],
    *,
    lexicon: Lexicon,
    model: RiskModel | None,
    carry_over: bool = True,
) -> RiskAssessment:
    """Assess ``text`` after ``context`` (oldest first); ``model=None`` runs the rules alone.
    ``carry_over=False`` leaves out the risk of earlier messages, for writing whose earlier
    pieces are days apart (journal entries, check-in notes)."""
    start = max(len(context) - CARRY_WINDOW, 0) if carry_over else len(context)
    earlier = [
        _earlier(context[k], context[:k], lexicon=lexicon, model=model)
        for k in range(start, len(context))
    ]
    assessment = carry_earlier_risk(_risk(text, context, lexicon=lexicon, model=model), earlier)
    if model is None:
        return assessment
    named = model.red_flag(text)
    if named is None:
        return assessment
    code, probability = named
    red_flags = lexicon.red_flags
    if code not in red_flags:
        return assessment
    return name_red_flag(
        assessment,
        code=code,
        label=red_flags[code],
        probability=probability,
        threshold=model.red_flag_threshold,
        red_flags=frozenset(red_flags),
    )


def _risk(
    text: str, context: Sequence[str], *, lexicon: Lexicon, model: RiskModel | None
) -> RiskAssessment:
    """Suicide and self-harm risk of ``text``: the rules, raised by the classifier."""
    rules = assess(text, context, lexicon)
    if model is None:
        return rules
    return combine(rules, probability=model.probability(text, context), thresholds=model.thresholds)


def _earlier(
    line: str, before: Sequence[str], *, lexicon: Lexicon, model: RiskModel | None
) -> RiskAssessment:
    """An earlier message as the rules read it when it was sent, after what came ``before``
    it, with the classifier, on the message alone, held to ``CARRY_PROBABILITY``."""
    rules = lexicon.assess_earlier(line, before)
    if model is None:
        return rules
    usual = model.thresholds
    strict = RiskThresholds(
        flag=max(usual.flag, CARRY_PROBABILITY), high=max(usual.high, CARRY_PROBABILITY)
    )
    return combine(rules, probability=model.probability(line, ()), thresholds=strict)
