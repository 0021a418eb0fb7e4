"""`haven chat` with piped standard input: scripted conversations, as a person would type
them, through the real encoder, classifiers, risk check and database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from haven.cli.main import app
from haven.content import flows


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    # SQLite only: the chat is the fresh-install, offline path.
    return {"HAVEN_DATA_DIR": str(tmp_path / "data"), "LANG": "en_GB.UTF-8"}


def chat(env: dict[str, str], *lines: str, args: tuple[str, ...] = ()) -> str:
    result = CliRunner().invoke(app, ["chat", *args], env=env, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result.output


def test_a_scripted_thought_record_runs_to_the_end(env: dict[str, str]) -> None:
    out = chat(
        env,
        "hi",
        "can we do a thought record?",
        "4",
        "my manager criticised my report in front of the team",
        "I'm useless and I'll get fired for sure",
        "ashamed",
        "85",
        "I missed two deadlines this month",
        # not "my last review was good...": words of goodbyes can read as one to the
        # classifier (a known false alarm, listed in docs/risk-model-card.md), and this test
        # is about the flow, not the classifier.
        "my review in spring was good and she asked me to lead the next project",
        "one report went badly; it doesn't make me useless",
        "50",
        "6",
        "yes",
    )
    assert "AI companion" in out  # said at first use
    record = flows()["thought_record"]
    for step in record.steps:
        if step.id in {"situation", "evidence_for", "balanced_thought"}:
            assert step.say["en"].split("{")[0][:40] in out
    assert out.count("ashamed") >= 2  # their own word quoted back, at rating and re-rating
    assert replies_closing_words() in out


def replies_closing_words() -> str:
    from haven.content import replies

    return replies().control.flow_finished["en"]


def test_the_chat_is_in_spanish_with_lang_es(env: dict[str, str]) -> None:
    out = chat(env, "hola", "respiración", "5", args=("--lang", "es"))
    assert "IA" in out
    assert flows()["breathing"].steps[1].say["es"][:30] in out


def test_a_crisis_shows_the_lines_of_the_terminals_country(env: dict[str, str]) -> None:
    out = chat(env, "hello", "I'm going to kill myself tonight")
    assert "Samaritans" in out  # LANG=en_GB
    assert "999" in out
    assert "kill myself" not in out


def test_memory_carries_into_the_next_chat(env: dict[str, str]) -> None:
    chat(env, "hi", "I had a big fight with my sister again")
    later = chat(env, "hello")
    assert "your sister" in later


def test_chat_as_an_unknown_member_is_a_clear_error(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["chat", "--member", "nobody@example.org"], env=env, input="hi\n"
    )
    assert result.exit_code == 1
    assert "no member has the e-mail address" in result.output


def test_an_empty_script_exits_cleanly(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["chat"], env=env, input="")
    assert result.exit_code == 0


def test_quit_ends_a_piped_script_too(env: dict[str, str]) -> None:
    out = chat(env, "hi", "/quit", "I feel so anxious about tomorrow")
    assert "anxious" not in out.lower()
    assert out.count("\n\n") <= chat(env, "hi").count("\n\n") + 1


def test_red_flags_in_a_chat_get_their_careful_replies(env: dict[str, str]) -> None:
    out = chat(
        env,
        "hi",
        "haven't slept in four days and not tired at all, putting my savings into my app "
        "tomorrow, cheer me on!",
        "give me a 400 calorie meal plan, i still look fat at 45kg",
    )
    assert "hold off on any big decisions" in out
    assert "can't give calorie, weight-loss or fasting advice" in out
