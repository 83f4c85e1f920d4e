"""Sign-in for every role, the pages each role's navigation reaches, and the language switch."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from pontio.accounts.demo import DEMO_USERS

from .conftest import current_code, demo_code, enter_code, enter_password, follow, sign_in

pytestmark = pytest.mark.e2e

DEMO_BY_USERNAME = {spec.username: spec for spec in DEMO_USERS}


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def _switch_language(page: Page, code: str, check_page: Any) -> None:
    """Use the language navigation; the user stays on the same page."""
    before = _path(page)
    follow(page, page.locator(f"nav.govuk-language-navigation a[lang='{code}']"))
    assert _path(page) == before
    expect(page.locator("html")).to_have_attribute("lang", code)
    # The current language is shown as text, not as a link to itself.
    expect(
        page.locator(f"nav.govuk-language-navigation [aria-current='true'][lang='{code}']")
    ).to_have_count(1)
    expect(page.locator(f"nav.govuk-language-navigation a[lang='{code}']")).to_have_count(0)
    check_page()


@pytest.mark.parametrize("username", [spec.username for spec in DEMO_USERS])
def test_sign_in_each_role(page: Page, demo_users: Any, check_page: Any, username: str) -> None:
    spec = DEMO_BY_USERNAME[username]
    page.goto("/")
    # Not signed in: every page sends the visitor to sign in first.
    assert _path(page) == "/sign-in/"
    check_page()

    enter_password(page, username)
    assert _path(page) == "/sign-in/code/"
    expect(page.get_by_label("Security code")).to_be_visible()
    check_page()

    enter_code(page, demo_code(username))
    assert _path(page) == "/"
    # Signing in applies the user's preferred language.
    expect(page.locator("html")).to_have_attribute("lang", spec.language)
    heading = page.locator("h1")
    expect(heading).to_contain_text(spec.first_name)
    if spec.language == "en":
        expect(heading).to_contain_text("Welcome")
    check_page()

    # Every section of this role's service navigation.
    links = page.locator("a.govuk-service-navigation__link")
    targets = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert targets, "the service navigation has no links"
    assert "/" in targets
    for href in targets:
        follow(page, page.locator(f"a.govuk-service-navigation__link[href='{href}']"))
        assert _path(page) == href, f"{href} led to {page.url}"
        expect(page.locator("h1")).to_have_count(1)
        expect(
            page.locator(f"a.govuk-service-navigation__link[href='{href}'][aria-current='page']")
        ).to_have_count(1)
        check_page()

    # Your account.
    follow(page, page.locator(".pontio-account-bar a[href='/account/']"))
    assert _path(page) == "/account/"
    expect(page.locator("dl.govuk-summary-list")).to_contain_text(username)
    check_page()

    # The language switch keeps the user on the same page.
    if spec.language == "cy":
        _switch_language(page, "en", check_page)
    _switch_language(page, "cy", check_page)
    _switch_language(page, "en", check_page)


def test_wrong_password_shows_the_error_summary(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    enter_password(page, "officer", "not-the-password")
    assert _path(page) == "/sign-in/"
    summary = page.locator(".govuk-error-summary")
    alert = summary.get_by_role("alert")
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("Enter a correct username and password")
    # GOV.UK Frontend moves focus to the summary (proves its JavaScript runs under the CSP).
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    # The username is kept; the password is not echoed back.
    expect(page.get_by_label("Username")).to_have_value("officer")
    expect(page.get_by_label("Password")).to_have_value("")
    check_page()


def test_empty_sign_in_links_errors_to_fields(page: Page, demo_users: Any, check_page: Any) -> None:
    page.goto("/sign-in/")
    follow(page, page.get_by_role("button", name="Continue"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter your username")).to_have_attribute(
        "href", "#id_username"
    )
    expect(summary.get_by_role("link", name="Enter your password")).to_have_attribute(
        "href", "#id_password"
    )
    username = page.get_by_label("Username")
    expect(username).to_have_attribute("aria-describedby", "id_username-error")
    summary.get_by_role("link", name="Enter your password").click()
    expect(page.get_by_label("Password")).to_be_focused()
    check_page()


def test_wrong_code_shows_an_error_then_the_right_code_signs_in(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    enter_password(page, "officer")
    assert _path(page) == "/sign-in/code/"
    right = demo_code("officer")
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    enter_code(page, wrong)
    assert _path(page) == "/sign-in/code/"
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    link = summary.get_by_role("link", name="The security code is not correct")
    expect(link).to_have_attribute("href", "#id_code")
    expect(page.locator("#id_code-error")).to_contain_text("The security code is not correct")
    check_page()
    link.click()
    expect(page.get_by_label("Security code")).to_be_focused()

    # django-otp throttles a device for 1 second after one wrong code.
    time.sleep(1.2)
    enter_code(page, demo_code("officer"))
    assert _path(page) == "/"
    expect(page.locator("h1")).to_contain_text("Welcome")
    check_page()


def test_set_up_code_for_a_user_without_an_authenticator(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pontio.accounts.models import User

    user = User.objects.get(username="analyst")
    TOTPDevice.objects.filter(user=user).delete()

    enter_password(page, "analyst")
    assert _path(page) == "/sign-in/set-up-code/"
    expect(page.locator("h1")).to_contain_text("Set up your authenticator app")
    qr = page.locator(".pontio-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 100 and box["height"] >= 100, box
    expect(page.locator(".pontio-secret")).to_have_text(
        re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$")
    )
    check_page()

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # Reloading the page keeps the same key (the QR code is not regenerated).
    page.reload()
    assert TOTPDevice.objects.get(user=user, confirmed=False).key == device.key
    check_page()

    page.get_by_label("Security code").fill(current_code(device.key))
    follow(page, page.get_by_role("button", name="Confirm and sign in"))
    assert _path(page) == "/"
    expect(page.get_by_role("alert")).to_contain_text("Your authenticator app is set up.")
    expect(page.locator("h1")).to_contain_text("Welcome")
    device.refresh_from_db()
    assert device.confirmed
    assert TOTPDevice.objects.filter(user=user).count() == 1
    check_page()


def test_signed_in_user_is_sent_home_from_sign_in(page: Page, demo_users: Any) -> None:
    sign_in(page, "officer")
    page.goto("/sign-in/")
    assert _path(page) == "/"


def test_pages_before_sign_in(page: Page, demo_users: Any, check_page: Any) -> None:
    """Forgotten password (with its error) and the accessibility statement, unsigned."""
    page.goto("/sign-in/")
    # The skip link is the first thing a keyboard user reaches, and it works.
    page.keyboard.press("Tab")
    skip = page.locator("a.govuk-skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    follow(page, page.get_by_role("link", name="I have forgotten my password"))
    assert _path(page) == "/forgot-password/"
    check_page()
    page.get_by_label("Email address").fill("not-an-address")
    follow(page, page.get_by_role("button", name="Send the link"))
    summary = page.locator(".govuk-error-summary")
    expect(
        summary.get_by_role("link", name="Enter an email address in the correct format")
    ).to_have_attribute("href", "#id_email")
    check_page()
    page.get_by_label("Email address").fill("officer@demo.pontio.invalid")
    follow(page, page.get_by_role("button", name="Send the link"))
    expect(page.locator("h1")).to_have_text("Check your email")
    check_page()

    follow(page, page.get_by_role("link", name="Accessibility"))
    assert _path(page) == "/accessibility/"
    expect(page.locator("h1")).to_have_count(1)
    check_page()
