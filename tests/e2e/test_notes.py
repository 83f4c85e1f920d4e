"""Case notes in the browser, in English and in Welsh.

The DDAS caseworker raises a concern on a referral (the form says the note is shared with
the police); the referring officer sees it on their home page, opens the referral and
acknowledges it, and it leaves the home page. Every page is checked with axe and at
375 px (``check_page``). Fields are found by their names so the same steps run in both
languages.
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
    from pontio.referrals.tests.helpers import accepted

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
    return accepted(
        User.objects.get(username="officer"), User.objects.get(username="caseworker"), person
    )


def _as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def _submit(page: Page) -> None:
    follow(page, page.locator("main form:has(textarea[name=text]) button[type=submit]"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_caseworker_raises_a_concern_and_the_officer_acknowledges_it(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.referrals.models import CaseNote

    referral = _world()
    detail = f"/referrals/{referral.pk}/"
    _as(page, "caseworker", language)
    page.goto(detail)
    check_page()
    follow(page, page.locator(f"a[href='{detail}notes/new/']"))
    check_page()
    expect(page.locator("#id_text-hint")).to_be_visible()  # shared with the police
    page.locator("input[name=category][value=concern]").check()
    _submit(page)  # no words: the error is shown
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page()
    page.locator("textarea[name=text]").fill("Feels threatened by a neighbour at the address.")
    _submit(page)
    assert page.url.endswith(detail), page.url
    check_page()
    note = CaseNote.objects.get(referral=referral)
    assert note.is_open_concern

    _as(page, "officer", language)
    page.goto("/")
    link = page.locator(f"main a[href='{detail}#note-{note.pk}']")
    expect(link).to_be_visible()
    check_page()
    follow(page, link)
    expect(page.locator(f"#note-{note.pk}")).to_contain_text("threatened by a neighbour")
    check_page()
    follow(page, page.locator(f"#note-{note.pk} form button[type=submit]"))
    check_page()
    note.refresh_from_db()
    assert note.acknowledged_at is not None
    expect(page.locator(f"#note-{note.pk} form")).to_have_count(0)
    page.goto("/")
    expect(page.locator(f"main a[href='{detail}#note-{note.pk}']")).to_have_count(0)
    check_page()
