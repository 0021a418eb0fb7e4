"""A member talks with the companion in a real browser: the first message says it is an AI,
replies arrive without a reload, a crisis message brings the lines for the member's country,
and the chat works without JavaScript and on a phone-sized screen."""

from __future__ import annotations

import re
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

CRISIS = "I want to kill myself tonight, I have the pills ready"


def _send(page: Any, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_a_new_member_meets_an_ai_and_gets_a_reply_without_a_reload(
    page: Any, live_haven: LiveHaven
) -> None:
    sign_up(page, live_haven, "Robin")
    expect(page).to_have_url(f"{live_haven.url}/chat?welcome=1")
    log = page.get_by_role("list", name="Conversation")
    expect(log.get_by_role("listitem").first).to_contain_text("AI companion")
    expect(page.get_by_text("Welcome, Robin")).to_be_visible()

    # the sign-up's own page load must be over before counting loads
    page.wait_for_load_state("load")
    loads: list[str] = []
    page.on("load", lambda _: loads.append(page.url))
    _send(page, "hello")
    expect(log.locator("li.from-companion").nth(1)).to_contain_text("Haven said:", timeout=20_000)
    expect(log.locator("li.from-member")).to_have_text(["You said: hello"])
    assert page.url == f"{live_haven.url}/chat?welcome=1"
    assert loads == [], "the page reloaded"
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.get_by_label("Your message")).to_be_focused()
    check_accessibility(page)
    screenshot(page, "member-chat")

    # Enter sends; the reply is announced by the polite live region.
    page.get_by_label("Your message").fill("I feel a bit anxious about work")
    page.get_by_label("Your message").press("Enter")
    expect(
        log.get_by_role("listitem").filter(has_text="You said: I feel a bit anxious")
    ).to_be_visible()
    assert log.get_attribute("aria-live") == "polite"


def test_an_empty_message_is_refused_with_a_clear_message(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Sam")
    page.get_by_label("Your message").fill("   ")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_have_text("Write a message before sending.")
    expect(page.get_by_label("Your message")).to_have_value("   ")


def test_a_crisis_message_shows_the_lines_for_australia(
    open_page: Any, live_haven: LiveHaven
) -> None:
    page = open_page(locale="en-AU")
    sign_up(page, live_haven, "Alex")
    _send(page, CRISIS)
    box = page.locator(".resources")
    expect(box).to_be_visible(timeout=20_000)
    expect(box).to_contain_text("Lifeline")
    expect(box).to_contain_text("13 11 14")
    expect(box.get_by_role("link", name="Get help now")).to_have_attribute("href", "/help")
    expect(box.get_by_role("link", name="Open my safety plan")).to_have_attribute(
        "href", "/safety-plan"
    )
    check_accessibility(page)
    screenshot(page, "member-chat-crisis")


def test_the_chat_works_without_javascript(open_page: Any, live_haven: LiveHaven) -> None:
    page = open_page(java_script_enabled=False, locale="en-AU")
    sign_up(page, live_haven, "Kim")
    _send(page, "hello")
    expect(page).to_have_url(f"{live_haven.url}/chat#latest")
    log = page.get_by_role("list", name="Conversation")
    expect(log).to_contain_text("You said: hello")
    assert log.get_by_role("listitem").count() >= 3

    _send(page, "")
    expect(page.get_by_role("alert")).to_have_text("Write a message before sending.")

    _send(page, CRISIS)
    expect(page.locator(".resources")).to_contain_text("13 11 14")


def test_a_returning_member_continues_the_conversation_on_a_phone(
    open_page: Any, live_haven: LiveHaven
) -> None:
    page = open_page(viewport={"width": 360, "height": 740})
    sign_in(page, *DEMO_MEMBER)
    page.goto("/chat")
    _send(page, "I had a rough day and I keep thinking I'm useless at everything")
    log = page.get_by_role("list", name="Conversation")
    expect(log).to_contain_text("You said: I had a rough day", timeout=20_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the chat is {width}px wide on a 360px screen"
    for path in ("/today", "/journal", "/tools", "/tools/thought-record"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"


def test_do_it_in_chat_starts_the_thought_record(page: Any, live_haven: LiveHaven) -> None:
    sign_up(page, live_haven, "Jo")
    page.goto("/tools")
    page.get_by_role("link", name=re.compile(r"^Do it in chat\W+Thought record$")).click()
    expect(page.get_by_label("Your message")).to_have_value("Thought record")
    page.get_by_role("button", name="Send").click()
    log = page.get_by_role("list", name="Conversation")
    expect(log).to_contain_text("from 0 (very bad) to 10 (very good)", timeout=20_000)
