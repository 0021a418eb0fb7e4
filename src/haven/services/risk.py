"""Risk check of one member message: the rules layer, then the encoder classifier."""

from __future__ import annotations

from collections.abc import Sequence

from haven.domain.ports import RiskModel
from haven.domain.risk import Lexicon, RiskAssessment, assess
from haven.domain.risk_combination import combine

__all__ = ["check_message"]


def check_message(
    text: str, context: Sequence[str], *, lexicon: Lexicon, model: RiskModel | None
) -> RiskAssessment:
    """Assess ``text`` after ``context`` (oldest first); ``model=None`` runs the rules alone."""
    rules = assess(text, context, lexicon)
    if model is None:
        return rules
    return combine(rules, probability=model.probability(text, context), thresholds=model.thresholds)
