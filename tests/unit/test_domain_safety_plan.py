"""Checking a safety plan as the member typed it."""

from __future__ import annotations

import pytest

from haven.domain.errors import InvalidInput
from haven.domain.safety_plan import MAX_ENTRIES, SafetyPlanStep, check_safety_plan


def test_blank_entries_are_dropped_and_the_rest_kept_in_order() -> None:
    checked = check_safety_plan({"warning_signs": ["  Not sleeping ", "", "Skipping meals"]})

    assert checked == {SafetyPlanStep.WARNING_SIGNS: ("Not sleeping", "Skipping meals")}


@pytest.mark.parametrize(
    ("steps", "field"),
    [
        ({"wishes": ["x"]}, "wishes"),
        ({"coping_strategies": ["x" * 501]}, "coping_strategies"),
        ({"distractions": ["x"] * (MAX_ENTRIES + 1)}, "distractions"),
        ({"professionals": ["a\x00b"]}, "professionals"),
    ],
)
def test_a_bad_plan_names_the_step_at_fault(steps: dict[str, list[str]], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_safety_plan(steps)

    assert caught.value.field == field
