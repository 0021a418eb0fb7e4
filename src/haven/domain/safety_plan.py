"""The safety plan (Stanley & Brown 2012, Cogn Behav Pract 19:256-264): a member's own list,
written ahead of a crisis, of what to notice and what to do, step by step.

The six steps are the published ones, plus the reasons for living many services add. Every
entry is the member's own words, so the whole plan is stored encrypted; the care team sees
it only with the member's consent to share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from haven.domain.errors import InvalidInput
from haven.domain.text import N_

__all__ = [
    "MAX_ENTRIES",
    "MAX_ENTRY_LENGTH",
    "SafetyPlan",
    "SafetyPlanStep",
    "check_safety_plan",
]

MAX_ENTRIES = 20  # per step: a plan is read in a crisis, so it should stay short
MAX_ENTRY_LENGTH = 500


class SafetyPlanStep(StrEnum):
    WARNING_SIGNS = "warning_signs"
    COPING_STRATEGIES = "coping_strategies"  # things I can do on my own
    DISTRACTIONS = "distractions"  # people and places that take my mind off things
    PEOPLE_TO_ASK = "people_to_ask"  # people I can ask for help
    PROFESSIONALS = "professionals"  # clinicians, services and crisis lines
    SAFE_ENVIRONMENT = "safe_environment"  # making my surroundings safe
    REASONS_FOR_LIVING = "reasons_for_living"


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    member_id: UUID
    steps: Mapping[SafetyPlanStep, tuple[str, ...]]
    updated_at: datetime

    def entries(self, step: SafetyPlanStep) -> tuple[str, ...]:
        return self.steps.get(step, ())


def check_safety_plan(steps: Mapping[str, Sequence[str]]) -> dict[SafetyPlanStep, tuple[str, ...]]:
    """Validate a plan as typed: known steps, short non-empty entries; blank lines dropped."""
    checked: dict[SafetyPlanStep, tuple[str, ...]] = {}
    for name, entries in steps.items():
        try:
            step = SafetyPlanStep(name)
        except ValueError:
            raise InvalidInput(
                N_("A safety plan has no step called {step}."), field=name[:40], step=name[:40]
            ) from None
        kept = tuple(entry.strip() for entry in entries if entry.strip())
        if len(kept) > MAX_ENTRIES:
            raise InvalidInput(
                N_("Keep each step to {maximum} entries or fewer."),
                field=step.value,
                maximum=MAX_ENTRIES,
            )
        for entry in kept:
            if len(entry) > MAX_ENTRY_LENGTH or "\x00" in entry:
                raise InvalidInput(
                    N_("Each entry must be shorter than {maximum} characters."),
                    field=step.value,
                    maximum=MAX_ENTRY_LENGTH,
                )
        checked[step] = kept
    return checked
