"""The questionnaire files: which ones load, their LOINC codes, and what a broken one does."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from importlib.resources import files
from typing import Any

import pytest
import yaml

from haven.content import instruments
from haven.domain.instruments import Instrument

FOLDER = files("haven.content") / "instruments"
FILES = sorted(r.name for r in FOLDER.iterdir() if r.name.endswith(".yaml"))


def raw(name: str) -> dict[str, Any]:
    data = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- The loader -----------------------------------------------------------------------------


def test_the_loader_offers_exactly_the_eight_reviewed_instruments() -> None:
    assert sorted(instruments()) == [
        "audit",
        "cssrs",
        "gad2",
        "gad7",
        "pcl5",
        "phq2",
        "phq9",
        "who5",
    ]


def test_each_file_holds_the_instrument_it_is_named_after() -> None:
    assert [f"{instrument_id}.yaml" for instrument_id in sorted(instruments())] == FILES
    for name in FILES:
        assert f"{raw(name)['id']}.yaml" == name


def test_instruments_come_in_a_stable_order() -> None:
    assert list(instruments()) == sorted(instruments())


# --- LOINC ----------------------------------------------------------------------------------


def loinc_check_digit(body: str) -> int:
    """The LOINC mod-10 check digit, step by step as the LOINC Users' Guide gives it.

    1. Number the digits from the right. 2. Take the odd-positioned digits (1st, 3rd, ...
    from the right) as a number and double it. 3. Take the even-positioned digits as a
    number. 4. Write (3) in front of (2). 5. Add up the digits of (4). 6-7. The check digit
    takes that sum up to the next multiple of ten.
    """
    from_right = body[::-1]
    odd = from_right[0::2][::-1]
    even = from_right[1::2][::-1]
    joined = even + str(int(odd) * 2)
    total = sum(int(digit) for digit in joined)
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    body, _, check = code.partition("-")
    return (
        body.isdigit()
        and check.isdigit()
        and len(check) == 1
        and (loinc_check_digit(body) == int(check))
    )


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("12345-5", True),  # the worked example in the LOINC Users' Guide
        ("12345-4", False),
        ("44249-1", True),
        ("44249-7", False),
        ("2345-7", True),  # Glucose [Mass/volume] in Serum or Plasma
        ("718-7", True),  # Hemoglobin [Mass/volume] in Blood
        ("718-8", False),
        ("4548-4", True),  # Hemoglobin A1c/Hemoglobin.total in Blood
        ("8480-6", True),  # Systolic blood pressure
        ("54321", False),
    ],
)
def test_the_check_digit_algorithm_matches_known_codes(code: str, valid: bool) -> None:
    assert has_valid_check_digit(code) is valid


def loinc_codes(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every value under a ``loinc`` key anywhere in an instrument file, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "loinc" and isinstance(value, str):
                yield where, value
            elif key == "loinc" and isinstance(value, dict):
                yield from ((f"{where}.{k}", v) for k, v in value.items() if v is not None)
            else:
                yield from loinc_codes(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from loinc_codes(value, f"{path}[{index}]")


ALL_CODES = [(name, where, code) for name in FILES for where, code in loinc_codes(raw(name))]


def test_the_files_carry_loinc_codes_to_check() -> None:
    assert len(ALL_CODES) >= 20


@pytest.mark.parametrize(("name", "where", "code"), ALL_CODES)
def test_every_loinc_code_has_the_right_check_digit(name: str, where: str, code: str) -> None:
    assert has_valid_check_digit(str(code)), f"{name} {where}: {code}"


@pytest.mark.parametrize(
    ("instrument_id", "panel", "total"),
    [("phq9", "44249-1", "44261-6"), ("gad7", "69737-5", "70274-6")],
)
def test_the_panel_and_total_codes_the_product_needs(
    instrument_id: str, panel: str, total: str
) -> None:
    instrument = instruments()[instrument_id]

    assert (instrument.loinc.panel, instrument.loinc.total) == (panel, total)


def test_phq9_item_9_carries_its_own_loinc_code() -> None:
    item = instruments()["phq9"].item("phq9_9")

    assert item is not None
    assert item.loinc == "44260-8"


# --- A broken file is refused ---------------------------------------------------------------


Breakage = Callable[[dict[str, Any]], None]


def _bands(*ranges: tuple[int, int]) -> Breakage:
    def apply(data: dict[str, Any]) -> None:
        label = {"en": "Band", "es": "Banda"}
        data["bands"] = [
            {"min": low, "max": high, "code": f"band_{n}", "label": label}
            for n, (low, high) in enumerate(ranges)
        ]

    return apply


def _set(path: tuple[Any, ...], value: Any) -> Breakage:
    def apply(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return apply


def _delete(path: tuple[Any, ...]) -> Breakage:
    def apply(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return apply


BREAKAGES: list[tuple[str, str, Breakage, str]] = [
    ("phq9.yaml", "gap between bands", _bands((0, 4), (6, 27)), "starts at 6, expected 5"),
    ("phq9.yaml", "overlapping bands", _bands((0, 5), (5, 27)), "starts at 5, expected 6"),
    ("phq9.yaml", "bands stop short", _bands((0, 4), (5, 26)), "totals reach 27"),
    ("phq9.yaml", "bands start late", _bands((1, 4), (5, 27)), "starts at 1, expected 0"),
    ("phq9.yaml", "band upside down", _bands((0, 4), (9, 5), (10, 27)), "above max"),
    ("who5.yaml", "bands ignore the multiplier", _bands((0, 12), (13, 25)), "totals reach 100"),
    ("phq9.yaml", "item without Spanish", _delete(("items", 8, "text", "es")), "no text for es"),
    ("phq9.yaml", "blank Spanish item", _set(("items", 0, "text", "es"), "  "), "no text for es"),
    (
        "phq9.yaml",
        "option without Spanish",
        _delete(("option_sets", "frequency", 2, "label", "es")),
        "no text for es",
    ),
    ("phq9.yaml", "band without Spanish", _delete(("bands", 4, "label", "es")), "no text for es"),
    ("phq9.yaml", "flag without Spanish", _delete(("flags", 0, "label", "es")), "no text"),
    ("gad7.yaml", "instructions in English only", _delete(("instructions", "es")), "no text"),
    ("cssrs.yaml", "name in Spanish only", _delete(("name", "en")), "no text for en"),
    (
        "cssrs.yaml",
        "ask_if naming a later item",
        _set(("items", 2, "ask_if"), {"item": "q6", "equals": 1}),
        "earlier item",
    ),
    (
        "cssrs.yaml",
        "ask_if naming its own item",
        _set(("items", 2, "ask_if"), {"item": "q3", "equals": 1}),
        "earlier item",
    ),
    (
        "cssrs.yaml",
        "ask_if naming no item",
        _set(("items", 2, "ask_if"), {"item": "q9", "equals": 1}),
        "earlier item",
    ),
    ("phq9.yaml", "unknown option set", _set(("items", 3, "options"), "freqency"), "freqency"),
    ("phq9.yaml", "empty option set", _set(("option_sets", "frequency"), []), "present"),
    (
        "phq9.yaml",
        "repeated option value",
        _set(("option_sets", "frequency", 3, "value"), 2),
        "unique",
    ),
    ("phq9.yaml", "repeated item id", _set(("items", 8, "id"), "phq9_1"), "unique"),
    ("phq9.yaml", "flag on an unknown item", _set(("flags", 0, "item"), "phq9_10"), "phq9_10"),
    ("phq9.yaml", "malformed LOINC code", _set(("items", 8, "loinc"), "44260"), "loinc"),
    ("phq9.yaml", "misspelt field", _set(("bandz",), []), "bandz"),
    ("phq9.yaml", "no items", _set(("items",), []), "items"),
]


# Files that look complete but could never ask a question or raise a flag.
NEVER_ASK_OR_FLAG: list[tuple[str, str, Breakage, str]] = [
    (
        "cssrs.yaml",
        "ask_if on a value the item cannot take",
        _set(("items", 2, "ask_if"), {"item": "q2", "equals": 2}),
        "q2",
    ),
    (
        "phq9.yaml",
        "flag threshold above every option",
        _set(("flags", 0, "at_least"), 4),
        "suicidal_ideation",
    ),
    ("phq9.yaml", "two bands with one code", _set(("bands", 1, "code"), "minimal"), "minimal"),
]
REFUSED = BREAKAGES + NEVER_ASK_OR_FLAG


def test_the_files_the_breakages_start_from_are_valid() -> None:
    for name in {name for name, *_ in REFUSED}:
        assert Instrument.model_validate(raw(name)) == instruments()[name.removesuffix(".yaml")]


@pytest.mark.parametrize(
    ("name", "breakage", "apply", "message"),
    REFUSED,
    ids=[breakage for _, breakage, _, _ in REFUSED],
)
def test_a_broken_instrument_file_is_refused(
    name: str, breakage: str, apply: Breakage, message: str
) -> None:
    data = copy.deepcopy(raw(name))
    apply(data)

    with pytest.raises(ValueError, match=message):
        Instrument.model_validate(data)
