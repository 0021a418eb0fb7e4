"""What the companion understands of one message: emotion, intent, distortion and sentiment.

The labels are those of the project's NLU corpus (``content/nlu/corpus``, described in
``docs/nlu-corpus.md``). Emotions follow the families clinicians ask about in a check-in;
intents are what a member wants from a turn; the distortions are Beck's (1976) and Burns's
(1980) ten classic cognitive distortions, with blaming folded into personalisation.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DISTORTIONS",
    "EMOTIONS",
    "INTENTS",
    "NEGATIVE_EMOTIONS",
    "MessageAnalysis",
    "sentiment_of",
]

EMOTIONS = (
    "sadness",
    "anxiety",
    "anger",
    "shame_guilt",
    "loneliness",
    "joy",
    "calm",
    "neutral",
)
NEGATIVE_EMOTIONS = frozenset({"sadness", "anxiety", "anger", "shame_guilt", "loneliness"})
_POSITIVE_EMOTIONS = frozenset({"joy", "calm"})
INTENTS = (
    "vent",
    "ask_exercise",
    "report_mood",
    "gratitude",
    "ask_about_haven",
    "ask_if_human",
    "greeting",
    "goodbye",
    "off_topic",
)
DISTORTIONS = (
    "all_or_nothing",
    "overgeneralisation",
    "mental_filter",
    "disqualifying_the_positive",
    "mind_reading",
    "fortune_telling",
    "catastrophising",
    "emotional_reasoning",
    "should_statements",
    "labelling",
    "personalisation",
    "none",
)


def sentiment_of(emotions: dict[str, float]) -> float:
    """Sentiment from -1 (negative) to 1 (positive): the probability of the positive
    emotions less that of the negative ones, so it speaks every language the emotion
    classifier does."""
    positive = sum(p for e, p in emotions.items() if e in _POSITIVE_EMOTIONS)
    negative = sum(p for e, p in emotions.items() if e in NEGATIVE_EMOTIONS)
    return round(max(-1.0, min(1.0, positive - negative)), 3)


@dataclass(frozen=True, slots=True)
class MessageAnalysis:
    emotion: str
    emotion_confidence: float  # 0-1
    intent: str
    intent_confidence: float
    distortion: str  # "none" when no distortion stands out
    distortion_confidence: float
    sentiment: float  # -1 to 1

    @property
    def negative(self) -> bool:
        return self.emotion in NEGATIVE_EMOTIONS
