"""The English and Spanish catalogs hold every string the code marks for translation, and
the Spanish text keeps each message's ``{placeholders}``.

When a test here names a missing message, run ``make i18n`` and translate what it adds to
``src/haven/locales/es/LC_MESSAGES/haven.po``.
"""

from __future__ import annotations

import configparser
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from haven.domain.people import SUPPORTED_LOCALES, Role
from haven.i18n import DEFAULT_LOCALE, negotiate_locale, translations

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src"
LOCALES = SOURCE / "haven" / "locales"

# The same keywords as `make i18n`: pybabel extract -k N_ -k translate:2
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "translate": (2,)}


@cache
def extracted() -> frozenset[str]:
    """Every message id that `make i18n` would extract, read with babel.cfg's mapping."""
    config = configparser.RawConfigParser()
    config.read(ROOT / "babel.cfg", encoding="utf-8")
    method_map: list[tuple[str, str]] = []
    options_map: dict[str, dict[str, str]] = {}
    for section in config.sections():
        method, pattern = (part.strip() for part in section.split(":", 1))
        method_map.append((pattern, method))
        options_map[pattern] = dict(config.items(section))
    ids: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        SOURCE, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            ids.add(msgid)
    return frozenset(ids)


@cache
def catalog(locale: str) -> Catalog:
    with (LOCALES / locale / "LC_MESSAGES" / "haven.po").open("rb") as handle:
        return read_po(handle, locale=locale, domain="haven")


def messages(locale: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) for each live, singular message of a catalog."""
    return [
        (str(message.id), str(message.string))
        for message in catalog(locale)
        if message.id and not message.pluralizable
    ]


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_extraction_finds_strings_from_python_and_from_templates() -> None:
    found = extracted()
    assert "No member with that id is visible to you." in found  # N_ in the domain
    assert "There is nothing at this address." in found  # translate(request, ...)
    assert "Enter your e-mail address and your password." in found  # catalog.gettext
    assert "Skip to content" in found  # _() in a Jinja2 template
    assert {role.value for role in Role} <= found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_marked_string_is_in_each_catalog(locale: str) -> None:
    # A plural entry's id is (singular, plural); extraction names it by its singular.
    present = {
        message.id[0] if message.pluralizable else message.id
        for message in catalog(locale)
        if message.id
    }
    missing = sorted(extracted() - present)
    assert not missing, (
        f"{len(missing)} marked string(s) are missing from the {locale!r} catalog; "
        f"run `make i18n` and translate them: {missing}"
    )


def test_every_marked_string_has_a_spanish_translation() -> None:
    untranslated = sorted(msgid for msgid, msgstr in messages("es") if not msgstr.strip())
    untranslated += sorted(
        message.id[0]
        for message in catalog("es")
        if message.id and message.pluralizable and not all(str(s).strip() for s in message.string)
    )
    assert not untranslated, (
        f"these messages have no Spanish text in src/haven/locales/es/LC_MESSAGES/haven.po: "
        f"{untranslated}"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_catalog_has_fuzzy_entries(locale: str) -> None:
    assert not catalog(locale).fuzzy, f"the {locale!r} catalog header is marked fuzzy"
    fuzzy = sorted(str(message.id) for message in catalog(locale) if message.id and message.fuzzy)
    assert not fuzzy, f"fuzzy entries in the {locale!r} catalog need review: {fuzzy}"


def test_english_catalog_leaves_every_msgstr_empty_so_the_msgid_is_shown() -> None:
    filled = sorted(msgid for msgid, msgstr in messages("en") if msgstr)
    assert not filled, f"English msgstr should stay empty (the msgid is the text): {filled}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_headers_name_the_language_plural_forms_and_utf8(locale: str) -> None:
    headers = dict(catalog(locale).mime_headers)
    assert headers["Language"] == locale
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert headers["Content-Type"].lower() == "text/plain; charset=utf-8"


def test_spanish_translations_keep_the_placeholders_of_the_english_text() -> None:
    mismatched = [
        (msgid, msgstr)
        for msgid, msgstr in messages("es")
        if msgstr and placeholders(msgstr) != placeholders(msgid)
    ]
    assert not mismatched, f"placeholders differ between msgid and msgstr: {mismatched}"


def test_spanish_translations_format_with_the_english_parameters() -> None:
    broken = []
    for msgid, msgstr in messages("es"):
        try:
            msgstr.format(**dict.fromkeys(placeholders(msgid), "1"))
        except (IndexError, KeyError, ValueError) as exc:
            broken.append((msgid, msgstr, repr(exc)))
    assert not broken, f"these Spanish messages cannot be formatted: {broken}"


def test_spanish_translations_return_spanish_text() -> None:
    spanish = translations("es")
    assert spanish.gettext("Sign in") == "Iniciar sesión"
    assert (
        spanish.gettext("Choose a password of at least {minimum} characters.").format(minimum=10)
        == "Elige una contraseña de al menos 10 caracteres."
    )


def test_every_role_has_a_spanish_label() -> None:
    spanish = translations("es")
    for role in Role:
        assert spanish.gettext(role.value) != role.value, role


def test_an_unsupported_locale_falls_back_to_english() -> None:
    fallback = translations("xx")
    assert fallback.info()["language"] == DEFAULT_LOCALE
    assert fallback.gettext("Sign in") == "Sign in"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("es", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
        ("en;q=0.2, es;q=0.9", "es"),
        ("es;q=0, en;q=0.1", "en"),
        ("ES-mx", "es"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
        (";;;,,,q=", "en"),
        ("es;q=banana", "en"),
        ("\x00\xff garbage \u2603", "en"),
    ],
)
def test_negotiate_locale_picks_the_best_supported_language(
    header: str | None, expected: str
) -> None:
    assert negotiate_locale(header) == expected
