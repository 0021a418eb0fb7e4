"""Risk check of one member message: the rules layer, then the encoder classifier, which
also names a red flag (psychosis, mania...) said in words the rules do not list, then the
risk of the last few earlier messages, which carries over to a message that is not flagged
itself."""

from __future__ import annotations

from collections.abc import Sequence

from haven.domain.ports import RiskModel
from haven.domain.risk import Lexicon, RiskAssessment, assess
from haven.domain.risk_combination import carry_earlier_risk, combine, name_red_flag

__all__ = ["CARRY_WINDOW", "check_message"]

# Earlier messages whose risk carries over: enough for "I've made up my mind" two messages
# before "can you help me write a letter to my mom?", few enough that the crisis protocol
# can let go once the member has talked of other things for a while.
CARRY_WINDOW = 3


def check_message(
    text: str, context: Sequence[str], *, lexicon: Lexicon, model: RiskModel | None
) -> RiskAssessment:
    """Assess ``text`` after ``context`` (oldest first); ``model=None`` runs the rules alone."""
    earlier = [_risk(line, (), lexicon=lexicon, model=model) for line in context[-CARRY_WINDOW:]]
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
