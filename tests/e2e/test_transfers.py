"""A provider-to-provider transfer in the browser, in English and in Welsh.

A Llanelli person referred to DDAS has moved to Llandrindod Wells. The DDAS caseworker
opens "Transfer to another provider": Kaleidoscope Newtown can take the person now (Powys)
and DDAS's young people's service cannot (with the routing rule's reason); they propose the
transfer. The Kaleidoscope Powys caseworker finds it on their home page and in the list of
transfers, opens it (the minimum needed to decide) and accepts: a new referral opens at
Kaleidoscope, linked to the old one, which the referring officer now sees as transferred.
Every page is checked with axe and at 375 px (``check_page``). Fields are found by their
names so the same steps run in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation
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
    from pontio.referrals.models import Status
    from pontio.referrals.tests.helpers import move, refer

    load_codes(django_apps, None)
    seed_directory()
    person = Person.objects.create(
        given_name="Ffion", family_name="Bowen", date_of_birth=dt.date(1991, 5, 14)
    )
    home = Address.objects.create(
        person=person,
        line_1="12 Heol Awst",
        town="Llanelli",
        county=county("W06000010"),
        postcode="SA15 3AB",
        valid_from=dt.date(2021, 1, 1),
    )
    referral = refer(User.objects.get(username="officer"), person)
    move(User.objects.get(username="caseworker"), referral, Status.ACCEPTED)
    # The person has moved to Powys (their record's current address).
    home.valid_to = dt.date(2026, 1, 1)
    home.save()
    Address.objects.create(
        person=person,
        line_1="3 High Street",
        town="Llandrindod Wells",
        county=county("W06000023"),
        postcode="LD1 5HF",
        valid_from=dt.date(2026, 1, 1),
    )
    referral.refresh_from_db()
    return referral


def _as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def _submit(page: Page) -> None:
    follow(page, page.locator("main form[novalidate] button[type=submit]").first)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_case_is_transferred_to_powys_and_accepted_there(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.directory.models import Service
    from pontio.referrals.models import Referral, Status, Transfer

    referral = _world()
    target = Service.objects.get(name="Kaleidoscope Newtown")
    young = Service.objects.get(name="DDAS young people's service")

    # The sending caseworker proposes the transfer.
    _as(page, "caseworker", language)
    page.goto(f"/referrals/{referral.pk}/")
    check_page()
    follow(page, page.locator(f"a[href='/referrals/{referral.pk}/transfer/']"))
    check_page()
    page.locator("details summary").click()
    with translation.override(language):
        expect(page.locator("details")).to_contain_text(young.display_name)
    _submit(page)  # nothing chosen: the errors are shown
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page()
    page.locator(f"input[name=service][value='{target.pk}']").check()
    page.locator("textarea[name=reason]").fill("Moved to Llandrindod Wells; asks for Powys.")
    _submit(page)
    assert page.url.endswith(f"/referrals/{referral.pk}/"), page.url
    check_page()
    transfer = Transfer.objects.get(referral=referral)
    assert transfer.state == Transfer.State.PROPOSED

    # The receiving caseworker finds it and accepts.
    _as(page, "powys.caseworker", language)
    page.goto("/")
    expect(page.locator("a[href='/referrals/transfers/']").first).to_be_visible()
    check_page()
    follow(page, page.locator("a[href='/referrals/transfers/']").first)
    check_page()
    follow(page, page.locator(f"main a[href='/referrals/transfers/{transfer.pk}/']"))
    expect(page.locator("h1")).to_contain_text("Ffion Bowen")
    check_page()
    page.locator("input[name=decision][value=accept]").check()
    _submit(page)
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.ACCEPTED
    new = transfer.new_referral
    assert new is not None
    assert page.url.endswith(f"/referrals/{new.pk}/"), page.url
    expect(page.locator("main")).to_contain_text(referral.reference)
    check_page()
    assert Referral.objects.get(pk=referral.pk).status == Status.CANCELLED

    # The referring officer sees the move on the old referral and opens the new one.
    _as(page, "officer", language)
    page.goto(f"/referrals/{referral.pk}/")
    check_page()
    follow(page, page.locator(f"main a[href='/referrals/{new.pk}/']").first)
    expect(page.locator("main")).to_contain_text(new.reference)
    check_page()
