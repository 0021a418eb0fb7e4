"""A member checks in on their mood in a real browser: the rating with the keyboard, two
feelings, a note; the notice and the entry beneath the form; a missing rating named clearly
with the note kept; and the page at a phone's width."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from tests.browser.conftest import LiveHaven, check_accessibility, screenshot, sign_up


def test_a_member_checks_in_with_the_keyboard_and_sees_it_in_their_week(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_up(page, live_haven, "Kai")
    page.wait_for_url(re.compile(r"/chat"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="How are you feeling?", level=1)).to_be_visible()
    expect(page.get_by_text("No check-ins in the last 7 days yet.")).to_be_visible()
    check_accessibility(page)

    # The rating with the keyboard only: focus the scale, then arrow keys move the choice.
    scale = page.get_by_role("group", name=re.compile("Your mood right now"))
    scale.get_by_role("radio", name="5 — okay").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(scale.get_by_role("radio", name="7", exact=True)).to_be_checked()
    feelings = page.get_by_role("group", name=re.compile("Which feelings"))
    feelings.get_by_label("Calm").check()
    feelings.get_by_label("Tired").check()
    page.get_by_label("Anything you want to add? (optional)").fill("A slow walk by the river.")
    screenshot(page, "member-checkin")
    page.get_by_role("button", name="Save my check-in").click()

    expect(page).to_have_url(re.compile(r"/checkin\?done=checked_in$"))
    expect(page.get_by_role("status")).to_contain_text("Check-in saved.")
    week = page.get_by_role("region", name="Your last 7 days")
    entry = week.get_by_role("listitem").first
    expect(entry).to_contain_text("7 out of 10")
    expect(entry).to_contain_text("Calm")
    expect(entry).to_contain_text("Tired")
    expect(entry).to_contain_text("A slow walk by the river.")
    # The form is fresh for the next check-in.
    expect(scale.get_by_role("radio", name="7", exact=True)).not_to_be_checked()
    check_accessibility(page)
    screenshot(page, "member-checkin-saved")


def test_saving_without_a_rating_says_so_and_keeps_the_note(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_up(page, live_haven, "Ines")
    page.wait_for_url(re.compile(r"/chat"))
    page.goto("/checkin")
    page.get_by_label("Anxious").check()
    page.get_by_label("Anything you want to add? (optional)").fill("Exams tomorrow.")
    page.get_by_role("button", name="Save my check-in").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose how you feel, from 0 to 10.")
    expect(page.get_by_label("Anything you want to add? (optional)")).to_have_value(
        "Exams tomorrow."
    )
    expect(page.get_by_label("Anxious")).to_be_checked()
    # The message links to the scale, so a keyboard user lands on it.
    summary.get_by_role("link").click()
    expect(page.get_by_role("radio", name="0 — very low")).to_be_focused()
    check_accessibility(page)
    screenshot(page, "member-checkin-error")


def test_the_check_in_fits_a_phone(open_page: Any, live_haven: LiveHaven) -> None:
    phone = open_page(viewport={"width": 360, "height": 740})
    sign_up(phone, live_haven, "Ona")
    phone.wait_for_url(re.compile(r"/chat"))
    phone.goto("/checkin")

    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    ten = phone.get_by_role("radio", name="10 — very good")
    box = phone.locator("label[for=rating-10]").bounding_box()
    assert box is not None
    assert box["height"] >= 44
    ten.check()
    phone.get_by_role("button", name="Save my check-in").click()
    expect(phone.get_by_role("status")).to_contain_text("Check-in saved.")
    screenshot(phone, "member-checkin-phone")
