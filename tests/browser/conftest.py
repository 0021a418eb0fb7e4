"""A real Haven server and Debian's Chromium driven by Playwright.

Each test signs up or signs in through the pages, as a person would. Every page a test opens
is watched: a request to another origin or a console error (a CSP violation shows as one)
fails the test. ``check_accessibility`` runs axe-core (installed from npm) in the page.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from tests.conftest import unavailable
from tests.integration.conftest import FAST_ARGON2, make_settings

from haven.bootstrap import Container, bootstrap
from haven.services.demo import DEMO_PASSWORD, seed_demo
from haven.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery"


def _chromium() -> str:
    explicit = os.environ.get("HAVEN_CHROMIUM")
    for candidate in (explicit, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    unavailable("Chromium is not installed (Debian: apt-get install chromium)")
    raise AssertionError  # unreachable: unavailable() skips or fails


@dataclass
class LiveHaven:
    """A Haven server on a free local port, with the demo seeded."""

    url: str
    container: Container

    def new_email(self, name: str = "member") -> str:
        return f"{name}-{uuid.uuid4().hex[:8]}@example.org"


@pytest.fixture(scope="session")
def live_haven(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHaven]:
    import uvicorn

    data = tmp_path_factory.mktemp("browser-data")
    settings = make_settings(f"sqlite:///{data / 'haven.db'}", data)
    container = bootstrap(settings, hasher=FAST_ARGON2)
    seed_demo(container.uow, hasher=container.hasher, clock=container.clock)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the Haven server did not start")
        time.sleep(0.05)
    yield LiveHaven(url=f"http://127.0.0.1:{port}", container=container)
    server.should_exit = True
    thread.join(timeout=10)
    container.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (make install-dev)")
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page did that it must not: other origins, console errors."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_request(request: Any) -> None:
            parts = urlsplit(request.url)
            web = parts.scheme in {"http", "https", "ws", "wss"}
            if web and f"{parts.scheme}://{parts.netloc}" != self.origin:
                self.foreign.append(request.url)

        page.on("request", on_request)

        def on_console(message: Any) -> None:
            # A form answered with 400 logs "Failed to load resource" too; that is expected,
            # so failed loads are judged by on_response, which can tell pages from parts.
            if message.type == "error" and not message.text.startswith("Failed to load"):
                self.errors.append(message.text)

        def on_response(response: Any) -> None:
            kind = response.request.resource_type
            if response.status >= 400 and kind not in {"document", "fetch", "xhr"}:
                self.errors.append(f"{response.status} for {kind} {response.url}")

        page.on("console", on_console)
        page.on("response", on_response)
        page.on("pageerror", lambda error: self.errors.append(str(error)))


def _new_page(browser: Any, live_haven: LiveHaven, **options: Any) -> tuple[Any, Any, Watch]:
    context = browser.new_context(
        base_url=live_haven.url, locale=options.pop("locale", "en-GB"), **options
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(origin=live_haven.url)
    watch.attach(page)
    return context, page, watch


@pytest.fixture
def page(browser: Any, live_haven: LiveHaven) -> Iterator[Any]:
    """A fresh browser profile (no cookies) on a phone-sized or desktop screen."""
    context, opened, watch = _new_page(browser, live_haven, viewport={"width": 1280, "height": 900})
    yield opened
    context.close()
    _assert_clean(watch)


@pytest.fixture
def open_page(browser: Any, live_haven: LiveHaven) -> Iterator[Any]:
    """Open more pages (a second person, another language or screen): ``open_page(**ctx)``."""
    opened: list[tuple[Any, Watch]] = []

    def factory(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context, new, watch = _new_page(browser, live_haven, **options)
        opened.append((context, watch))
        return new

    yield factory
    for context, watch in opened:
        context.close()
        _assert_clean(watch)


def _assert_clean(watch: Watch) -> None:
    assert not watch.foreign, f"requests to another origin: {watch.foreign}"
    assert not watch.errors, f"errors in the browser console: {watch.errors}"


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_accessibility(page: Any) -> None:
    """axe-core in the page: no serious or critical violation (WCAG 2.1 A and AA rules)."""
    if not AXE.exists():
        unavailable("axe-core is not installed (make install-dev runs npm ci)")
    # Evaluated over the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    assert result == [], f"accessibility violations on {page.url}: {result}"


def sign_up(page: Any, live_haven: LiveHaven, name: str = "Robin", *, share: bool = True) -> str:
    """Create a member account through the sign-up page; returns the e-mail used."""
    email = live_haven.new_email(name.lower())
    page.goto("/signup")
    page.get_by_label("What should we call you?").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Terms of use and AI disclosure").check()
    if share:
        page.get_by_label("Sharing with your care team").check()
    page.get_by_role("button", name="Create my account").click()
    return email


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


DEMO_CLINICIAN = ("clinician@haven.example", DEMO_PASSWORD)
DEMO_ADMIN = ("admin@haven.example", DEMO_PASSWORD)
DEMO_MEMBER = ("member@haven.example", DEMO_PASSWORD)
