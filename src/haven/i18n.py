"""Translations from the gettext catalogs in ``haven/locales`` (English and Spanish).

Catalogs are kept as ``.po`` text, reviewed like any other content, and compiled in memory
at first use, so no build step or binary file is needed.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib.resources import files

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from haven.domain.people import SUPPORTED_LOCALES

__all__ = ["DEFAULT_LOCALE", "negotiate_locale", "translations"]

DEFAULT_LOCALE = "en"
DOMAIN = "haven"


@cache
def translations(locale: str) -> gettext.NullTranslations:
    if locale not in SUPPORTED_LOCALES:
        locale = DEFAULT_LOCALE
    po = files("haven") / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate_locale(accept_language: str | None) -> str:
    """The best supported language for an ``Accept-Language`` header (RFC 9110 12.5.4)."""
    if not accept_language:
        return DEFAULT_LOCALE
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in SUPPORTED_LOCALES and quality > 0:
            weighted.append((-quality, position, language))
    return min(weighted)[2] if weighted else DEFAULT_LOCALE
