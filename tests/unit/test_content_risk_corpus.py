"""The risk and red-flag corpora hold what their datasheet (``docs/risk-corpus.md``) says."""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from haven.content.risk import CORPUS_LANGUAGES, corpus_lines, red_flag_lines, risk_lexicon
from haven.domain.risk import Family, normalise

RISK_KINDS = {
    "ideation",
    "plan_or_intent",
    "preparation",
    "means_seeking",
    "self_harm",
    "contextual",
}
NONE_KINDS = {"hard_negative", "distress", "contextual_negative", "neutral"}
CONTEXTUAL = {"contextual", "contextual_negative"}
RISK = [json.loads(line) for line in corpus_lines()]
RED = [json.loads(line) for line in red_flag_lines()]
RED_FLAGS = {rule.code for rule in risk_lexicon().signals if rule.family is Family.RED_FLAG}
# The shared evaluation file beside the repository (a copy of ../shared in CI), or where it
# lives on the development machine.
DEV = next(
    (
        path
        for path in (
            Path(__file__).parents[3] / "shared" / "eval" / "risk_dev.jsonl",
            Path("/work/shared/eval/risk_dev.jsonl"),
        )
        if path.exists()
    ),
    Path("/work/shared/eval/risk_dev.jsonl"),
)


def _near(a: str, b: str, above: float) -> bool:
    match = difflib.SequenceMatcher(None, a, b)
    return (
        match.real_quick_ratio() > above and match.quick_ratio() > above and match.ratio() > above
    )


def test_every_risk_item_has_exactly_the_datasheet_fields() -> None:
    fields = {"id", "label", "kind", "lang", "context", "text", "split"}
    for row in RISK:
        assert set(row) == fields, row["id"]
        assert row["lang"] in CORPUS_LANGUAGES
        assert row["id"].startswith(f"{row['lang']}-")
        assert row["split"] in {"train", "validation"}
        assert row["kind"] in (RISK_KINDS if row["label"] == "risk" else NONE_KINDS), row["id"]
        assert row["text"].strip()


def test_only_the_contextual_kinds_have_one_to_three_messages_of_context() -> None:
    for row in RISK:
        if row["kind"] in CONTEXTUAL:
            assert 1 <= len(row["context"]) <= 3, row["id"]
        else:
            assert row["context"] == [], row["id"]


def test_every_red_flag_item_names_a_flag_the_lexicon_knows() -> None:
    for row in RED:
        assert set(row) == {"id", "flag", "lang", "text", "split"}, row["id"]
        assert row["flag"] in RED_FLAGS | {"none"}, row["id"]
        assert row["lang"] in CORPUS_LANGUAGES
        assert row["id"].startswith(f"rf-{row['lang']}-")
        assert row["split"] in {"train", "validation"}


@pytest.mark.parametrize(("name", "rows"), [("risk", RISK), ("red flags", RED)])
def test_ids_are_unique_and_no_text_is_written_twice_in_a_language(
    name: str, rows: list[dict[str, Any]]
) -> None:
    assert len({row["id"] for row in rows}) == len(rows), name
    texts = Counter((row["lang"], normalise(row["text"])) for row in rows)
    assert [text for text, count in texts.items() if count > 1] == []


@pytest.mark.parametrize(("name", "rows"), [("risk", RISK), ("red flags", RED)])
def test_no_validation_item_rewords_a_training_item(name: str, rows: list[dict[str, Any]]) -> None:
    close = []
    for lang in CORPUS_LANGUAGES:
        train = [normalise(r["text"]) for r in rows if r["lang"] == lang and r["split"] == "train"]
        for row in rows:
            if row["lang"] == lang and row["split"] == "validation":
                text = normalise(row["text"])
                close += [(row["id"], t) for t in train if _near(text, t, 0.85)]
    assert close == [], name


@pytest.mark.parametrize(("name", "rows"), [("risk", RISK), ("red flags", RED)])
def test_about_a_quarter_of_every_kind_is_held_for_validation(
    name: str, rows: list[dict[str, Any]]
) -> None:
    key = "kind" if name == "risk" else "flag"
    totals = Counter(row[key] for row in rows)
    held = Counter(row[key] for row in rows if row["split"] == "validation")
    for kind, total in totals.items():
        assert 0.18 <= held[kind] / total <= 0.32, (name, kind)


@pytest.mark.skipif(
    not DEV.exists() and not os.environ.get("CI"),
    reason="the shared evaluation file is not beside the repository (CI always has it)",
)
def test_nothing_is_copied_from_the_reporting_file() -> None:
    dev = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    reported = [normalise(t) for row in dev for t in [row["text"], *row["context"]]]
    close = [
        row["id"]
        for row in [*RISK, *RED]
        if any(_near(normalise(row["text"]), t, 0.8) for t in reported)
    ]
    assert close == []
