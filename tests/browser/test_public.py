"""The pages anyone can open: landing, crisis help, sign-up and sign-in."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import (
    PASSWORD,
    LiveHaven,
    check_accessibility,
    screenshot,
    sign_in,
    sign_up,
)

PHONE = {"width": 360, "height": 740}


def _fits(page: Any, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at {width}px"


def test_the_landing_page_invites_and_links_to_help(page: Any) -> None:
    page.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("link", name="Create an account").is_visible()
    check_accessibility(page)
    screenshot(page, "landing")
    page.get_by_role("link", name="Get help now").first.click()
    assert page.url.endswith("/help")


def test_help_shows_the_lines_for_the_country_the_browser_suggests(open_page: Any) -> None:
    page = open_page(locale="en-AU")
    page.goto("/help")
    assert page.get_by_text("Lifeline").first.is_visible()
    assert page.get_by_role("link", name="13 11 14", exact=True).is_visible()
    assert page.get_by_text("000").first.is_visible()
    assert page.get_by_role("link", name="1800 737 732").is_visible()  # 1800RESPECT
    check_accessibility(page)
    screenshot(page, "help")


def test_a_visitor_chooses_another_country_and_it_is_remembered(page: Any) -> None:
    page.goto("/help")
    page.get_by_label("Somewhere else?").select_option("MX")
    page.get_by_role("button", name="Show lines").click()
    assert page.get_by_text("Línea de la Vida").is_visible()
    page.goto("/help")
    assert page.get_by_text("Línea de la Vida").is_visible()


def test_help_reads_in_spanish_for_a_spanish_browser(open_page: Any) -> None:
    page = open_page(locale="es-MX")
    page.goto("/help")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_text("Línea de la Vida").is_visible()


def test_pages_fit_a_phone_screen(open_page: Any) -> None:
    page = open_page(viewport=PHONE)
    for path in ("/", "/help", "/login", "/signup"):
        page.goto(path)
        _fits(page, PHONE["width"])
    screenshot(page, "signup-phone")


def test_sign_up_with_mistakes_names_each_and_keeps_what_was_typed(
    page: Any, live_haven: LiveHaven
) -> None:
    page.goto("/signup")
    page.get_by_label("What should we call you?").fill("Robin")
    page.get_by_label("E-mail address").fill("robin-at-example")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create my account").click()
    summary = page.get_by_role("alert")
    assert "e-mail address such as" in summary.inner_text()
    assert "at least 10 characters" in summary.inner_text()
    assert "accept the terms" in summary.inner_text()
    assert page.get_by_label("What should we call you?").input_value() == "Robin"
    assert page.get_by_label("E-mail address").input_value() == "robin-at-example"
    check_accessibility(page)
    screenshot(page, "signup-errors")


def test_sign_up_with_consent_signs_the_new_member_in(page: Any, live_haven: LiveHaven) -> None:
    email = sign_up(page, live_haven, "Robin")
    page.wait_for_url("**/chat**")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    sign_in(page, email)
    page.wait_for_url("**/today")


def test_the_same_e_mail_cannot_sign_up_twice(page: Any, live_haven: LiveHaven) -> None:
    email = sign_up(page, live_haven, "Kim")
    page.wait_for_url("**/chat**")
    page.context.clear_cookies()
    page.goto("/signup")
    page.get_by_label("What should we call you?").fill("Kim again")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Terms of use and AI disclosure").check()
    page.get_by_role("button", name="Create my account").click()
    assert "already exists" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("What should we call you?").input_value() == "Kim again"


def test_a_wrong_password_is_explained_and_the_e_mail_kept(page: Any) -> None:
    sign_in(page, "nobody@example.org", "not the password")
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert page.get_by_label("E-mail address").input_value() == "nobody@example.org"
    check_accessibility(page)
    screenshot(page, "login-error")


def test_a_page_that_needs_sign_in_returns_there_afterwards(
    page: Any, live_haven: LiveHaven
) -> None:
    from tests.browser.conftest import DEMO_CLINICIAN

    page.goto("/clinic/report")
    page.wait_for_url("**/login?next=**")
    sign_in_form = page.locator("form[action='/login']")
    sign_in_form.get_by_label("E-mail address").fill(DEMO_CLINICIAN[0])
    sign_in_form.get_by_label("Password").fill(DEMO_CLINICIAN[1])
    sign_in_form.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/clinic/report")
