"""The clinician's dashboard in a real browser: the caseload, an alert from a crisis message
taken through to acknowledgement, a member's timeline (schedule, note, FHIR export) and the
outcome report."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from tests.browser.conftest import (
    DEMO_CLINICIAN,
    DEMO_MEMBER,
    LiveHaven,
    check_accessibility,
    screenshot,
    sign_in,
    sign_up,
)

from haven.domain.people import Account
from haven.services.accounts import assign_to_care_team
from haven.services.assessments import submit_assessment
from haven.services.schedules import assign_schedule

PHONE = {"width": 360, "height": 740}
CRISIS = "I can't go on. I have the pills ready and I am going to kill myself tonight."


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def _account(live_haven: LiveHaven, email: str) -> Account:
    with live_haven.container.uow() as uow:
        account = uow.accounts.by_email(email)
    assert account is not None
    return account


def _new_member_of_demo_clinician(open_page: Any, live_haven: LiveHaven) -> tuple[Any, Account]:
    """A new member signs up (sharing with their care team) and joins the demo caseload."""
    member_page = open_page()
    name = f"Robin-{uuid.uuid4().hex[:4]}"
    email = sign_up(member_page, live_haven, name)
    member = _account(live_haven, email)
    clinician = _account(live_haven, DEMO_CLINICIAN[0])
    assign_to_care_team(
        live_haven.container.uow(),
        clock=live_haven.container.clock,
        actor=None,
        clinician_id=clinician.id,
        member_id=member.id,
    )
    return member_page, member


def _column(page: Any, index: int) -> list[str]:
    return page.locator(f"#caseload tbody tr > :nth-child({index})").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)"
    )


def test_the_caseload_lists_the_demo_members_sorts_and_filters(page: Any) -> None:
    expect = _expect()
    sign_in(page, *DEMO_CLINICIAN)
    expect(page).to_have_url(re.compile(r"/clinic$"))
    table = page.locator("#caseload")
    expect(table).to_contain_text("Sam Rivera")
    expect(table).to_contain_text("Lucía Gómez")
    expect(page.get_by_role("row", name=re.compile("Lucía Gómez"))).to_contain_text("Moderate")
    check_accessibility(page)
    screenshot(page, "clinic-caseload")

    page.get_by_role("button", name="PHQ-9").click()
    ascending = [float(v) for v in _column(page, 2)]
    assert ascending == sorted(ascending)
    first = page.locator("#caseload tbody tr").first.inner_text()
    page.get_by_role("button", name="PHQ-9").click()
    descending = [float(v) for v in _column(page, 2)]
    assert descending == sorted(descending, reverse=True)
    assert page.locator("#caseload tbody tr").first.inner_text() != first
    expect(page.locator("#caseload thead th").nth(1)).to_have_attribute("aria-sort", "descending")

    page.get_by_label("Filter by name").fill("lucía")
    expect(page.get_by_role("row", name=re.compile("Lucía Gómez"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Sam Rivera"))).to_be_hidden()


def test_the_caseload_sorts_and_filters_without_javascript(open_page: Any) -> None:
    page = open_page(java_script_enabled=False)
    sign_in(page, *DEMO_CLINICIAN)
    page.goto("/clinic?sort=phq9&order=desc")
    names = page.locator("#caseload tbody th").all_inner_texts()
    assert names.index("Lucía Gómez") < names.index("Sam Rivera")
    page.get_by_label("Filter by name").fill("Sam")
    page.get_by_role("button", name="Apply").click()
    names = page.locator("#caseload tbody th").all_inner_texts()
    assert names == ["Sam Rivera"]


def test_the_caseload_fits_a_phone(open_page: Any) -> None:
    page = open_page(viewport=PHONE)
    sign_in(page, *DEMO_CLINICIAN)
    for path in ("/clinic", "/clinic/alerts", "/clinic/report"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide"
    screenshot(page, "clinic-alerts-phone")
    page.goto("/clinic")
    page.get_by_role("link", name="Lucía Gómez").click()
    page.locator("[data-chart='chart-phq9'] svg").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the timeline is {width}px wide"
    check_accessibility(page)
    screenshot(page, "clinic-timeline-phone")


def test_a_crisis_message_reaches_the_clinician_who_notes_and_acknowledges_it(
    page: Any, open_page: Any, live_haven: LiveHaven
) -> None:
    expect = _expect()
    member_page, member = _new_member_of_demo_clinician(open_page, live_haven)
    member_page.goto("/chat")
    member_page.get_by_label("Your message").fill(CRISIS)
    member_page.get_by_role("button", name="Send").click()
    # The first turn loads the language models, which takes a while on a small machine.
    expect(member_page.locator("#chat-log")).to_contain_text("pills ready", timeout=60_000)

    sign_in(page, *DEMO_CLINICIAN)
    expect(page.get_by_role("row", name=re.compile(member.display_name))).to_contain_text(
        re.compile("high|imminent")
    )
    page.get_by_role("link", name="Alerts", exact=True).click()
    row = page.get_by_role("row", name=re.compile(member.display_name)).first
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("Chat message")
    check_accessibility(page)
    screenshot(page, "clinic-alerts")
    row.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(member.display_name)
    expect(page.locator("blockquote.trigger")).to_contain_text("pills ready")
    check_accessibility(page)
    screenshot(page, "clinic-alert")

    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("alert")).to_contain_text("Write the note before adding it.")
    expect(page.get_by_label("Add a note")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Add a note").fill("Called Robin; safety plan reviewed together.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added.")
    expect(page.locator("#notes-heading + ul")).to_contain_text("safety plan reviewed")

    page.get_by_role("button", name="Acknowledge alert").click()
    expect(page.get_by_role("status")).to_contain_text("Alert acknowledged.")
    expect(page.get_by_role("button", name="Acknowledge alert")).to_have_count(0)

    page.goto("/clinic/alerts")
    row = page.get_by_role("row", name=re.compile(member.display_name)).first
    expect(row).to_contain_text("Acknowledged")


def test_the_clinician_reads_a_timeline_assigns_a_schedule_writes_a_note_and_exports_fhir(
    page: Any, open_page: Any, live_haven: LiveHaven
) -> None:
    expect = _expect()
    _, member = _new_member_of_demo_clinician(open_page, live_haven)
    container = live_haven.container
    clinician = _account(live_haven, DEMO_CLINICIAN[0])
    assign_schedule(
        container.uow(), clock=container.clock, actor=clinician, member_id=member.id,
        instrument_id="phq9", every_days=14, starts_at=None,
        instruments=container.instruments, documents=container.documents,
    )  # fmt: skip
    submit_assessment(
        container.uow(), clock=container.clock, actor=member, member_id=member.id,
        instrument_id="phq9", answers=[2, 2, 1, 1, 1, 1, 1, 1, 0],
        instruments=container.instruments, documents=container.documents,
    )  # fmt: skip

    sign_in(page, *DEMO_CLINICIAN)
    page.get_by_role("link", name=member.display_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(member.display_name)
    expect(page.locator("[data-chart='chart-phq9'] svg").first).to_be_visible()
    page.get_by_text("PHQ-9 totals as a table").click()
    expect(page.get_by_role("cell", name="10", exact=True).first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "clinic-timeline")

    # The timeline has an Assign button per section (questionnaires, exercises).
    schedules = page.get_by_role("region", name="Questionnaire schedules")
    page.get_by_label("Every how many days").fill("0")
    schedules.get_by_role("button", name="Assign").click()
    expect(page.locator("#every_days-error")).to_contain_text("1 to 365")
    page.get_by_label("Questionnaire", exact=True).select_option("gad7")
    page.get_by_label("Every how many days").fill("7")
    schedules.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("Assigned.")
    expect(page.get_by_role("row", name=re.compile("GAD-7"))).to_contain_text("7 days")

    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#note-error")).to_contain_text("Write the note before saving it.")
    page.get_by_label("New note").fill("First contact; agreed weekly GAD-7.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added.")
    expect(page.locator("#note-list")).to_contain_text("agreed weekly GAD-7")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download FHIR bundle").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert "QuestionnaireResponse" in kinds


def test_the_outcome_report_counts_the_caseload(page: Any) -> None:
    expect = _expect()
    sign_in(page, *DEMO_CLINICIAN)
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload outcomes")
    phq9 = page.get_by_role("row", name=re.compile("^PHQ-9"))
    expect(phq9).to_be_visible()
    expect(page.get_by_text("Reliable recovery", exact=True).first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "clinic-report")


def test_a_member_cannot_open_the_dashboard(page: Any) -> None:
    expect = _expect()
    sign_in(page, *DEMO_MEMBER)
    for path in ("/clinic", "/clinic/alerts", "/clinic/report"):
        response = page.goto(path)
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "This page is not available to you"
        )
    expect(page.get_by_role("link", name="Alerts", exact=True)).to_have_count(0)
