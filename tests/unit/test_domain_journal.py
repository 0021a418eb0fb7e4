"""The checks on free text a member or clinician writes."""

from __future__ import annotations

import pytest

from haven.domain.errors import InvalidInput
from haven.domain.journal import MAX_FREE_TEXT_LENGTH, check_free_text


def test_text_is_kept_exactly_as_written() -> None:
    text = "  Slept badly.\n\nThe walk helped.  "

    assert check_free_text(text, field="body") == text


@pytest.mark.parametrize(
    "text",
    ["", " \n\t ", "x" * (MAX_FREE_TEXT_LENGTH + 1), "before\x00after"],
    ids=["empty", "blank", "too-long", "nul"],
)
def test_blank_over_long_or_unstorable_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_free_text(text, field="body")

    assert invalid.value.field == "body"


def test_text_of_exactly_the_maximum_length_is_accepted() -> None:
    check_free_text("x" * MAX_FREE_TEXT_LENGTH, field="body")
