"""A member's questionnaires, progress charts, safety plan and settings, in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.browser.conftest import (
    DEMO_CLINICIAN,
    DEMO_MEMBER,
    PASSWORD,
    LiveHaven,
    check_accessibility,
    screenshot,
    sign_in,
    sign_up,
)

from haven.services.accounts import assign_to_care_team
from haven.services.moods import check_in
from haven.services.schedules import assign_schedule

expect = pytest.importorskip("playwright.sync_api").expect

# PHQ-9 answers in question order (0 "Not at all" .. 3 "Nearly every day"): total 7, "Mild".
MILD = (1, 1, 2, 1, 0, 1, 0, 1, 0)
LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")


def assign_phq9(live_haven: LiveHaven, email: str) -> None:
    """What the member's clinician does on the dashboard: take them on, assign a PHQ-9."""
    haven = live_haven.container
    with haven.uow() as uow:
        member = uow.accounts.by_email(email)
        clinician = uow.accounts.by_email(DEMO_CLINICIAN[0])
    assert member is not None
    assert clinician is not None
    assign_to_care_team(
        haven.uow(), clock=haven.clock, actor=None, clinician_id=clinician.id, member_id=member.id
    )
    assign_schedule(
        haven.uow(),
        clock=haven.clock,
        actor=clinician,
        member_id=member.id,
        instrument_id="phq9",
        every_days=14,
        starts_at=None,
        instruments=haven.instruments,
        documents=haven.documents,
    )


def member_with_phq9(page: Any, live_haven: LiveHaven, name: str) -> str:
    email = sign_up(page, live_haven, name)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assign_phq9(live_haven, email)
    return email


def question(page: Any, number: int) -> Any:
    return page.get_by_role("group", name=re.compile(rf"^Question {number} of 9\b"))


def answer(page: Any, answers: dict[int, int]) -> None:
    """Click the label of each chosen answer, as a person does."""
    for number, value in answers.items():
        question(page, number).get_by_text(LABELS[value], exact=True).click()


def test_member_takes_a_phq9_and_sees_the_score_on_the_chart(
    page: Any, live_haven: LiveHaven
) -> None:
    member_with_phq9(page, live_haven, "Quinn")
    page.goto("/questionnaires")
    expect(page.get_by_role("heading", name="Ready for you now")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "member-questionnaires")

    page.get_by_role("link", name="Answer the PHQ-9").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Patient Health Questionnaire (PHQ-9)"
    )
    expect(page.get_by_text("0 of 9 answered")).to_be_visible()
    answer(page, {1: MILD[0], 2: MILD[1], 3: MILD[2]})
    expect(page.get_by_text("3 of 9 answered")).to_be_visible()
    expect(page.locator("progress#q-progress")).to_have_attribute("value", "3")
    check_accessibility(page)
    screenshot(page, "member-questionnaire-form")
    answer(page, {n: v for n, v in enumerate(MILD, start=1) if n > 3})
    expect(page.get_by_text("9 of 9 answered")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your PHQ-9 result")
    expect(page.get_by_role("status")).to_have_text("Thank you, your answers are saved.")
    expect(page.locator(".score-number")).to_have_text("7")
    expect(page.get_by_text("out of 27")).to_be_visible()
    expect(page.locator(".score-card")).to_contain_text("Mild")
    expect(page.get_by_text("not a diagnosis")).to_be_visible()
    expect(page.get_by_role("heading", name="You do not have to face this alone")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "member-questionnaire-result")

    page.get_by_role("link", name="See my progress").click()
    expect(page).to_have_url(re.compile(r"/progress$"))
    chart = page.locator('[data-chart="chart-phq9"]')
    # plotly.js (served from this origin) drew the figure: an SVG with the bands' labels.
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    expect(chart).to_contain_text("Moderately severe")
    page.get_by_text("Show the numbers").first.click()
    table = page.get_by_role("table", name="PHQ-9 scores, newest first")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("7")
    expect(table).to_contain_text("Mild")
    check_accessibility(page)
    screenshot(page, "member-progress")

    page.goto("/questionnaires")
    results = page.get_by_role("table", name="Your questionnaire results, newest first")
    expect(results).to_contain_text("PHQ-9")
    expect(results).to_contain_text("Mild")


def test_the_demo_member_sees_months_of_scores_against_their_bands(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_in(page, *DEMO_MEMBER)
    page.goto("/progress")
    for name in ("chart-phq9", "chart-gad7"):
        expect(page.locator(f'[data-chart="{name}"] svg.main-svg').first).to_be_attached()
    phq9 = page.get_by_role("region", name="Patient Health Questionnaire (PHQ-9)")
    # The demo member is recovering: the summary says so in plain words.
    expect(phq9.get_by_text(re.compile(r"Latest score: \d+ \(\w+"))).to_be_visible()
    expect(phq9.get_by_text("that is a reliable recovery")).to_be_visible()
    expect(phq9.get_by_role("button", name="Share chart...")).to_have_count(0)
    phq9.get_by_text("Show the numbers").click()
    rows = phq9.get_by_role("table", name="PHQ-9 scores, newest first").get_by_role("row")
    assert rows.count() > 4
    check_accessibility(page)
    screenshot(page, "member-progress-demo")


def test_mood_check_ins_are_charted_by_day(page: Any, live_haven: LiveHaven) -> None:
    email = sign_up(page, live_haven, "Noor")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    haven = live_haven.container
    with haven.uow() as uow:
        member = uow.accounts.by_email(email)
    assert member is not None
    for rating in (3, 6):
        check_in(
            haven.uow(),
            clock=haven.clock,
            actor=member,
            member_id=member.id,
            rating=rating,
            documents=haven.documents,
        )
    page.goto("/progress")
    expect(page.locator('[data-chart="chart-mood"] svg.main-svg').first).to_be_attached()
    page.get_by_text("Show the numbers").click()
    mood = page.get_by_role("table", name="Daily mood, newest first")
    expect(mood.get_by_role("row")).to_have_count(2)
    expect(mood.get_by_role("row").nth(1)).to_contain_text("4.5")
    check_accessibility(page)


def test_unanswered_questions_are_named_and_the_other_answers_kept(
    page: Any, live_haven: LiveHaven
) -> None:
    member_with_phq9(page, live_haven, "Rowan")
    page.goto("/questionnaires/phq9")
    answer(page, {n: v for n, v in enumerate(MILD, start=1) if n not in {4, 8}})
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Submit my answers").click()
    assert navigation.value.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("2 questions still need an answer")
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary.get_by_role("link").nth(0)).to_contain_text("Question 4: Feeling tired")
    expect(summary.get_by_role("link").nth(1)).to_contain_text("Question 8: Moving or speaking")
    expect(page.get_by_text("Choose an answer to question 4.")).to_be_visible()
    for number, value in enumerate(MILD, start=1):
        if number in {4, 8}:
            for label in LABELS:
                expect(question(page, number).get_by_label(label, exact=True)).not_to_be_checked()
        else:
            expect(question(page, number).get_by_label(LABELS[value], exact=True)).to_be_checked()
    expect(page.get_by_text("7 of 9 answered")).to_be_visible()
    # The summary's link takes the person straight to the question.
    summary.get_by_role("link").nth(0).click()
    expect(question(page, 4).get_by_label(LABELS[0], exact=True)).to_be_focused()
    page.keyboard.press("Space")
    answer(page, {8: 1})
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".score-number")).to_have_text("6")


def test_a_positive_item_9_shows_crisis_lines_for_the_members_country(
    page: Any, live_haven: LiveHaven
) -> None:
    member_with_phq9(page, live_haven, "Sasha")
    page.goto("/questionnaires/phq9")
    answer(page, dict.fromkeys(range(1, 9), 2) | {9: 1})
    page.get_by_role("button", name="Submit my answers").click()
    crisis = page.get_by_role("region", name="You do not have to face this alone")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("United Kingdom")
    expect(crisis.get_by_role("link", name="999")).to_be_visible()
    expect(crisis).to_contain_text("Samaritans")
    expect(crisis).to_contain_text("Your care team has been told")
    expect(page.locator(".score-card")).to_contain_text("Moderately severe")
    check_accessibility(page)


def test_a_questionnaire_not_assigned_is_not_offered(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Tam")
    page.goto("/questionnaires")
    expect(page.get_by_text("has not asked you to answer any questionnaires yet")).to_be_visible()
    response = page.goto("/questionnaires/gad7")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This questionnaire is not available")


def test_the_questionnaire_and_progress_fit_a_phone(open_page: Any, live_haven: LiveHaven) -> None:
    phone = open_page(viewport={"width": 360, "height": 740})
    member_with_phq9(phone, live_haven, "Uma")
    for path in ("/questionnaires/phq9", "/progress", "/safety-plan", "/settings"):
        phone.goto(path)
        fits = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"{path} scrolls sideways at 360 px"


def test_the_safety_plan_is_written_saved_and_shown(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Vic")
    page.goto("/safety-plan")
    expect(page.get_by_role("heading", name="Write my plan")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("1. Warning signs").fill("Not sleeping\n\nPulling away from friends")
    page.get_by_label("4. People I can ask for help").fill("My sister Ana, 555 0100")
    page.get_by_label("Reasons for living").fill("My dog, Biscuit")
    page.get_by_role("button", name="Save my plan").click()

    expect(page.get_by_role("status")).to_have_text("Saved.")
    plan = page.get_by_role("region", name="My plan", exact=True)
    expect(plan.get_by_role("listitem")).to_have_text(
        ["Not sleeping", "Pulling away from friends", "My sister Ana, 555 0100", "My dog, Biscuit"]
    )
    page.reload()
    expect(page.get_by_label("1. Warning signs")).to_have_value(
        "Not sleeping\nPulling away from friends"
    )
    check_accessibility(page)
    screenshot(page, "member-safety-plan")

    # Too many entries in one step: refused with a message, what was typed kept.
    too_many = "\n".join(f"Idea {n}" for n in range(1, 23))
    page.get_by_label("2. Things I can do on my own").fill(too_many)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save my plan").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("20 entries or fewer")
    expect(page.get_by_label("2. Things I can do on my own")).to_have_value(too_many)
    expect(page.get_by_role("region", name="My plan", exact=True)).not_to_contain_text("Idea 1")


def test_the_language_switch_changes_the_page_and_stays(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Wren")
    page.goto("/settings")
    check_accessibility(page)
    screenshot(page, "member-settings")
    page.get_by_label("Language", exact=True).first.select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/settings$"))
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#language")).to_have_value("es")


def test_settings_keep_what_was_typed_on_bad_input_and_save_a_new_name(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_up(page, live_haven, "Xan")
    page.goto("/settings")
    page.get_by_label("What should we call you?").fill("   ")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save", exact=True).click()
    assert navigation.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Enter the name you would like us to use.")
    page.get_by_label("What should we call you?").fill("Xan the Brave")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_label("What should we call you?")).to_have_value("Xan the Brave")


def test_download_my_data_returns_json_with_the_members_name(
    page: Any, live_haven: LiveHaven, tmp_path: Path
) -> None:
    email = sign_up(page, live_haven, "Yael")
    page.goto("/settings")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    assert download.value.suggested_filename == "haven-data.json"
    saved = tmp_path / "haven-data.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["account"]["display_name"] == "Yael"
    assert data["account"]["email"] == email


def test_deleting_the_account_needs_the_right_email_then_signs_out_for_good(
    page: Any, live_haven: LiveHaven
) -> None:
    email = sign_up(page, live_haven, "Zed")
    page.goto("/settings")
    page.get_by_role("link", name="Delete my account").click()
    expect(page).to_have_url(re.compile(r"/settings/delete$"))
    check_accessibility(page)

    page.get_by_label("To confirm, type your e-mail address").fill("someone-else@example.org")
    page.get_by_label("Your password").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Delete my account for good").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("That is not the e-mail address")
    expect(page.get_by_label("To confirm, type your e-mail address")).to_have_value(
        "someone-else@example.org"
    )
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("To confirm, type your e-mail address").fill(email)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page).to_have_url(re.compile(r"/\?done=deleted$"))
    expect(page.get_by_role("status")).to_have_text("Deleted.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    sign_in(page, email)
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("alert")).to_be_visible()


def test_forms_refuse_forged_or_nonsense_posts_without_a_server_error(
    page: Any, live_haven: LiveHaven
) -> None:
    email = member_with_phq9(page, live_haven, "Ari")
    page.goto("/questionnaires/phq9")
    token = page.locator('input[name="csrf_token"]').first.input_value()
    post = page.request.post

    forged = post(
        "/questionnaires/phq9", form=dict.fromkeys([f"phq9_{n}" for n in range(1, 10)], "0")
    )
    assert forged.status == 403
    assert "This form has expired" in forged.text()

    nonsense = post(
        "/questionnaires/phq9",
        form={"csrf_token": token, "phq9_1": "99", "phq9_2": "banana", "phq9_3": "-1"},
    )
    assert nonsense.status == 400
    assert "9 questions still need an answer" in nonsense.text()

    assert post("/questionnaires/nope", form={"csrf_token": token}).status == 404
    huge = post("/safety-plan", form={"csrf_token": token, "warning_signs": "x" * 600})
    assert huge.status == 400
    assert "shorter than 500 characters" in huge.text()
    assert (
        post("/settings", form={"csrf_token": token, "display_name": "A", "language": "xx"}).status
        == 400
    )
    kept = post("/settings/delete", form={"email": email, "password": PASSWORD})
    assert kept.status == 403
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()


def test_a_questionnaire_works_without_javascript(open_page: Any, live_haven: LiveHaven) -> None:
    plain = open_page(java_script_enabled=False)
    member_with_phq9(plain, live_haven, "Bo")
    plain.goto("/questionnaires/phq9")
    answer(plain, dict.fromkeys(range(1, 9), 0))
    plain.get_by_role("button", name="Submit my answers").click()
    expect(plain.get_by_text("8 of 9 answered")).to_be_visible()
    expect(plain.get_by_role("alert")).to_contain_text("Question 9: Thoughts that you")
    answer(plain, {9: 0})
    plain.get_by_role("button", name="Submit my answers").click()
    expect(plain.locator(".score-number")).to_have_text("0")
    expect(plain.locator(".score-card")).to_contain_text("Minimal")
