"""A referral draft in the browser, in English and in Welsh: the officer starts a referral,
saves it to come back later, signs out; the next day they sign in again, open "My drafts",
continue the draft, finish it and send it. The duplicate warning on step 2 names their
open referral of the same person. Every page is checked with axe and at 375 px
(``check_page``); fields are found by their names so the steps run in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone
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
    earlier = refer(User.objects.get(username="officer"), person)
    return person, earlier


def _sign_in(page: Page, language: str) -> None:
    sign_in(page, "officer")
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_draft_survives_sign_out_and_is_sent_the_next_day(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.referrals.models import Referral, ReferralDraft

    person, earlier = _world()
    _sign_in(page, language)
    page.goto(f"/referrals/new/{person.pk}/")
    check_page()
    page.locator("input[name=pathway][value=voluntary]").check()
    page.locator("textarea[name=reason]").fill("Asked for help with cocaine use.")
    page.locator("input[name=substances]").first.check()
    follow(page, page.locator("button[name=save_draft]"))
    assert page.url.endswith("/referrals/drafts/"), page.url
    expect(page.locator("main table")).to_contain_text("Ffion Bowen")
    check_page()
    assert ReferralDraft.objects.filter(person=person).count() == 1
    follow(page, page.locator("form[action='/sign-out/'] button"))

    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=True):
        page.context.clear_cookies()
        _sign_in(page, language)
        check_page()  # the home page, with its count of drafts
        follow(page, page.locator("main a[href='/referrals/drafts/']").first)
        check_page()
        follow(page, page.locator("main table a.govuk-link").first)
        assert page.url.endswith(f"/referrals/new/{person.pk}/"), page.url
        expect(page.locator("textarea[name=reason]")).to_have_value(
            "Asked for help with cocaine use."
        )
        check_page()
        page.locator("input[name=consent_given][value=yes]").check()
        page.locator("input[name=contact_channels][value=phone]").check()
        page.locator("input[name=contact_phone]").fill("07700 900123")
        follow(page, page.locator("form:has(textarea[name=reason]) button:not([name])"))
        assert page.url.endswith(f"/referrals/new/{person.pk}/provider/"), page.locator(
            "main"
        ).inner_text()[:1500]
        expect(page.locator("#open-referrals")).to_be_visible()
        expect(page.locator("main")).to_contain_text(earlier.reference)
        check_page()
        follow(page, page.locator("form:has(input[name=service]) button[type=submit]"))
        made = Referral.objects.exclude(pk=earlier.pk).get(person=person)
        assert page.url.endswith(f"/referrals/{made.pk}/"), page.url
        check_page()
        assert made.sent_on == timezone.localdate()
    assert not ReferralDraft.objects.filter(person=person).exists()
