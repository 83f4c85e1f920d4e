"""Amending a referral in the browser, in English and in Welsh.

The referring officer opens their referral, follows "Amend the referral" and corrects the
phone number; the DDAS caseworker opens the referral and sees the changelog (the phone
number before and after). Every page is checked with axe and at 375 px (``check_page``).
Fields are found by their names so the same steps run in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def _world() -> Any:
    from django.apps import apps as django_apps
    from tests.factories import county

    from pontio.accounts.models import User
    from pontio.directory.demo import seed_directory
    from pontio.people.models import Address, Person
    from pontio.referrals.codes import load_codes
    from pontio.referrals.tests.helpers import refer

    load_codes(django_apps, None)
    seed_directory()
    person = Person.objects.create(
        given_name="Ffion", family_name="Bowen", date_of_birth=dt.date(1991, 5, 14)
    )
    Address.objects.create(
        person=person,
        line_1="12 Heol Awst",
        town="Llanelli",
        county=county("W06000010"),
        postcode="SA15 3AB",
        valid_from=dt.date(2021, 1, 1),
    )
    return refer(User.objects.get(username="officer"), person)


def _as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def _submit(page: Page) -> None:
    # The form with the referral's details (not the "always Welsh" banner's form).
    follow(page, page.locator("main form:has(input[name=version]) button[type=submit]"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_officer_corrects_the_phone_number_and_the_caseworker_sees_the_changelog(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.referrals.models import Referral, ReferralAmendment

    referral = _world()
    _as(page, "officer", language)
    page.goto(f"/referrals/{referral.pk}/")
    check_page()
    follow(page, page.locator(f"a[href='/referrals/{referral.pk}/amend/']"))
    check_page()
    expect(page.locator("input[name=contact_phone]")).to_have_value("07700 900123")
    _submit(page)  # nothing changed: the error is shown
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page()
    page.locator("input[name=contact_phone]").fill("07700 900456")
    page.locator("textarea[name=reason]").fill("The person gave a new mobile number.")
    _submit(page)
    assert page.url.endswith(f"/referrals/{referral.pk}/"), page.url
    check_page()
    assert Referral.objects.get(pk=referral.pk).contact_phone == "+447700900456"
    assert ReferralAmendment.objects.filter(referral=referral).count() == 1

    _as(page, "caseworker", language)
    page.goto(f"/referrals/{referral.pk}/")
    changelog = page.locator("#amendments ~ table").first
    expect(changelog).to_contain_text("07700 900123")
    expect(changelog).to_contain_text("07700 900456")
    check_page()
