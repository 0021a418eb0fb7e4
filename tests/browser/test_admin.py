"""The administrator's pages in a real browser: accounts, care teams and the audit trail."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from tests.browser.conftest import (
    DEMO_ADMIN,
    DEMO_CLINICIAN,
    PASSWORD,
    LiveHaven,
    check_accessibility,
    screenshot,
    sign_in,
)


def test_the_admin_creates_a_clinician_and_gives_them_a_member(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_in(page, *DEMO_ADMIN)
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    accounts = page.get_by_role("table")
    expect(accounts.get_by_role("row", name=re.compile("clinician@haven.example"))).to_contain_text(
        "clinician"
    )
    expect(accounts.get_by_role("row", name=re.compile("member@haven.example"))).to_contain_text(
        "Sam Rivera"
    )
    check_accessibility(page)
    screenshot(page, "admin-accounts")

    # A mistyped address: the form says what is wrong and keeps what was typed.
    page.get_by_label("Role").select_option("clinician")
    page.get_by_label("E-mail address").fill("dr.okafor.haven.example")
    page.get_by_label("Name", exact=True).fill("Dr Nia Okafor")
    page.get_by_label("Temporary password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter an e-mail address")
    expect(page.get_by_label("E-mail address")).to_have_value("dr.okafor.haven.example")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Dr Nia Okafor")
    expect(page.get_by_label("Role")).to_have_value("clinician")
    check_accessibility(page)

    email = live_haven.new_email("dr-okafor")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Temporary password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status").first).to_contain_text("Created.")
    expect(page.get_by_role("row", name=re.compile(re.escape(email)))).to_contain_text(
        "Dr Nia Okafor"
    )

    page.get_by_role("link", name="Care teams").click()
    expect(page.get_by_role("heading", name="Care teams", level=1)).to_be_visible()
    carmen = page.get_by_role("region", name=re.compile("Dr Carmen Ruiz"))
    expect(carmen).to_contain_text("Sam Rivera")
    check_accessibility(page)
    screenshot(page, "admin-care-teams")

    page.get_by_label("Member", exact=True).select_option(label="Sam Rivera (member@haven.example)")
    page.get_by_label("Clinician", exact=True).select_option(label=f"Dr Nia Okafor ({email})")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status").first).to_contain_text("Assigned.")
    nia = page.get_by_role("region", name=re.compile("Dr Nia Okafor"))
    expect(nia).to_contain_text("Sam Rivera")

    nia.get_by_role("button", name="Remove Sam Rivera from the care team of Dr Nia Okafor").click()
    expect(page.get_by_role("status").first).to_contain_text("Updated.")
    expect(page.get_by_role("region", name=re.compile("Dr Nia Okafor"))).to_contain_text(
        "No members assigned yet."
    )
    expect(page.get_by_role("region", name=re.compile("Dr Carmen Ruiz"))).to_contain_text(
        "Sam Rivera"
    )

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"The audit trail is intact: \d+ entries verified")
    )
    trail = page.get_by_role("table")
    expect(trail).to_contain_text("care_team.unassign")
    expect(trail.get_by_role("row", name=re.compile("care_team.assign")).first).to_contain_text(
        "admin@haven.example"
    )
    expect(page.get_by_role("navigation", name="Audit trail pages")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "admin-audit")

    page.get_by_role("link", name="Older entries").click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?page=2&upto=\d+$"))
    expect(page.get_by_role("table")).to_contain_text("Page 2 of")


def test_the_new_clinician_can_sign_in_with_the_temporary_password(
    page: Any, live_haven: LiveHaven, open_page: Any
) -> None:
    sign_in(page, *DEMO_ADMIN)
    email = live_haven.new_email("dr-new")
    page.get_by_label("Role").select_option("clinician")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Name", exact=True).fill("Dr Ren Ito")
    page.get_by_label("Temporary password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status").first).to_contain_text("Created.")

    clinician = open_page()
    sign_in(clinician, email)
    expect(clinician).to_have_url(re.compile(r"/clinic"))


def test_a_clinician_cannot_open_the_admin_pages(page: Any, live_haven: LiveHaven) -> None:
    sign_in(page, *DEMO_CLINICIAN)
    page.wait_for_url(re.compile(r"/clinic"))

    for path in ("/admin", "/admin/care-teams", "/admin/audit"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "This page is not available to you"
        )


def test_the_admin_pages_fit_a_phone_screen(open_page: Any) -> None:
    phone = open_page(viewport={"width": 360, "height": 740})
    sign_in(phone, *DEMO_ADMIN)
    for path, name in (("/admin", "accounts"), ("/admin/care-teams", "care-teams")):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"
        check_accessibility(phone)
        screenshot(phone, f"admin-{name}-phone")
    phone.goto("/admin/audit")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
