"""The demo caseload's stories: who the synthetic members are, how their scores move, and the
words they write. Pure and deterministic: every random draw comes from a generator seeded with
the member's e-mail address, so two installs show the same demo.

Trajectories follow what services report (NHS Talking Therapies annual reports): most people
who improve do so in the first six to eight weeks and then level off; some stay where they
started; a few get worse. Scores carry the session-to-session noise of real PHQ-9 and GAD-7
results (about two points), less at the first and last points so each story keeps its shape.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

__all__ = [
    "CONVERSATIONS",
    "JOURNAL",
    "MOOD_NOTES",
    "STORIES",
    "Curve",
    "Story",
    "answers_totalling",
    "level",
    "mood_rating",
    "mood_tags",
    "story_rng",
]

Shape = Literal["early", "linear", "late", "flat"]


@dataclass(frozen=True, slots=True)
class Curve:
    """A score's course from ``start`` to ``end``: ``early`` changes most in the first weeks,
    ``late`` in the last, ``flat`` wanders around ``start``."""

    start: int
    end: int
    shape: Shape

    def points(self, rng: random.Random, *, count: int, top: int) -> list[int]:
        """``count`` fortnightly totals, each within 0..``top``."""
        totals = []
        for n in range(count):
            t = n / (count - 1) if count > 1 else 1.0
            share = {
                "early": (1 - math.exp(-4 * t)) / (1 - math.exp(-4)),
                "linear": t,
                "late": t**2,
                "flat": t,
            }[self.shape]
            value = self.start + (self.end - self.start) * share
            noise = rng.gauss(0, 0.8 if n in (0, count - 1) else 1.6)
            totals.append(max(0, min(top, round(value + noise))))
        return totals


@dataclass(frozen=True, slots=True)
class Story:
    """One demo member. ``weeks`` of fortnightly PHQ-9 and GAD-7 ending now; ``item9_at``
    the PHQ-9 administrations (0 = first, -1 = last) answered "several days" on item 9;
    ``silent_weeks`` how long ago they stopped answering (their questionnaires fall overdue)."""

    email: str
    name: str
    locale: str
    weeks: int
    phq9: Curve
    gad7: Curve
    item9_at: tuple[int, ...] = ()
    silent_weeks: int = 0


# The first two keep the logins the README lists; the rest fill the clinician's caseload.
STORIES = (
    Story(
        "member@haven.example", "Sam Rivera", "en", 22,
        Curve(17, 5, "early"), Curve(14, 5, "early"),
    ),
    Story(
        "miembro@haven.example", "Lucía Gómez", "es", 20,
        Curve(7, 16, "late"), Curve(7, 14, "late"), item9_at=(-1,),
    ),
    Story(
        "priya.shah@haven.example", "Priya Shah", "en", 24,
        Curve(13, 6, "linear"), Curve(16, 6, "early"),
    ),
    Story(
        "tom.okafor@haven.example", "Tom Okafor", "en", 26,
        Curve(19, 10, "linear"), Curve(11, 8, "linear"), item9_at=(0,),
    ),
    Story(
        "mei.lin@haven.example", "Mei Lin", "en", 18,
        Curve(11, 11, "flat"), Curve(10, 10, "flat"), silent_weeks=5,
    ),
    Story(
        "jonas.berg@haven.example", "Jonas Berg", "en", 16,
        Curve(8, 7, "flat"), Curve(12, 11, "flat"),
    ),
    Story(
        "aisha.karim@haven.example", "Aisha Karim", "en", 20,
        Curve(21, 7, "early"), Curve(15, 6, "early"),
    ),
    Story(
        "diego.fernandez@haven.example", "Diego Fernández", "es", 14,
        Curve(12, 5, "early"), Curve(9, 4, "early"),
    ),
)  # fmt: skip


def story_rng(story: Story) -> random.Random:
    return random.Random(f"haven-demo:{story.email}")  # noqa: S311 - synthetic data, no secret


def answers_totalling(
    rng: random.Random, total: int, *, items: int, last_item: int = 0
) -> list[int]:
    """Answers 0-3 adding up to ``total``, spread at random over the items, with the last
    item (PHQ-9 item 9) as given."""
    answers = [0] * items
    answers[-1] = last_item
    remaining = min(total - last_item, 3 * (items - 1))
    while remaining > 0:
        room = [n for n in range(items - 1) if answers[n] < 3]
        answers[rng.choice(room)] += 1
        remaining -= 1
    return answers


def mood_rating(rng: random.Random, *, phq9: float, at: datetime) -> int:
    """A 0-10 check-in for someone whose PHQ-9 is about ``phq9`` today: lower as depression is
    higher, a little lower on Mondays and higher at weekends, with a day's ups and downs."""
    weekday = (-0.6, -0.2, 0.0, 0.0, 0.3, 0.6, 0.5)[at.weekday()]
    value = 8.4 - 0.3 * phq9 + weekday + rng.gauss(0, 0.9)
    return max(0, min(10, round(value)))


_LOW_TAGS = ("sadness", "tiredness", "anxiety", "stress", "loneliness", "shame_guilt")
_MID_TAGS = ("tiredness", "stress", "calm", "anxiety", "hopeful")
_HIGH_TAGS = ("calm", "joy", "hopeful", "grateful")


def mood_tags(rng: random.Random, rating: int) -> list[str]:
    pool = _LOW_TAGS if rating <= 3 else _MID_TAGS if rating <= 6 else _HIGH_TAGS
    return rng.sample(pool, k=rng.choice((0, 1, 1, 2)))


def level(phq9: float) -> Literal["low", "mid", "high"]:
    """How the member is doing, for picking words that fit: PHQ-9 15+, 8-14, below 8."""
    return "low" if phq9 >= 15 else "mid" if phq9 >= 8 else "high"


JOURNAL: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "low": (
            "Couldn't get out of bed until eleven. Everything feels heavy.",
            "Cancelled on Jo again. I know I should go but I just can't face people.",
            "Work was a blur. I reread the same email five times.",
            "Slept badly, woke at four and lay there thinking about everything I've got wrong.",
            "Ate cereal for dinner. Didn't answer the phone.",
        ),
        "mid": (
            "Slept badly, but the walk at lunch helped.",
            "A so-so day. Managed the shopping and one load of washing.",
            "Tried the thought record about the meeting. The evidence wasn't as bad as I thought.",
            "Felt tense all afternoon, did the breathing exercise on the bus.",
            "Called Mum. It was nice, even if I was tired after.",
        ),
        "high": (
            "Good day. Cooked a proper meal and watched a film with friends.",
            "Went for a run before work and felt clear-headed all morning.",
            "Noticed I didn't dread Monday this week.",
            "Three good things: sunshine, a kind message, finishing the report.",
            "Back at the climbing wall. Tired in the good way.",
        ),
    },
    "es": {
        "low": (
            "No pude levantarme hasta las once. Todo pesa.",
            "Cancelé otra vez con Marta. No tengo fuerzas para ver a nadie.",
            "En el trabajo leí el mismo correo cinco veces sin entenderlo.",
            "Me desperté a las cuatro dándole vueltas a todo lo que hago mal.",
        ),
        "mid": (
            "Dormí mal, pero el paseo del mediodía me ayudó.",
            "Un día regular. Hice la compra y poco más.",
            "Probé el registro de pensamientos sobre la reunión. No era para tanto.",
            "Llamé a mi madre. Me sentó bien.",
        ),
        "high": (
            "Buen día. Cociné algo rico y vi una película con amigos.",
            "Salí a caminar temprano y me sentí con la cabeza despejada.",
            "Tres cosas buenas: el sol, un mensaje cariñoso, terminar el informe.",
        ),
    },
}

MOOD_NOTES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "low": ("Long day.", "Didn't sleep much.", "Stayed in."),
        "mid": ("Busy at work.", "Walk at lunch.", "OK-ish."),
        "high": ("Saw friends.", "Nice run.", "Good sleep."),
    },
    "es": {
        "low": ("Día largo.", "Dormí poco.", "No salí de casa."),
        "mid": ("Mucho trabajo.", "Paseo al mediodía.", "Regular."),
        "high": ("Vi a mis amigos.", "Buen paseo.", "Dormí bien."),
    },
}

# What members say to the companion, a few turns a conversation, by how they are doing.
CONVERSATIONS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    "en": {
        "low": (
            (
                "I've been feeling really low this week",
                "I can't get started on anything and the washing up is piling up",
                "Maybe one small thing",
            ),
            (
                "Everything feels like too much effort at the moment",
                "I keep thinking I'm letting everyone down at work",
                "I suppose my manager did say my last report was good",
            ),
        ),
        "mid": (
            (
                "I'm anxious about a meeting tomorrow",
                "I keep thinking I'll say something stupid",
                "Can we try a breathing exercise?",
            ),
            (
                "I slept badly again",
                "My mind races when I go to bed",
                "What can I do about sleep?",
            ),
        ),
        "high": (
            (
                "I had a good week actually",
                "I went for a run twice and saw friends on Saturday",
                "I'd like to do a gratitude exercise",
            ),
        ),
    },
    "es": {
        "low": (
            (
                "Esta semana estoy muy de bajón",
                "No tengo ganas de hacer nada y todo se acumula",
                "Quizá una cosa pequeña",
            ),
        ),
        "mid": (
            (
                "Me preocupa mucho una reunión de mañana",
                "Pienso que voy a decir alguna tontería",
                "¿Podemos hacer un ejercicio de respiración?",
            ),
        ),
        "high": (
            (
                "He tenido una buena semana",
                "Salí a caminar y vi a mis amigos",
                "Me gustaría hacer un ejercicio de gratitud",
            ),
        ),
    },
}
