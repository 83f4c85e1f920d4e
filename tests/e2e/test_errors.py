"""What a user sees when a page is not theirs, or not there, in English and in Welsh."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def _switch_to_welsh(page: Page) -> None:
    follow(page, page.locator("nav.govuk-language-navigation a[lang='cy']"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_caseworker_typing_the_audit_address_is_refused(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    sign_in(page, "caseworker")
    response = page.goto("/audit/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("You do not have permission to do this")
    # No audit data on the page, and no link to the audit log in the navigation.
    expect(page.locator("table")).to_have_count(0)
    expect(page.locator("a.govuk-service-navigation__link[href='/audit/']")).to_have_count(0)
    check_page()


def test_provider_manager_cannot_open_a_police_user(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    from pontio.accounts.models import User

    admin = User.objects.get(username="admin")
    sign_in(page, "provider.manager")
    response = page.goto(f"/users/{admin.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text(admin.username)
    expect(page.locator("main")).not_to_contain_text(admin.last_name)
    check_page()


def test_error_pages_follow_the_welsh_language_switch(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    # Signed in (an English-speaking user who switches to Welsh).
    sign_in(page, "caseworker")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _switch_to_welsh(page)
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_count(1)
    check_page()
    response = page.goto("/audit/")
    assert response is not None and response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    check_page()

    # Signed out, the browser keeps the language.
    follow(page, page.locator("form[action='/sign-out/'] button"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator(".pontio-account-bar form[action='/sign-out/']")).to_have_count(0)
    check_page()
