"""Crisis resources: who a person in danger can reach now, in their own country.

The data is a reviewed file (``content/crisis_resources.yaml``). A country that is not in it
gets the international advice and directories, never an empty page: in a crisis, "we have
nothing for you" is the worst possible answer.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "CountryResources",
    "CrisisDirectory",
    "CrisisLine",
    "FallbackResources",
    "country_from_accept_language",
]

Text = dict[str, str]
_LANGUAGES = ("en", "es")


def _translated(text: Text | None, where: str) -> None:
    if text is not None and any(not text.get(lang, "").strip() for lang in _LANGUAGES):
        raise ValueError(f"{where}: needs English and Spanish text")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CrisisLine(_Frozen):
    name: str
    phone: str | None = Field(default=None, pattern=r"^[0-9 +()-]{3,20}$")
    text: str | None = Field(default=None, pattern=r"^[0-9 +()-]{3,20}$")
    text_keyword: str | None = None
    url: str = Field(pattern=r"^https://")
    hours: Text
    languages: list[str] = Field(min_length=1)
    note: Text | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        _translated(self.hours, self.name)
        _translated(self.note, self.name)
        return self


class CountryResources(_Frozen):
    code: str = Field(pattern=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
    name: Text
    emergency: str = Field(pattern=r"^[0-9]{2,4}$")
    lines: list[CrisisLine] = Field(min_length=1)
    # Support for people facing abuse or domestic violence, shown when that is the danger.
    abuse_lines: list[CrisisLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        _translated(self.name, self.code)
        if not any(line.phone or line.text for line in self.lines):
            raise ValueError(f"{self.code}: needs at least one line to call or text")
        return self


class FallbackResources(_Frozen):
    name: Text
    advice: Text
    lines: list[CrisisLine] = Field(min_length=1)
    abuse_lines: list[CrisisLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        _translated(self.name, "international")
        _translated(self.advice, "international")
        return self


class CrisisDirectory(_Frozen):
    reviewed: date
    countries: list[CountryResources]
    international: FallbackResources

    @model_validator(mode="after")
    def _unique(self) -> Self:
        codes = [country.code for country in self.countries]
        if len(set(codes)) != len(codes):
            raise ValueError("each country appears once")
        return self

    def for_country(self, code: str | None) -> CountryResources | None:
        """The resources for an ISO country code (any case); None means use the fallback."""
        wanted = (code or "").strip().upper()
        return next((c for c in self.countries if c.code == wanted), None)


def country_from_accept_language(header: str | None) -> str | None:
    """The first region named in an ``Accept-Language`` header ("es-MX" gives "MX").

    Only a guess for visitors who have not said where they are; the page lets them choose.
    """
    for part in (header or "").split(",")[:20]:
        tag = part.split(";")[0].strip()
        pieces = tag.replace("_", "-").split("-")
        for piece in pieces[1:]:
            if len(piece) == 2 and piece.isascii() and piece.isalpha():
                return piece.upper()
    return None
