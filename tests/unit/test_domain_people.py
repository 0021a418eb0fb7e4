"""What people type when an account is made: e-mail, password, display name and language."""

from __future__ import annotations

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st
from tests.strategies import typed_emails

from haven.domain.errors import InvalidInput
from haven.domain.people import (
    MAX_DISPLAY_NAME_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_display_name,
    check_locale,
    check_password,
    normalise_email,
)


def test_an_email_address_is_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Sam.Rivera@Example.ORG \n") == "sam.rivera@example.org"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "sam",
        "sam@",
        "@example.org",
        "sam@example",
        "sam@@example.org",
        "sam rivera@example.org",
        "x" * 65 + "@example.org",
        "sam@" + "x" * (MAX_EMAIL_LENGTH - 7) + ".org",
    ],
)
def test_something_that_is_not_an_email_address_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        normalise_email(raw)

    assert invalid.value.field == "email"


@given(raw=typed_emails | st.text(max_size=80))
def test_normalising_an_accepted_address_again_changes_nothing(raw: str) -> None:
    try:
        once = normalise_email(raw)
    except InvalidInput:
        reject()

    assert normalise_email(once) == once


@pytest.mark.parametrize("length", [MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH])
def test_passwords_at_either_bound_are_accepted(length: int) -> None:
    check_password("p" * length)


@pytest.mark.parametrize(
    ("length", "bound"),
    [(MIN_PASSWORD_LENGTH - 1, "minimum"), (MAX_PASSWORD_LENGTH + 1, "maximum")],
)
def test_passwords_outside_the_bounds_are_refused_naming_the_bound(length: int, bound: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_password("p" * length)

    assert invalid.value.field == "password"
    assert bound in invalid.value.params


def test_a_display_name_is_trimmed() -> None:
    assert check_display_name("  Lucía Gómez ") == "Lucía Gómez"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "Sam\x00", "Sam\nRivera", "Sam\u202eRivera", "x" * (MAX_DISPLAY_NAME_LENGTH + 1)],
    ids=["empty", "blank", "nul", "newline", "bidi-override", "too-long"],
)
def test_empty_over_long_or_control_character_names_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_display_name(raw)

    assert invalid.value.field == "display_name"


def test_a_name_of_exactly_the_maximum_length_is_accepted() -> None:
    name = "x" * MAX_DISPLAY_NAME_LENGTH

    assert check_display_name(name) == name


@pytest.mark.parametrize("locale", ["en", "es"])
def test_supported_languages_are_accepted(locale: str) -> None:
    assert check_locale(locale) == locale


@pytest.mark.parametrize("locale", ["", "fr", "EN", "es-ES"])
def test_unsupported_languages_are_refused_with_the_choices(locale: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_locale(locale)

    assert invalid.value.params["choices"] == "en, es"
