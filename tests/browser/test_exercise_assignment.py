"""A clinician assigns an exercise from a member's timeline in a real browser, and the member
finds it on Today with the clinician's note, goes straight to the form, and sees it marked
on Tools; when the clinician ends it, it leaves the member's Today."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect
from tests.browser.conftest import (
    DEMO_CLINICIAN,
    LiveHaven,
    check_accessibility,
    screenshot,
    sign_in,
    sign_up,
)

from haven.domain.people import Account
from haven.services.accounts import assign_to_care_team

NOTE = "Try it the next time a meeting leaves you worried; bring it to our session."


def _account(live_haven: LiveHaven, email: str) -> Account:
    with live_haven.container.uow() as uow:
        account = uow.accounts.by_email(email)
    assert account is not None
    return account


def _exercises(page: Any) -> Any:
    return page.locator("section", has=page.get_by_role("heading", name="Exercises", exact=True))


def test_a_clinician_assigns_the_thought_record_and_the_member_finds_it_with_the_note(
    page: Any, open_page: Any, live_haven: LiveHaven
) -> None:
    member_page = open_page()
    email = sign_up(member_page, live_haven, f"Kit-{uuid.uuid4().hex[:4]}")
    member = _account(live_haven, email)
    assign_to_care_team(
        live_haven.container.uow(),
        clock=live_haven.container.clock,
        actor=None,
        clinician_id=_account(live_haven, DEMO_CLINICIAN[0]).id,
        member_id=member.id,
    )

    sign_in(page, *DEMO_CLINICIAN)
    expect(page).to_have_url(re.compile(r"/clinic$"))
    page.goto(f"/clinic/members/{member.id}")
    section = _exercises(page)
    expect(section).to_contain_text("No exercises assigned.")
    section.get_by_label("Exercise", exact=True).select_option(label="Thought record")
    section.get_by_label("Note to the member (optional)").fill(NOTE)
    section.get_by_role("button", name="Assign", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Assigned.")
    row = _exercises(page).get_by_role("row", name=re.compile("Thought record"))
    expect(row).to_contain_text(NOTE)
    check_accessibility(page)
    _exercises(page).scroll_into_view_if_needed()
    screenshot(page, "clinic-member-exercises")

    member_page.goto("/today")
    suggested = member_page.locator(
        "section", has=member_page.get_by_role("heading", name="Suggested by your care team")
    )
    expect(suggested.get_by_role("heading", name="Thought record")).to_be_visible()
    expect(suggested).to_contain_text(NOTE)
    expect(
        suggested.get_by_role("link", name=re.compile(r"^Do it in chat\W+Thought record$"))
    ).to_have_attribute("href", "/chat?start=thought_record")
    check_accessibility(member_page)
    screenshot(member_page, "member-today-suggested")

    suggested.get_by_role("link", name=re.compile(r"^Fill in the form\W+Thought record$")).click()
    expect(member_page).to_have_url(re.compile(r"/tools/thought-record$"))
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Thought record")

    member_page.goto("/tools")
    first = member_page.locator(".tool").first
    expect(first.get_by_role("heading", level=2)).to_have_text("Thought record")
    expect(first).to_contain_text("Suggested by your care team")
    expect(first).to_contain_text(NOTE)

    _exercises(page).get_by_role("button", name="End Thought record").click()
    expect(page.get_by_role("status")).to_have_text("Exercise ended.")
    expect(_exercises(page)).to_contain_text("No exercises assigned.")
    member_page.goto("/today")
    expect(member_page.get_by_text("Suggested by your care team")).to_have_count(0)
