"""Caseload in the browser, in English and in Welsh: the provider manager opens the
"Unassigned" tab, ticks two referrals, chooses the caseworker and allocates them; the tab
counts follow, and a search by date of birth that is not a real date is refused with a
message. Every page is checked with axe and fits a 375 px screen (the table stacks its
cells with their labels). Elements are found by name and by tab key, so the same steps run
in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def _referrals() -> list[Any]:
    from django.apps import apps as django_apps
    from tests.factories import make_person

    from pontio.accounts.models import User
    from pontio.directory.demo import seed_directory
    from pontio.referrals.codes import load_codes
    from pontio.referrals.tests.helpers import refer

    load_codes(django_apps, None)
    seed_directory()
    officer = User.objects.get(username="officer")
    made = []
    for given, family in (("Ffion", "Bowen"), ("Gethin", "Rees"), ("Mared", "Lloyd")):
        person = make_person(
            given=given, family=family, dob=dt.date(1991, 5, 14), county_code="W06000010"
        )
        made.append(refer(officer, person))
    return made


def _switch(page: Page, language: str) -> None:
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def _count(page: Page, tab: str) -> str:
    return page.locator(f"a.govuk-tabs__tab[data-tab={tab}]").inner_text()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_manager_allocates_from_unassigned(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.accounts.models import User
    from pontio.referrals.models import Referral

    referrals = _referrals()
    caseworker = User.objects.get(username="caseworker")
    sign_in(page, "provider.manager")
    _switch(page, language)
    page.goto("/referrals/caseload/")
    check_page()
    follow(page, page.locator("a.govuk-tabs__tab[data-tab=unassigned]"))
    assert "(3)" in _count(page, "unassigned")
    expect(page.locator("a.govuk-tabs__tab[data-tab=unassigned]")).to_have_attribute(
        "aria-current", "page"
    )
    check_page()
    for referral in referrals[:2]:
        page.locator(f"#referral-{referral.pk}").check()
    page.locator("select[name=caseworker]").select_option(str(caseworker.pk))
    follow(page, page.locator("button[name=allocate]"))
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert "(1)" in _count(page, "unassigned")
    check_page()
    for referral in referrals[:2]:
        assert Referral.objects.get(pk=referral.pk).allocated_to_id == caseworker.pk
    assert Referral.objects.get(pk=referrals[2].pk).allocated_to_id is None

    # A date of birth that is not a date: a message, nothing searched.
    page.locator("#id_q").fill("31/02/1991")
    follow(page, page.locator("form.pontio-caseload-search button[type=submit]").first)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page()
    # A real one: the referrals of that person's date of birth.
    page.locator("#id_q").fill("14/05/1991")
    follow(page, page.locator("form.pontio-caseload-search button[type=submit]").first)
    follow(page, page.locator("a.govuk-tabs__tab[data-tab=open]"))
    assert "(3)" in _count(page, "open")
    check_page()
