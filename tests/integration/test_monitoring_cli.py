"""``haven simulate cohort`` then ``haven eval deterioration``, end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from haven.cli.main import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_a_simulated_cohort_is_evaluated_and_the_last_line_is_the_json_report(
    tmp_path: Path,
) -> None:
    cohort = tmp_path / "cohort"
    code, stdout, _ = run(
        "simulate",
        "cohort",
        "--members",
        "30",
        "--days",
        "200",
        "--seed",
        "5",
        "--out",
        str(cohort),
    )
    assert code == 0
    assert json.loads(stdout.splitlines()[-1])["members"] == 30
    assert len(list((cohort / "members").glob("*.csv"))) == 30
    assert (cohort / "episodes.csv").read_text().startswith("member_id,onset_date,end_date")

    code, stdout, _ = run("eval", "deterioration", str(cohort))
    assert code == 0
    assert "sensitivity" in stdout  # the human summary comes first
    report = json.loads(stdout.splitlines()[-1])
    assert report["episodes"] > 0
    assert report["sensitivity"] >= 0.8
    assert report["false_alerts_per_member_month"] <= 0.5
    assert isinstance(report["median_lead_time_days"], float)


def test_a_damaged_cohort_file_is_named_and_nothing_is_reported(tmp_path: Path) -> None:
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "m1.csv").write_text(
        "timestamp,metric,value,unit\n2024-01-01T08:00:00+00:00,steps,12,count\n"
        "2024-01-02T08:00:00+00:00,heart,12,bpm\n"
    )
    code, stdout, stderr = run("eval", "deterioration", str(tmp_path))
    assert code == 2
    assert "m1.csv line 3: bad metric 'heart'" in stderr
    assert stdout == ""
