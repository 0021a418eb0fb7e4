"""``haven risk`` and ``haven eval risk``: JSON lines in, JSON lines out; a readable report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from haven.cli.main import app

DEV_SET = Path("/work/shared/eval/risk_dev.jsonl")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_risk_answers_each_line_in_order() -> None:
    lines = [
        {"text": "I want to kill myself"},
        {"text": "my feet are killing me", "context": []},
        {"text": "how tall is that bridge over the river?", "context": ["I lost my job today"]},
    ]
    code, stdout, _ = run("risk", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert code == 0
    replies = [json.loads(line) for line in stdout.splitlines()]
    assert [reply["level"] for reply in replies] == ["high", "none", "high"]
    assert all(set(reply) == {"level", "signals", "explanation"} for reply in replies)
    assert "means_query" in replies[2]["signals"]


def test_a_malformed_line_gets_an_error_in_its_place_and_exit_1() -> None:
    stdin = '{"text": "I wish I were dead"}\nnot json at all\n{"context": []}\n{"text": "hi"}\n'
    code, stdout, stderr = run("risk", stdin=stdin)
    assert code == 1
    replies = [json.loads(line) for line in stdout.splitlines()]
    assert len(replies) == 4
    assert replies[0]["level"] == "moderate"
    assert replies[1]["error"].startswith("line 2")
    assert "text" in replies[2]["error"]
    assert replies[3]["level"] == "none"
    assert "Traceback" not in stdout + stderr


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_eval_reports_recall_and_false_positives_by_kind_and_language(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"id": "a", "label": "risk", "kind": "ideation", "lang": "en", "text": "I want to die"},
        {"id": "b", "label": "risk", "kind": "ideation", "lang": "fr", "text": "je veux mourir"},
        {"id": "c", "label": "risk", "kind": "veiled", "lang": "en", "text": "I'm fine"},
        {"id": "d", "label": "none", "kind": "hard_negative", "lang": "en", "text": "lol dead"},
        {"id": "e", "label": "none", "kind": "hard_negative", "lang": "en", "text": "kill me"},
    ]
    rows[4]["text"] = "I want to kill myself"  # a labelling mistake the report must show
    code, stdout, _ = run("eval", "risk", str(_write(tmp_path / "small.jsonl", rows)))
    assert code == 0
    assert "recall" in stdout
    assert "kind ideation" in stdout
    report = json.loads(stdout.splitlines()[-1])
    assert report["overall"] == {
        "risk_items": 3,
        "recall": round(2 / 3, 4),
        "none_items": 2,
        "false_positive_rate": 0.5,
    }
    assert report["lang"]["fr"]["recall"] == 1.0
    assert report["kind"]["veiled"]["recall"] == 0.0
    assert "errors" not in report


def test_eval_show_errors_lists_ids_without_the_text(tmp_path: Path) -> None:
    rows = [
        {"id": "miss-1", "label": "risk", "kind": "veiled", "lang": "en", "text": "just tired"},
        {"id": "fp-1", "label": "none", "kind": "x", "lang": "de", "text": "ich will sterben"},
        {"id": "ok-1", "label": "none", "kind": "x", "lang": "en", "text": "nice weather"},
    ]
    code, stdout, _ = run("eval", "risk", "--show-errors", str(_write(tmp_path / "e.jsonl", rows)))
    assert code == 0
    assert "miss-1" in stdout
    assert "fp-1" in stdout
    assert "ok-1" not in stdout
    assert "just tired" not in stdout
    assert "ich will sterben" not in stdout
    report = json.loads(stdout.splitlines()[-1])
    assert [e["id"] for e in report["errors"]] == ["miss-1", "fp-1"]


def test_eval_split_keeps_only_that_split(tmp_path: Path) -> None:
    rows = [
        {"id": "t", "label": "risk", "kind": "k", "lang": "en", "text": "x", "split": "train"},
        {"id": "v", "label": "none", "kind": "k", "lang": "en", "text": "y", "split": "validation"},
    ]
    code, stdout, _ = run(
        "eval", "risk", "--split", "validation", str(_write(tmp_path / "s.jsonl", rows))
    )
    assert code == 0
    overall = json.loads(stdout.splitlines()[-1])["overall"]
    assert (overall["risk_items"], overall["none_items"]) == (0, 1)


def test_eval_names_the_bad_line_of_a_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "label": "maybe", "kind": "k", "lang": "en", "text": "t"}\n')
    code, stdout, stderr = run("eval", "risk", str(path))
    assert code == 2
    assert "line 1" in stderr
    assert "label" in stderr
    assert "Traceback" not in stdout + stderr


def test_eval_runs_on_the_shared_dev_set_and_ends_with_one_json_object() -> None:
    # Format only: thresholds on this set are reported, never asserted.
    code, stdout, _ = run("eval", "risk", str(DEV_SET))
    assert code == 0
    report = json.loads(stdout.splitlines()[-1])
    assert set(report["overall"]) == {"risk_items", "recall", "none_items", "false_positive_rate"}
    assert report["overall"]["risk_items"] + report["overall"]["none_items"] == sum(
        1 for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    assert "en" in report["lang"]
