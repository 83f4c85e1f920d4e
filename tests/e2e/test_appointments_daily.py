"""Rescheduling an appointment and the end-of-service summary, in the browser, in English
and in Welsh.

The DDAS caseworker opens a booked appointment's "Reschedule" link, sends the form without
a reason (the error is shown), then moves it to a phone call with a reason: the referral
page shows it by phone with its history of changes. The referring officer sees that it was
rescheduled (not why). On a referral the caseworker closed with the end-of-service summary,
the officer sees the outcome against the reason for the referral and the summary, never the
provider's closing note. Every page is checked with axe and at 375 px (``check_page``).
Fields are found by their names so the same steps run in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

REASON = "The person asked for a phone call instead: no bus that day."
SUMMARY = "Came to every session and finished the programme."
CLOSING_NOTE = "Methadone reduced to 10 mg; liver tests normal."


def _t(text: Any, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _world() -> Any:
    from django.apps import apps as django_apps
    from tests.factories import county

    from pontio.accounts.models import User
    from pontio.directory.demo import seed_directory
    from pontio.people.models import Address, Person
    from pontio.referrals import services
    from pontio.referrals.codes import load_codes
    from pontio.referrals.models import Appointment, Status
    from pontio.referrals.tests.helpers import CONTEXT, move, refer, treatment_started

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
    officer = User.objects.get(username="officer")
    caseworker = User.objects.get(username="caseworker")
    working = move(caseworker, refer(officer, person), Status.ACCEPTED)
    appointment = services.appointment_book(
        context=CONTEXT,
        actor=caseworker,
        referral_id=working.pk,
        kind=Appointment.Kind.ASSESSMENT,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="Llanelli hub",
    )
    closed = treatment_started(caseworker, move(caseworker, refer(officer, person), "accepted"))
    services.referral_transition(
        context=CONTEXT,
        actor=caseworker,
        referral_id=closed.pk,
        expected_version=closed.version,
        to_status=Status.COMPLETED,
        code="CLO_PLANNED_COMPLETE",
        reason=CLOSING_NOTE,
        outcome_against_reason="achieved",
        outcome_summary=SUMMARY,
        require_outcome=True,
    )
    return working, appointment, closed


def _as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def _submit(page: Page) -> None:
    follow(page, page.locator("main form[novalidate] button[type=submit]").first)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_appointment_moves_to_a_phone_call_and_the_officer_reads_the_summary(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.referrals.models import Appointment

    working, appointment, closed = _world()

    # The caseworker reschedules the appointment by phone, with a reason.
    _as(page, "caseworker", language)
    page.goto(f"/referrals/{working.pk}/")
    check_page()
    url = f"/referrals/{working.pk}/appointments/{appointment.pk}/reschedule/"
    follow(page, page.locator(f"main a[href='{url}']"))
    check_page()
    page.locator("input[name=mode][value=phone]").check()
    page.locator("input[name=place]").fill("")
    _submit(page)  # no reason: the error is shown
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page()
    page.locator("textarea[name=reason]").fill(REASON)
    _submit(page)
    assert page.url.endswith(f"/referrals/{working.pk}/"), page.url
    appointment.refresh_from_db()
    assert appointment.mode == Appointment.Mode.PHONE and appointment.changes.count() == 1
    main = page.locator("main")
    expect(main).to_contain_text(_t("By phone", language))
    page.locator("main details summary").first.click()
    expect(page.locator("main details").first).to_contain_text(REASON)
    check_page()
    page.goto(url)
    expect(page.locator("main")).to_contain_text(REASON)
    check_page()

    # The officer sees that it moved, by phone, never why.
    _as(page, "officer", language)
    page.goto(f"/referrals/{working.pk}/")
    expect(page.locator("main")).to_contain_text(_t("By phone", language))
    expect(page.locator("main")).not_to_contain_text(REASON)
    check_page()

    # The officer reads the end-of-service summary, not the provider's closing note.
    page.goto(f"/referrals/{closed.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(SUMMARY)
    expect(main).to_contain_text(_t("Achieved", language))
    expect(main).not_to_contain_text(CLOSING_NOTE)
    check_page()
