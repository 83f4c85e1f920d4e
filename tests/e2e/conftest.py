"""Browser journeys in Chromium (Playwright, sync API) against pytest-django's live server.

Run with ``pytest -m e2e``. The browser is Debian's Chromium (never a downloaded one); each
test gets a fresh browser context, so cookies and sessions never leak between tests.

Every page a journey reaches is checked with axe-core (WCAG 2.0/2.1/2.2 A and AA) and for
Content Security Policy violations and uncaught script errors, through ``check_page``.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the test's own database calls ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEFAULT_TIMEOUT_MS = 15_000

_AXE = Axe()


# --- browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    browser = _playwright.chromium.launch(
        executable_path=executable, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


ASSET_TYPES = {"stylesheet", "script", "image", "font"}


@dataclass
class PageProblems:
    """What the browser reported while a test ran: Content Security Policy violations,
    uncaught script errors, and style sheets, scripts, images or fonts that failed to load
    (an unstyled page would make axe's colour and size checks meaningless)."""

    csp: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            location = message.location or {}
            self.csp.append(f"{text} (at {location.get('url', '?')})")

    def on_page_error(self, error: Any) -> None:
        self.script_errors.append(str(error))

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            self.broken_assets.append(f"{response.status} {response.url}")

    def on_request_failed(self, request: Request) -> None:
        if request.resource_type in ASSET_TYPES:
            self.broken_assets.append(f"{request.failure} {request.url}")

    def take(self) -> dict[str, list[str]]:
        found = {
            "Content Security Policy violations": self.csp[:],
            "Script errors": self.script_errors[:],
            "Assets that failed to load": self.broken_assets[:],
        }
        self.csp.clear()
        self.script_errors.clear()
        self.broken_assets.clear()
        return found


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, live_server: Any, page_problems: PageProblems) -> Iterator[Page]:
    """A page in a brand-new browser context (English browser, no cookies)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.on("console", page_problems.on_console)
    page.on("pageerror", page_problems.on_page_error)
    page.on("response", page_problems.on_response)
    page.on("requestfailed", page_problems.on_request_failed)
    yield page
    context.close()


# --- checks ----------------------------------------------------------------------------


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation.get('help', '')} [{violation.get('helpUrl', '')}]"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(str(node.get("html", "")).split())[:200]
            lines.append(f"    at {target}: {html}")
            summary = " ".join(str(node.get("failureSummary", "")).split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.x A/AA violation on the page as it is now."""
    page.wait_for_load_state("load")
    # Axe().run injects axe-core with page.evaluate (CDP Runtime.evaluate), which the
    # page's Content Security Policy does not govern, so no 'unsafe-inline' is needed.
    results = _AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if violations:
        raise AssertionError(_format_violations(page.url, violations))


PHONE_WIDTH = 375  # CSS pixels: the narrowest phone screen GOV.UK designs for


def assert_fits_a_phone(page: Page) -> None:
    """At 375 px wide, nothing on the page makes it scroll sideways (WCAG 1.4.10 reflow asks
    for 320 px at 400% zoom; 375 px is the phone the officers carry). The window is set
    back to its size afterwards."""
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    try:
        width = page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        )
        if width > PHONE_WIDTH:
            culprits = page.evaluate(
                """(limit) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > limit + 1)
                    .filter(e => ![...e.children].some(
                        c => c.getBoundingClientRect().right > limit + 1))
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                        + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')""",
                PHONE_WIDTH,
            )
            raise AssertionError(
                f"{page.url} is {width} px wide on a {PHONE_WIDTH} px screen: {culprits}"
            )
    finally:
        page.set_viewport_size(size)


@pytest.fixture
def check_page(page: Page, page_problems: PageProblems) -> Any:
    """Run axe on the current page, check that it fits a 375 px phone screen, then check
    that the browser reported no CSP violation, script error or broken asset since the last
    check (including on pages passed through on the way, such as redirects)."""

    def check(*, axe: bool = True, phone: bool = True) -> None:
        if axe:
            assert_accessible(page)
        if phone:
            assert_fits_a_phone(page)
        problems = {kind: found for kind, found in page_problems.take().items() if found}
        if problems:
            raise AssertionError(
                "\n".join(
                    f"{kind} up to {page.url}:\n  " + "\n  ".join(found)
                    for kind, found in problems.items()
                )
            )

    return check


# --- data and sign-in --------------------------------------------------------------------


def _ensure_counties() -> None:
    """The counties come from a data migration; the live-server flush between tests
    removes them, so load them again the way the migration does."""
    from django.apps import apps

    from pontio.core.models import County

    if County.objects.count() < 4:
        migration = importlib.import_module("pontio.core.migrations.0002_counties")
        migration.load(apps, None)


@pytest.fixture
def demo_users(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The demo organisations and one user per role (the database is flushed per test).

    The demo password is hashed once, not once per user: the configured hasher (Argon2
    outside tests) is slow on purpose. Sign-in still checks it with the real hasher.
    """
    from django.contrib.auth.hashers import make_password

    from pontio.accounts.demo import DEMO_PASSWORD, seed_accounts
    from pontio.accounts.models import User

    hashed = make_password(DEMO_PASSWORD)

    def set_password(user: Any, raw_password: str | None) -> None:
        assert raw_password == DEMO_PASSWORD
        user.password = hashed
        user._password = raw_password

    _ensure_counties()
    with monkeypatch.context() as patch:
        patch.setattr(User, "set_password", set_password)
        return seed_accounts()


def current_code(key_hex: str) -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key_hex)):06d}"


def demo_code(username: str) -> str:
    """A fresh code for a demo user (django-otp refuses a code reused in the same step,
    so the device's last accepted step is reset first)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pontio.accounts.demo import demo_key

    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    return current_code(demo_key(username))


def follow(page: Page, target: Locator) -> None:
    """Click a link or button that loads a page, and wait until the new page has loaded."""
    with page.expect_navigation(wait_until="load"):
        target.click()


def enter_password(page: Page, username: str, password: str | None = None) -> None:
    from pontio.accounts.demo import DEMO_PASSWORD

    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password if password is not None else DEMO_PASSWORD)
    follow(page, page.get_by_role("button", name="Continue"))


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("Security code").fill(code)
    follow(page, page.get_by_role("button", name="Sign in"))


def sign_in(page: Page, username: str) -> None:
    """Sign in through the forms, in English (the sign-in pages are shown before the
    user's language preference applies)."""
    enter_password(page, username)
    assert page.url.endswith("/sign-in/code/"), page.url
    enter_code(page, demo_code(username))
    assert page.url.endswith("/"), page.url
