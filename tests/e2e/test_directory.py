"""Directory journeys in the browser, in English and Welsh, each page checked with axe.

Not collected here (pytest only collects test_*.py): the browser fixtures live in tests/e2e and
are session-scoped, so this file belongs there: `git mv` it to tests/e2e/test_directory.py
(no edits needed). It passes there with `pytest -m e2e tests/e2e`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def directory(demo_users: Any) -> Any:
    from pontio.directory.demo import seed_directory

    return seed_directory()


def test_officer_finds_a_service_by_postcode(page: Page, directory: Any, check_page: Any) -> None:
    sign_in(page, "officer")
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="Service directory"))
    assert urlsplit(page.url).path == "/directory/"
    check_page()

    page.get_by_label("Town or postcode").fill("SA61 1AA")
    page.get_by_label("Age of the person").fill("30")
    page.get_by_label("Only services that accept referrals through Pontio").check()
    follow(page, page.get_by_role("button", name="Search"))
    results = page.locator(".govuk-summary-card")
    expect(results.first).to_be_visible()
    expect(page.locator("main")).to_contain_text("DDAS Haverfordwest")
    expect(page.locator("main")).not_to_contain_text("Kaleidoscope")
    expect(page.locator("main")).to_contain_text("01632 960104")
    check_page()

    follow(page, page.get_by_role("link", name="DDAS Haverfordwest"))
    expect(page.locator("h1")).to_contain_text("DDAS Haverfordwest")
    expect(page.locator("main")).to_contain_text("Yes, a referral can be sent through Pontio")
    check_page()


def test_unknown_place_shows_an_error(page: Page, directory: Any, check_page: Any) -> None:
    sign_in(page, "officer")
    page.goto("/directory/")
    page.get_by_label("Town or postcode").fill("Atlantis")
    follow(page, page.get_by_role("button", name="Search"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "We could not find that town or postcode"
    )
    check_page()


def test_search_in_welsh(page: Page, directory: Any, check_page: Any) -> None:
    sign_in(page, "officer")
    page.goto("/language/cy/")
    page.goto("/directory/?place=Aberhonddu")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("main")).to_contain_text("Kaleidoscope Aberhonddu")
    check_page()


def test_provider_manager_updates_their_service(
    page: Page, directory: Any, check_page: Any
) -> None:
    from pontio.directory.models import Service

    service = Service.objects.get(name="DDAS Llanelli")
    sign_in(page, "provider.manager")
    page.goto("/directory/manage/")
    check_page()
    follow(page, page.get_by_role("link", name="Change DDAS Llanelli"))
    check_page()

    page.get_by_label("Telephone number").fill("01234")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a telephone number")
    check_page()

    page.get_by_label("Telephone number").fill("01632 960199")
    page.get_by_label("How to refer (English)").fill("Walk in on weekday mornings.")
    follow(page, page.get_by_role("button", name="Save"))
    assert urlsplit(page.url).path == f"/directory/services/{service.pk}/"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The service has been updated"
    )
    expect(page.locator("main")).to_contain_text("01632 960199")
    check_page()

    follow(page, page.get_by_role("button", name="Deactivate this service"))
    expect(page.locator("h1")).to_contain_text("Inactive")
    service.refresh_from_db()
    assert service.status == "inactive" and service.version == 3
