"""``haven risk``, ``haven eval risk`` and ``haven train risk``: risk detection at the command line.

By default ``haven risk`` and ``haven eval risk`` run the rules and then the encoder
classifier (``--rules-only`` runs the rules alone, for comparison). ``haven risk`` reads JSON
lines ``{"text": ..., "context": [...]}`` on stdin and writes one JSON line per input, in
order. ``haven eval risk FILE`` scores a labelled JSON-lines file (the ``risk_dev.jsonl``
format) and prints recall on risk items and the false-positive rate on none items, counting
moderate and above as flagged. Neither echoes a member's words. ``haven train risk``
retrains the classifier on the packaged corpus and rewrites its artefact.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import BaseModel, ConfigDict, ValidationError
from rich.console import Console
from rich.table import Table

from haven.bootstrap import risk_model
from haven.content.risk import risk_lexicon
from haven.domain.ports import RiskModel
from haven.domain.risk import RiskAssessment
from haven.services.risk import check_message

__all__ = ["eval_app", "risk_command", "train_app"]

eval_app = typer.Typer(help="Evaluate detectors on labelled files.", no_args_is_help=True)
train_app = typer.Typer(help="Retrain models from the packaged data.", no_args_is_help=True)

RulesOnly = Annotated[
    bool, typer.Option("--rules-only", help="Run the rules layer alone, without the classifier.")
]

out = Console()
err = Console(stderr=True)


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    text: str
    context: list[str] = []


class _Labelled(_Message):
    id: str
    label: Literal["risk", "none"]
    kind: str
    lang: str
    split: str | None = None


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "line"
    return f"{where}: {first['msg']}"


def _model(rules_only: bool) -> RiskModel | None:
    return None if rules_only else risk_model()


def risk_command(rules_only: RulesOnly = False) -> None:
    """Assess JSON lines {"text", "context"} from stdin; one {"level", "signals",
    "explanation"} line out per line in (or {"error"}, and exit 1 at the end)."""
    lexicon = risk_lexicon()
    model = _model(rules_only)
    failed = False
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            message = _Message.model_validate_json(line)
        except ValidationError as error:
            failed = True
            # The error names the field, never the member's text.
            reply: dict[str, object] = {"error": f"line {number}: {_problem(error)}"}
        else:
            result = check_message(message.text, message.context, lexicon=lexicon, model=model)
            reply = {
                "level": result.level.value,
                "signals": list(result.signals),
                "explanation": result.explanation,
            }
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


class _Tally:
    def __init__(self) -> None:
        self.risk = self.caught = self.none = self.false = 0

    def add(self, item: _Labelled, result: RiskAssessment) -> None:
        if item.label == "risk":
            self.risk += 1
            self.caught += result.flagged
        else:
            self.none += 1
            self.false += result.flagged

    def summary(self) -> dict[str, float | int | None]:
        return {
            "risk_items": self.risk,
            "recall": round(self.caught / self.risk, 4) if self.risk else None,
            "none_items": self.none,
            "false_positive_rate": round(self.false / self.none, 4) if self.none else None,
        }


def _read(path: Path, split: str | None) -> list[_Labelled]:
    items: list[_Labelled] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        err.print(f"[red]error:[/red] cannot read {path}: {error.strerror}", highlight=False)
        raise typer.Exit(2) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = _Labelled.model_validate_json(line)
        except ValidationError as error:
            err.print(f"[red]error:[/red] line {number}: {_problem(error)}", highlight=False)
            raise typer.Exit(2) from None
        if split is None or item.split == split:
            items.append(item)
    return items


def _percent(value: float | int | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


@eval_app.command("risk")
def eval_risk(
    file: Annotated[Path, typer.Argument(help="JSON lines: id, label, kind, lang, context, text.")],
    split: Annotated[
        str | None, typer.Option(help="Only items whose split is this, e.g. validation.")
    ] = None,
    show_errors: Annotated[
        bool, typer.Option("--show-errors", help="List missed and false items (no text).")
    ] = False,
    rules_only: RulesOnly = False,
) -> None:
    """Recall on risk items and false-positive rate on none items (moderate and above flag)."""
    lexicon = risk_lexicon()
    items = _read(file, split)
    model = _model(rules_only)
    overall = _Tally()
    groups: dict[str, dict[str, _Tally]] = {
        "kind": defaultdict(_Tally),
        "lang": defaultdict(_Tally),
    }
    errors: list[dict[str, str]] = []
    for item in items:
        result = check_message(item.text, item.context, lexicon=lexicon, model=model)
        overall.add(item, result)
        groups["kind"][item.kind].add(item, result)
        groups["lang"][item.lang].add(item, result)
        if result.flagged != (item.label == "risk"):
            errors.append(
                {
                    "id": item.id,
                    "error": "missed" if item.label == "risk" else "false",
                    "kind": item.kind,
                    "lang": item.lang,
                    "level": result.level.value,
                }
            )
    table = Table()
    table.add_column("group", no_wrap=True)
    for heading in ("risk items", "recall", "none items", "false positives"):
        table.add_column(heading, justify="right")
    rows = [("overall", overall)] + [
        (f"{name} {key}", tally)
        for name in ("kind", "lang")
        for key, tally in sorted(groups[name].items())
    ]
    for label, tally in rows:
        s = tally.summary()
        table.add_row(
            label,
            str(s["risk_items"]),
            _percent(s["recall"]),
            str(s["none_items"]),
            _percent(s["false_positive_rate"]),
        )
    out.print(table)
    if show_errors:
        listing = Table("id", "error", "kind", "lang", "level", title="Errors")
        for row in errors:
            listing.add_row(row["id"], row["error"], row["kind"], row["lang"], row["level"])
        out.print(listing)
    report: dict[str, object] = {
        "file": str(file),
        "split": split,
        "detector": "rules" if rules_only else "rules+model",
        "overall": overall.summary(),
        "kind": {k: t.summary() for k, t in sorted(groups["kind"].items())},
        "lang": {k: t.summary() for k, t in sorted(groups["lang"].items())},
    }
    if show_errors:
        report["errors"] = errors
    sys.stdout.write(json.dumps(report) + "\n")


@train_app.command("risk")
def train_risk(
    output: Annotated[
        Path | None,
        typer.Option(help="Where to write the artefact (default: the packaged one)."),
    ] = None,
) -> None:
    """Retrain the encoder risk classifier on the corpus train split and calibrate its
    thresholds on the validation split (about a minute)."""
    from haven.adapters.nlu.risk_classifier import default_artefact
    from haven.adapters.nlu.risk_training import train

    report = train(output or default_artefact(), progress=lambda step: err.print(step))
    err.print(f"wrote {report.path}", highlight=False)
    sys.stdout.write(json.dumps({"train_items": report.train_items} | report.validation) + "\n")
