"""Validated questionnaires as reviewed data: what an instrument file must hold.

Each instrument lives in one YAML file under ``haven/content/instruments`` (items, answer
options with their published values, recall period, scoring rule, severity bands, item flags,
citation, licence, LOINC codes and English and Spanish text). These models reject a file
that is incomplete or inconsistent at load, so a typo in a band or a missing translation
stops the server from starting instead of mis-scoring a person.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from haven.domain.text import N_

__all__ = [
    "REQUIRED_LANGUAGES",
    "RISK_LEVEL_NAMES",
    "AnswerOption",
    "Band",
    "ChangeCriteria",
    "Instrument",
    "Item",
    "ItemFlag",
    "Loinc",
    "RiskLevel",
    "ScoringMethod",
    "Text",
]

# Every instrument must read in each language Haven's pages offer.
REQUIRED_LANGUAGES = ("en", "es")

Text = dict[str, str]


def _check_languages(text: Text, where: str) -> None:
    missing = [lang for lang in REQUIRED_LANGUAGES if not text.get(lang, "").strip()]
    if missing:
        raise ValueError(f"{where}: no text for {', '.join(missing)}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RiskLevel(StrEnum):
    """How urgently a flag needs a human; ordered from least to most urgent."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    IMMINENT = "imminent"  # danger now: reached only by what a member writes, not by a form

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


# Level names are shown translated (``_(level.value)``); marking them here puts them in the
# catalogs.
RISK_LEVEL_NAMES = (N_("low"), N_("moderate"), N_("high"), N_("imminent"))


class ScoringMethod(StrEnum):
    SUM = "sum"  # total = multiplier x sum of item values (WHO-5 uses a multiplier of 4)
    CSSRS_TRIAGE = "cssrs_triage"  # no total; a triage level from the pattern of answers


class AnswerOption(_Frozen):
    value: int
    label: Text

    @model_validator(mode="after")
    def _translated(self) -> Self:
        _check_languages(self.label, f"option {self.value}")
        return self


class Condition(_Frozen):
    """An item is asked only when an earlier item has this answer (skip logic)."""

    item: str
    equals: int


class Item(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    text: Text
    options: str  # the name of an option set in the instrument
    loinc: str | None = Field(default=None, pattern=r"^\d{1,7}-\d$")
    ask_if: Condition | None = None
    # An unanswered optional item is treated as the most cautious answer by the scorer
    # (the C-SSRS "within the past 3 months?" follow-up).
    required: bool = True
    scored: bool = True

    @model_validator(mode="after")
    def _translated(self) -> Self:
        _check_languages(self.text, f"item {self.id}")
        return self


class Band(_Frozen):
    """A severity band over the total, both ends inclusive."""

    min: int
    max: int
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"band {self.code}: min {self.min} is above max {self.max}")
        _check_languages(self.label, f"band {self.code}")
        return self


class ItemFlag(_Frozen):
    """An answer that must reach the care team whatever the total."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    item: str
    at_least: int
    level: RiskLevel
    label: Text

    @model_validator(mode="after")
    def _translated(self) -> Self:
        _check_languages(self.label, f"flag {self.code}")
        return self


class ChangeCriteria(_Frozen):
    """How change is judged for outcome reporting (Jacobson & Truax 1991).

    ``reliable_change`` is the smallest change in total that counts as reliable. Where a
    service convention fixes it (NHS Talking Therapies: PHQ-9 6, GAD-7 4) that value is
    used; ``sd`` and ``reliability`` record the inputs of the Jacobson-Truax index,
    1.96 x SD x sqrt(2 x (1 - r)), so a reader can check the number.
    """

    reliable_change: float = Field(gt=0)
    caseness: float | None = None  # a total at or above this is a clinical case
    higher_is_worse: bool = True
    sd: float | None = Field(default=None, gt=0)
    reliability: float | None = Field(default=None, gt=0, lt=1)
    source: str


class Loinc(_Frozen):
    panel: str | None = Field(default=None, pattern=r"^\d{1,7}-\d$")
    total: str | None = Field(default=None, pattern=r"^\d{1,7}-\d$")


class Instrument(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9]{2,16}$")
    short_name: str
    aliases: list[str] = []  # other names people type for it ("columbia" for the C-SSRS)
    name: Text
    version: int = Field(ge=1)
    recall_period: Text
    instructions: Text
    citation: str
    licence: str
    loinc: Loinc = Loinc()
    scoring: ScoringMethod
    multiplier: int = Field(default=1, ge=1)
    option_sets: dict[str, list[AnswerOption]]
    items: list[Item] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1)
    flags: list[ItemFlag] = []
    change: ChangeCriteria | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for text, where in (
            (self.name, "name"),
            (self.recall_period, "recall_period"),
            (self.instructions, "instructions"),
        ):
            _check_languages(text, where)
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        for name, options in self.option_sets.items():
            values = [option.value for option in options]
            if not values or len(set(values)) != len(values):
                raise ValueError(f"option set {name}: values must be present and unique")
        for position, item in enumerate(self.items):
            if item.options not in self.option_sets:
                raise ValueError(f"item {item.id}: unknown option set {item.options}")
            condition = item.ask_if
            if condition is not None:
                if condition.item not in ids[:position]:
                    raise ValueError(f"item {item.id}: ask_if must name an earlier item")
                if condition.equals not in self._values(condition.item):
                    raise ValueError(
                        f"item {item.id}: ask_if waits for {condition.item} = "
                        f"{condition.equals}, which is not one of its answers"
                    )
        for flag in self.flags:
            if flag.item not in ids:
                raise ValueError(f"flag {flag.code}: unknown item {flag.item}")
            if flag.at_least > max(self._values(flag.item)):
                raise ValueError(f"flag {flag.code}: no answer reaches {flag.at_least}")
        codes = [band.code for band in self.bands]
        for code in codes:
            if codes.count(code) > 1:
                raise ValueError(f"band code {code} is used more than once")
        if self.scoring is ScoringMethod.SUM:
            self._bands_cover(self.total_range)
        else:
            # Triage bands are ranked levels: 0 (no flag raised) up to the most urgent flag's.
            self._bands_cover((0, max((f.level.rank + 1 for f in self.flags), default=0)))
        return self

    def _values(self, item_id: str) -> list[int]:
        item = next(i for i in self.items if i.id == item_id)
        return [option.value for option in self.option_sets[item.options]]

    def _bands_cover(self, total_range: tuple[int, int]) -> None:
        """Bands must tile the whole range of totals: no gap, no overlap."""
        low, high = total_range
        expected = low
        for band in sorted(self.bands, key=lambda b: b.min):
            if band.min != expected:
                raise ValueError(f"band {band.code} starts at {band.min}, expected {expected}")
            expected = band.max + 1
        if expected != high + 1:
            raise ValueError(f"bands end at {expected - 1}, but totals reach {high}")

    def options_for(self, item: Item) -> list[AnswerOption]:
        return self.option_sets[item.options]

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def scored_items(self) -> list[Item]:
        return [item for item in self.items if item.scored]

    @property
    def total_range(self) -> tuple[int, int]:
        """The lowest and highest possible totals (after the multiplier)."""
        low = sum(min(o.value for o in self.options_for(i)) for i in self.scored_items)
        high = sum(max(o.value for o in self.options_for(i)) for i in self.scored_items)
        return low * self.multiplier, high * self.multiplier

    def band(self, code: str) -> Band:
        return next(band for band in self.bands if band.code == code)
