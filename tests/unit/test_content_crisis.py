"""The crisis-resources file: every country the product promises, each reachable now."""

from __future__ import annotations

import pytest

from haven.content import crisis_directory
from haven.domain.crisis import CrisisDirectory, country_from_accept_language

PROMISED = ["US", "CA", "GB", "IE", "AU", "NZ", "ES", "MX", "AR", "FR", "DE", "BR", "PT", "IN"]


@pytest.mark.parametrize("code", PROMISED)
def test_every_promised_country_has_an_emergency_number_and_a_line_to_call(code: str) -> None:
    country = crisis_directory().for_country(code.lower())

    assert country is not None
    assert country.emergency.isdigit()
    assert any(line.phone for line in country.lines)
    assert all(line.url.startswith("https://") for line in country.lines)


@pytest.mark.parametrize("code", PROMISED)
def test_every_promised_country_lists_support_for_people_facing_abuse(code: str) -> None:
    country = crisis_directory().for_country(code)

    assert country is not None
    assert country.abuse_lines, f"{code} has no abuse or domestic-violence service"
    assert all(line.url.startswith("https://") for line in country.abuse_lines)
    assert crisis_directory().international.abuse_lines


def test_a_country_without_entries_gets_the_international_fallback_not_nothing() -> None:
    directory = crisis_directory()

    assert directory.for_country("ZZ") is None
    assert directory.for_country(None) is None
    assert "emergency" in directory.international.advice["en"]
    assert "emergencias" in directory.international.advice["es"]
    assert directory.international.lines


def test_a_file_with_a_country_twice_or_no_spanish_is_refused() -> None:
    raw = crisis_directory().model_dump(mode="json")
    twice = {**raw, "countries": [*raw["countries"], raw["countries"][0]]}
    with pytest.raises(ValueError, match="once"):
        CrisisDirectory.model_validate(twice)
    english_only = {**raw, "international": {**raw["international"], "advice": {"en": "Call."}}}
    with pytest.raises(ValueError, match="Spanish"):
        CrisisDirectory.model_validate(english_only)


@pytest.mark.parametrize(
    ("header", "country"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "MX"),
        ("en-GB", "GB"),
        ("pt_BR", "BR"),
        ("zh-Hant-TW", "TW"),
        ("fr", None),
        ("", None),
        (None, None),
        ("en-419", None),
    ],
)
def test_the_country_is_guessed_from_the_browsers_language(
    header: str | None, country: str | None
) -> None:
    assert country_from_accept_language(header) == country
