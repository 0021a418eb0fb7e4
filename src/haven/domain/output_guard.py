"""The output guard: nothing Haven sends may tell a person how to end their life.

Every reply (the companion's own text, an LLM draft, a notification) passes ``guard`` before
it leaves. A reply that states a lethal amount, a height or place to jump from, or a method is
replaced whole by a safe reply that points to crisis help; the patterns are reviewed data
(``content/risk/output_guard.yaml``), following the WHO/IASP guidance never to describe
methods, amounts or locations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from haven.domain.text import N_

__all__ = ["SAFE_REPLY", "GuardPatterns", "GuardResult", "guard"]

# What the member sees instead of a blocked reply (translated at the edge).
SAFE_REPLY = N_(
    "I can't help with that, and I'm worried about you. If you are thinking about ending "
    "your life, please reach out now: call your local emergency number or a crisis line. "
    "You can open \u201cGet help now\u201d to see who you can call or text where you are. "
    "Would you like to look at your safety plan together?"
)


class GuardPatterns(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    patterns: dict[str, list[str]] = Field(min_length=1)

    @cached_property
    def compiled(self) -> dict[str, list[re.Pattern[str]]]:
        return {
            kind: [re.compile(p, re.IGNORECASE | re.DOTALL) for p in found]
            for kind, found in self.patterns.items()
        }


@dataclass(frozen=True, slots=True)
class GuardResult:
    text: str  # what may be sent: the reply itself, or SAFE_REPLY when blocked
    blocked: bool
    reasons: tuple[str, ...]  # the kinds of means information found


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def guard(reply: str, *, patterns: GuardPatterns) -> GuardResult:
    """Check one outgoing reply; block it whole if it carries means information."""
    views = (reply.casefold(), _without_accents(reply.casefold()))
    reasons = tuple(
        kind
        for kind, compiled in patterns.compiled.items()
        if any(p.search(view) for p in compiled for view in views)
    )
    if reasons:
        return GuardResult(text=SAFE_REPLY, blocked=True, reasons=reasons)
    return GuardResult(text=reply, blocked=False, reasons=())
