"""Work coming due in the browser, in English and in Welsh: the caseworker follows the home
page's panel to their due list, which shows an appointment booked for the next working day
before it is due, with a link to record its attendance; they ask for the daily email.
Every page is checked with axe and fits a 375 px screen. Elements are found by address and
by name attribute, so the same steps run in both languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def _booked() -> tuple[Any, Any]:
    from django.apps import apps as django_apps
    from django.utils import timezone
    from tests.factories import make_person

    from pontio.accounts.models import User
    from pontio.core.working_days import add_working_days
    from pontio.directory.demo import seed_directory
    from pontio.referrals import services
    from pontio.referrals.codes import load_codes
    from pontio.referrals.models import Status
    from pontio.referrals.tests.helpers import CONTEXT, move, refer

    load_codes(django_apps, None)
    seed_directory()
    officer = User.objects.get(username="officer")
    caseworker = User.objects.get(username="caseworker")
    person = make_person(
        given="Gwenllian", family="Rhys", dob=dt.date(1990, 3, 2), county_code="W06000010"
    )
    referral = move(caseworker, refer(officer, person), Status.ACCEPTED)
    day = add_working_days(timezone.localdate(), 1)
    appointment = services.appointment_book(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        kind="assessment",
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))),
        place="Llanelli",
    )
    return referral, appointment


def _switch(page: Page, language: str) -> None:
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_caseworker_sees_an_appointment_before_it_is_due(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.referrals.models import WorkDigestSubscription

    referral, appointment = _booked()
    sign_in(page, "caseworker")
    _switch(page, language)
    page.goto("/")
    follow(page, page.locator("a[href='/referrals/due/']").first)
    expect(page.locator("h1")).to_be_visible()
    check_page()
    record = page.locator(
        f"a[href='/referrals/{referral.pk}/appointments/{appointment.pk}/attendance/']"
    )
    expect(record).to_contain_text(referral.reference)
    # Not overdue: no "Overdue" group, the appointment is under the next working day.
    expect(page.locator("#due-overdue")).to_have_count(0)
    expect(page.locator(".govuk-tag--purple")).to_have_count(1)
    page.locator("input[name=daily]").check()
    follow(page, page.locator("form[action='/referrals/due/digest/'] button"))
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("input[name=daily]")).to_be_checked()
    check_page()
    assert WorkDigestSubscription.objects.get(user__username="caseworker").daily
