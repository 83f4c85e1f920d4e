"""Journey 3 in the browser, in English and in Welsh: from arrest to a booked required
assessment, the provider's "failed to attend", and the police's task with its evidence.

A custody sergeant books in an adult arrested for theft from a shop (Theft Act 1968 s1, a
trigger offence) at Llanelli, a notified suite; the record says the person may be tested
and why; the result is positive for cocaine; the sergeant requires the initial assessment
(the contact route comes from the person's record) and the RA1 notice downloads as a PDF
in Welsh and English; the referral to the provider exists with pathway "test on arrest"
without a second form. The DDAS Carmarthenshire caseworker accepts it and records "did not
attend"; the sergeant then sees the task, downloads the prefilled evidential statement and
records the decision. Every page is checked with axe and at 375 px (``check_page``).
Fields are found by their names so the same steps run in both languages.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

NUMBER = "LL/0312/26"


def _t(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _world() -> Any:
    from django.apps import apps as django_apps
    from tests.factories import county

    from pontio.custody.reference import load_all
    from pontio.directory.demo import seed_directory
    from pontio.people.models import Address, Person, Phone
    from pontio.referrals.codes import load_codes

    # Live-server tests flush the database between tests, which removes what the data
    # migrations loaded (reason codes, custody suites and offences): load them again the
    # same way.
    load_codes(django_apps, None)
    load_all()
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
    Phone.objects.create(person=person, number="+447700900123", kind="mobile")
    return person


def _switch(page: Page, language: str) -> None:
    if language == "cy":
        page.goto("/language/cy/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def _sign_in_as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    _switch(page, language)


def _submit(page: Page) -> None:
    follow(page, page.locator("main form[method=post] button[type=submit]").last)


def _step(page: Page, step: str) -> None:
    follow(page, page.locator(f"main form:has(input[name=step][value={step}]) button").first)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _open(page: Page, href: str) -> None:
    follow(page, page.locator(f'main a[href="{href}"]').first)


def _pdf_text(page: Page, href: str) -> str:
    from pypdf import PdfReader

    with page.expect_download() as download_info:
        page.locator(f'main a[href="{href}"]').first.click()
    download = download_info.value
    assert "Bowen" not in download.suggested_filename
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def _next_working_day() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_3_from_arrest_to_the_police_decision_on_a_failure(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.custody.models import (
        BreachTask,
        CustodyRecord,
        CustodySuite,
        Notice,
        Offence,
        RequiredAssessment,
    )
    from pontio.directory.models import Service
    from pontio.referrals.models import Appointment, Pathway, Referral

    person = _world()

    # 1. The custody sergeant books the detainee in, found by name and date of birth.
    _sign_in_as(page, "custody.sergeant", language)
    page.goto("/custody/")
    check_page()
    _open(page, "/custody/book/")
    check_page()
    page.locator("#id_given_name").fill("Ffion")
    page.locator("#id_family_name").fill("Bowen")
    _date(page, "date_of_birth", person.date_of_birth)
    _step(page, "find")
    assert "Bowen" not in page.url
    check_page()
    _step(page, "choose")
    check_page()
    llanelli = CustodySuite.objects.get(code="LLANELLI")
    theft = Offence.objects.get(code="TA1968_S1")
    page.locator(f"input[name=suite][value='{llanelli.pk}']").check()
    page.locator("#id_custody_number").fill(NUMBER.lower())
    arrested = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    _date(page, "arrested_on", arrested.date())
    page.locator("#id_arrested_time").fill(arrested.strftime("%H:%M"))
    page.locator(f"input[name=offences][value='{theft.pk}']").check()
    _step(page, "book")
    record = CustodyRecord.objects.get()
    assert record.custody_number == NUMBER and record.person_id == person.pk
    assert page.url.endswith(f"/custody/{record.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(_t("the person may be tested, because:", language))
    with translation.override(language):
        why = translation.gettext("Arrested for a trigger offence: %(offence)s") % {
            "offence": theft.label
        }
    expect(main).to_contain_text(why)
    check_page()

    # 2. Warn and request, the sample, the result: cocaine.
    _open(page, f"/custody/{record.pk}/test/")
    check_page()
    page.locator("input[name=stage][value=arrest]").check()
    page.locator("input[name=warning_given]").check()
    _submit(page)
    check_page()
    _open(page, f"/custody/{record.pk}/test/outcome/")
    page.locator("input[name=outcome][value=sample_taken]").check()
    _submit(page)
    check_page()
    _open(page, f"/custody/{record.pk}/test/result/")
    check_page()
    page.locator("input[name=result][value=cocaine]").check()
    _submit(page)
    check_page()

    # 3. The initial assessment: the contact route is prefilled from the person.
    _open(page, f"/custody/{record.pk}/assessment/")
    check_page()
    expect(page.locator("#id_contact_phone")).to_have_value("07700 900123")
    _date(page, "on", _next_working_day())
    page.locator("#id_time").fill("10:30")
    page.locator("#id_appointment_place").fill("DDAS, 1 Stepney Street, Llanelli")
    _submit(page)
    assessment = RequiredAssessment.objects.get(record=record)
    assert page.url.endswith(f"/custody/{record.pk}/")
    check_page()
    referral = Referral.objects.get()  # made with the requirement: no second form
    assert assessment.referral_id == referral.pk
    assert referral.pathway == Pathway.TEST_ON_ARREST
    assert referral.service == Service.objects.get(name="DDAS Llanelli")
    expect(page.locator(f'main a[href="/referrals/{referral.pk}/"]')).to_have_count(1)
    notice = Notice.objects.get(assessment=assessment, kind="RA1")
    text = _pdf_text(page, f"/custody/notices/{notice.pk}/")
    title = "Requirement to attend an initial assessment"
    assert _t(title, "en") in " ".join(text.split())
    assert _t(title, "cy") in " ".join(text.split())
    assert referral.service.name_cy and referral.service.name_cy in text  # the Welsh half

    # 4. The provider's caseworker accepts the referral and records "did not attend".
    _sign_in_as(page, "caseworker", language)
    page.goto(f"/referrals/{referral.pk}/")
    check_page()
    follow(page, page.locator(f'form[action="/referrals/{referral.pk}/accept/"] button'))
    check_page()
    # The appointment's time has come and gone.
    Appointment.objects.filter(pk=assessment.appointment_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    page.goto(f"/referrals/{referral.pk}/")
    expect(page.locator("button[name=attendance][value=left_early]")).to_have_count(1)
    follow(page, page.locator("button[name=attendance][value=dna]"))
    check_page()
    task = BreachTask.objects.get(assessment=assessment)
    assert task.is_open and task.statement_id is not None

    # 5. The sergeant sees the task with its evidence, and decides.
    _sign_in_as(page, "custody.sergeant", language)
    page.goto("/")
    check_page()
    _open(page, "/custody/breaches/")
    check_page()
    _open(page, f"/custody/breaches/{task.pk}/")
    check_page()
    statement = _pdf_text(page, f"/custody/notices/{task.statement_id}/")
    assert NUMBER in statement
    expect(page.locator(f'main a[href="/custody/notices/{notice.pk}/"]')).to_have_count(1)
    page.locator("input[name=decision][value=prosecute]").check()
    page.locator("#id_reason").fill("No reason given for missing the appointment.")
    _submit(page)
    check_page()
    task.refresh_from_db()
    assert task.decision == "prosecute"
    expect(page.locator("main")).to_contain_text(
        _t(str(BreachTask.Decision.PROSECUTE.label), language)
    )
