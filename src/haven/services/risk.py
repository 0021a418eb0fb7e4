"""Risk check of one member message: the rules layer, then the encoder classifier, which
also names a red flag (psychosis, mania...) said in words the rules do not list."""

from __future__ import annotations

from collections.abc import Sequence

from haven.domain.ports import RiskModel
from haven.domain.risk import Lexicon, RiskAssessment, assess
from haven.domain.risk_combination import combine, name_red_flag

__all__ = ["check_message"]


def check_message(
    text: str, context: Sequence[str], *, lexicon: Lexicon, model: RiskModel | None
) -> RiskAssessment:
    """Assess ``text`` after ``context`` (oldest first); ``model=None`` runs the rules alone."""
    rules = assess(text, context, lexicon)
    if model is None:
        return rules
    assessment = combine(
        rules, probability=model.probability(text, context), thresholds=model.thresholds
    )
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
