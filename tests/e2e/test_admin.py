"""An administrator adds a user, and is told clearly when a role does not fit the organisation."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import follow, sign_in

pytestmark = pytest.mark.e2e

PROVIDER = "Dyfed Drug and Alcohol Service"


def _open_add_user_form(page: Page) -> None:
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="Users"))
    assert urlsplit(page.url).path == "/users/"
    follow(page, page.get_by_role("button", name="Add a user"))
    assert urlsplit(page.url).path == "/users/new/"
    expect(page.locator("h1")).to_have_text("Add a user")


def test_admin_adds_a_provider_caseworker(page: Page, demo_users: Any, check_page: Any) -> None:
    from pontio.accounts.models import User

    sign_in(page, "admin")
    _open_add_user_form(page)
    check_page()

    page.get_by_label("Username").fill("new.caseworker")
    page.get_by_label("First name").fill("Mererid")
    page.get_by_label("Last name").fill("Owen")
    page.get_by_label("Work email address").fill("Mererid.Owen@example.org")
    page.get_by_label("Organisation").select_option(label=PROVIDER)
    page.get_by_label("Provider caseworker").check()
    page.get_by_label("Carmarthenshire").check()
    follow(page, page.get_by_role("button", name="Create account"))

    user = User.objects.get(username="new.caseworker")
    assert urlsplit(page.url).path == f"/users/{user.pk}/"
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("The account has been created")
    expect(page.locator("h1")).to_contain_text("Mererid Owen")
    details = page.locator("dl.govuk-summary-list")
    expect(details).to_contain_text("new.caseworker")
    expect(details).to_contain_text("mererid.owen@example.org")
    expect(details).to_contain_text(PROVIDER)
    expect(details).to_contain_text("Provider caseworker")
    expect(details).to_contain_text("Carmarthenshire")
    expect(details).to_contain_text("Invitation not yet accepted.")
    check_page()

    assert user.organisation.name == PROVIDER
    assert user.role_set == {"provider_caseworker"}
    assert [c.label_en for c in user.counties.all()] == ["Carmarthenshire"]
    assert not user.has_usable_password()

    # The new user is in the list, marked as not set up yet.
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="Users"))
    row = page.locator("tr", has_text="new.caseworker")
    expect(row).to_contain_text("Not set up")
    check_page()


def test_admin_is_told_a_police_role_cannot_go_to_a_provider(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    from pontio.accounts.models import User

    sign_in(page, "admin")
    _open_add_user_form(page)

    page.get_by_label("Username").fill("wrong.role")
    page.get_by_label("First name").fill("Wyn")
    page.get_by_label("Last name").fill("Jenkins")
    page.get_by_label("Work email address").fill("wyn.jenkins@example.org")
    page.get_by_label("Organisation").select_option(label=PROVIDER)
    page.get_by_label("Officer", exact=True).check()
    page.get_by_label("Carmarthenshire").check()
    follow(page, page.get_by_role("button", name="Create account"))

    assert urlsplit(page.url).path == "/users/new/"
    assert not User.objects.filter(username="wrong.role").exists()
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    link = summary.get_by_role("link", name=re.compile("cannot be held by someone in this"))
    expect(link).to_contain_text("Officer")
    # The summary links to the first checkbox of the roles field...
    expect(link).to_have_attribute("href", "#id_roles_0")
    roles = page.locator("fieldset", has=page.locator("#id_roles_0"))
    # ...whose fieldset shows the message and is described by it.
    expect(roles.locator("#id_roles-error")).to_contain_text("cannot be held")
    expect(roles).to_have_attribute("aria-describedby", re.compile(r"\bid_roles-error\b"))
    expect(page.locator(".govuk-form-group--error")).to_have_count(1)
    # What was entered is kept.
    expect(page.get_by_label("Username")).to_have_value("wrong.role")
    expect(page.get_by_label("Officer", exact=True)).to_be_checked()
    expect(page.get_by_label("Carmarthenshire")).to_be_checked()
    check_page()

    link.click()
    expect(page.locator("#id_roles_0")).to_be_focused()
