"""``haven score``: one questionnaire scored at the command line, as one JSON object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haven.cli.main import app


def score(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["score", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["phq9", *"111111111"], {"total": 9, "severity": "mild", "flags": ["suicidal_ideation"]}),
        (["PHQ-9", *"333332000"], {"total": 17, "severity": "moderately_severe", "flags": []}),
        (["gad7", "3,3,3,3,3,0,0"], {"total": 15, "severity": "severe", "flags": []}),
        (["phq2", "1", "2"], {"total": 3, "severity": "positive", "flags": []}),
        (["gad2", "1", "1"], {"total": 2, "severity": "negative", "flags": []}),
        (["who5", *"33111"], {"total": 36, "severity": "poor_wellbeing", "flags": []}),
        (
            ["pcl5", *(["2"] * 16 + ["1"] * 4)],
            {"total": 36, "severity": "probable_ptsd", "flags": []},
        ),
        (["audit", *"4444000022"], {"total": 20, "severity": "possible_dependence", "flags": []}),
        (
            ["cssrs", "yes", "yes", "no", "yes", "no", "no"],
            {
                "total": None,
                "severity": "high",
                "flags": ["wish_to_be_dead", "suicidal_thoughts", "suicidal_intent"],
            },
        ),
        (["cssrs", "no", "no", "no"], {"total": None, "severity": "none", "flags": []}),
    ],
)
def test_a_score_is_one_json_object_with_the_published_total_and_band(
    args: list[str], expected: dict[str, object]
) -> None:
    code, stdout, _ = score(*args)

    assert code == 0, stdout
    result = json.loads(stdout)
    assert set(result) == {"instrument", "total", "severity", "flags"}
    assert result["instrument"] == args[0].lower().replace("-", "")
    assert {k: result[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["phq9", *"11111111"], "phq9_9"),
        (["phq9", *"1111111111"], "10 answers"),
        (["phq9", *"114111111"], "phq9_3"),
        (["audit", *"0000000010"], "audit_9"),
        (["phq10", "1"], "phq10"),
        (["phq9", "one", *"11111111"], "Answer 1"),
        (["cssrs", "no", "no", "yes", "no", "no", "no"], "q3"),
        ([], "instrument"),
    ],
)
def test_bad_answers_exit_2_with_a_message_naming_the_problem(args: list[str], named: str) -> None:
    code, stdout, stderr = score(*args)

    assert code == 2
    assert stdout == ""
    assert named in stderr


def test_the_list_names_every_instrument_with_its_values() -> None:
    code, stdout, _ = score("--list")

    assert code == 0
    listing = {entry["id"]: entry for entry in json.loads(stdout)}
    assert set(listing) == {"phq9", "phq2", "gad7", "gad2", "who5", "pcl5", "audit", "cssrs"}
    assert listing["phq9"]["values"] == [0, 1, 2, 3]
    assert listing["audit"]["total_range"] == [0, 40]
    assert listing["cssrs"]["total_range"] is None


def test_scoring_needs_no_database_and_writes_nothing(tmp_path: Path) -> None:
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("haven")), "score", "gad7", *"1111111"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"HAVEN_DATA_DIR": str(tmp_path / "data"), "PATH": ""},
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["total"] == 7
    assert list(tmp_path.iterdir()) == []
