"""A member's Today page, journal and CBT tools in a real browser: an entry is saved and
listed, a risky entry brings crisis lines, and the thought record works as a form that
keeps what was typed when an answer is missing."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from tests.browser.conftest import (
    DEMO_MEMBER,
    LiveHaven,
    check_accessibility,
    screenshot,
    sign_in,
    sign_up,
)

THOUGHT_RECORD = {
    "1. Situation": "My manager asked to see me after the meeting",
    "2. Automatic thought": "I'm going to be fired",
    "3. Feeling": "anxious",
    "4. How strong the feeling was (0-100)": "80",
    "5. Evidence for the thought": "She looked serious",
    "6. Evidence against the thought": "My last review was good and she often has quick chats",
    "7. A more balanced thought": "She may just want an update; one serious look proves nothing",
    "8. How strong the feeling is now (0-100)": "40",
}


def test_today_greets_the_member_and_offers_the_companion(page: Any, live_haven: LiveHaven) -> None:
    sign_in(page, *DEMO_MEMBER)
    page.goto("/today")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello,")
    expect(page.get_by_role("link", name="Talk to the companion")).to_have_attribute(
        "href", "/chat"
    )
    expect(page.get_by_role("link", name="Check in now")).to_have_attribute("href", "/checkin")
    expect(page.get_by_role("heading", name="Questionnaires for you")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "member-today")


def test_a_journal_entry_is_saved_and_listed_newest_first(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Rowan")
    page.goto("/journal")
    expect(page.get_by_text("No entries yet")).to_be_visible()

    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert")).to_have_text("Write something before saving.")

    page.get_by_label("New entry").fill("Walked by the river.\nFelt calmer afterwards.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    page.get_by_label("New entry").fill("Slept badly but the morning was fine.")
    page.get_by_role("button", name="Save entry").click()
    entries = page.locator(".journal-list .entry")
    expect(entries).to_have_text(
        ["Slept badly but the morning was fine.", "Walked by the river.\nFelt calmer afterwards."]
    )
    expect(page.locator(".resources")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "member-journal")

    page.goto("/today")
    expect(page.get_by_role("link", name="Slept badly but the morning was fine.")).to_be_visible()


def test_a_risky_journal_entry_shows_crisis_lines(open_page: Any, live_haven: LiveHaven) -> None:
    page = open_page(locale="en-AU")
    sign_up(page, live_haven, "Quinn")
    page.goto("/journal")
    page.get_by_label("New entry").fill("I want to kill myself tonight, I have the pills ready")
    page.get_by_role("button", name="Save entry").click()
    box = page.locator(".resources")
    expect(box).to_contain_text("Lifeline")
    expect(box).to_contain_text("13 11 14")


def test_the_tools_list_starts_with_the_thought_record(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Ari")
    page.goto("/tools")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Thought record")
    expect(page.get_by_role("heading", name="Paced breathing")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "member-tools")


def test_a_thought_record_is_completed_as_a_form_and_kept_in_the_journal(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_up(page, live_haven, "Noor")
    page.goto("/tools")
    page.get_by_role("link", name="Fill in the form").first.click()
    expect(page).to_have_url(f"{live_haven.url}/tools/thought-record")
    check_accessibility(page)
    screenshot(page, "member-thought-record")

    # Leave the balanced thought empty: that one error, the rest kept.
    for label, answer in THOUGHT_RECORD.items():
        if "balanced" not in label:
            page.get_by_label(label).fill(answer)
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_role("alert")).to_contain_text("Write an answer to this question.")
    expect(page.get_by_label("7. A more balanced thought")).to_have_attribute(
        "aria-invalid", "true"
    )
    for label, answer in THOUGHT_RECORD.items():
        if "balanced" not in label:
            expect(page.get_by_label(label)).to_have_value(answer)
    check_accessibility(page)

    page.get_by_label("8. How strong the feeling is now (0-100)").fill("140")
    page.get_by_label("7. A more balanced thought").fill(
        THOUGHT_RECORD["7. A more balanced thought"]
    )
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a whole number from 0 to 100.")
    expect(page.get_by_label("7. A more balanced thought")).to_have_value(
        THOUGHT_RECORD["7. A more balanced thought"]
    )

    page.get_by_label("8. How strong the feeling is now (0-100)").fill("40")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_role("status")).to_have_text("Saved in your journal.")
    expect(page.locator(".reflection")).to_contain_text("from 80 to 40")
    expect(page.locator(".entry")).to_contain_text("Automatic thought\nI'm going to be fired")
    screenshot(page, "member-thought-record-saved")

    page.get_by_role("link", name="Open my journal").click()
    expect(page.locator(".journal-list .entry").first).to_contain_text(
        "Evidence against the thought\nMy last review was good"
    )
