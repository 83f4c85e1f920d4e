"""The referral loop in the browser, in English and in Welsh (journeys 1, 2 and 13).

An officer refers a Llanelli person (the form refuses to send without a way to contact
them; the proposal is the service in Llanelli, with why it is ranked first), and the
consent they record is on the person's page. The provider's caseworker finds it on their
home page, accepts it (it is then theirs), logs two contact attempts, books an appointment
and marks it attended, records a start and a review Treatment Outcomes Profile, the
assessment and the treatment start, and closes it as a planned completion with a note for
their organisation; the officer then sees the outcome without clinical detail (nor the
note) and has an alert. A caseworker of another provider gets "not found". Every page fits
a 375 px screen (``check_page``). Fields are found by their names so the same steps run in
both languages; the texts checked are the catalogue's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

CLINICAL_NOTE = "Ongoing low mood; GP letter requested"
CLOSING_NOTE = "Finished the course; methadone reduced to 10 mg"


def _t(text: Any, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _world() -> Any:
    from django.apps import apps as django_apps
    from tests.factories import county

    from pontio.directory.demo import seed_directory
    from pontio.people.models import Address, Person, Phone
    from pontio.referrals.codes import load_codes

    # Live-server tests flush the database between tests, which removes the reason codes
    # the data migration loaded; load them again the same way.
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
    """The form's main button (not "Save and come back later", which keeps a draft)."""
    buttons = page.locator("main form[method=post] button[type=submit]:not([name=save_draft])")
    follow(page, buttons.last)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _open(page: Page, href: str) -> None:
    follow(page, page.locator(f'main a[href="{href}"]').first)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_whole_referral_loop(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.directory.models import Service, Substance
    from pontio.people.models import ConsentRecord
    from pontio.referrals.models import Referral, Status

    person = _world()
    today = timezone.localdate()

    # 1. The officer refers, and cannot send without a way to contact the person.
    _sign_in_as(page, "officer", language)
    page.goto(f"/people/{person.pk}/")
    check_page()
    _open(page, f"/referrals/new/{person.pk}/")
    check_page()
    page.locator("input[name=pathway][value=voluntary]").check()
    page.locator("#id_reason").fill("Asked for help with cocaine after a welfare check.")
    cocaine = Substance.objects.get(code="cocaine")
    page.locator(f"input[name=substances][value='{cocaine.pk}']").check()
    page.locator("input[name=consent_given][value=yes]").check()
    page.locator("input[name=contact_channels][value=phone]").check()
    page.locator("#id_contact_phone").fill("")
    for field in ("address_line_1", "address_town", "address_postcode"):
        page.locator(f"#id_{field}").fill("")
    _submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        _t("You chose phone or text: enter a phone number", language)
    )
    check_page()
    assert not Referral.objects.exists()
    page.locator("#id_contact_phone").fill("07700 900123")
    _submit(page)
    llanelli = Service.objects.get(name="DDAS Llanelli")
    expect(page.locator("input[name=service]:checked")).to_have_attribute("value", str(llanelli.pk))
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        llanelli.name_cy if language == "cy" else llanelli.name
    )
    check_page()
    _submit(page)
    referral = Referral.objects.get()
    assert referral.service == llanelli
    assert page.url.endswith(f"/referrals/{referral.pk}/")
    assert "Bowen" not in page.url
    expect(page.locator("main")).to_contain_text(_t(Status.REQUESTED.label, language))
    provider = referral.provider
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        provider.name_cy if language == "cy" else provider.name
    )
    check_page()
    # The consent recorded with the referral is on the person's page.
    page.goto(f"/people/{person.pk}/")
    expect(page.locator("main")).to_contain_text(_t(ConsentRecord.Purpose.REFERRAL.label, language))
    check_page()

    # 2. The caseworker finds it from their home page and works it.
    _sign_in_as(page, "caseworker", language)
    page.goto("/")
    check_page()
    follow(page, page.locator('main a[href="/referrals/?status=requested"]'))
    check_page()
    _open(page, f"/referrals/{referral.pk}/")
    check_page()
    follow(page, page.locator(f'form[action="/referrals/{referral.pk}/accept/"] button'))
    check_page()
    referral.refresh_from_db()
    assert referral.allocated_to is not None and referral.allocated_to.username == "caseworker"
    for outcome in ("no_answer", "spoke"):
        _open(page, f"/referrals/{referral.pk}/contact-attempts/new/")
        _date(page, "on", today)
        page.locator("#id_time").fill("00:01")
        page.locator("input[name=channel][value=phone]").check()
        page.locator(f"input[name=outcome][value={outcome}]").check()
        _submit(page)
        check_page()
    _open(page, f"/referrals/{referral.pk}/appointments/new/")
    check_page()
    page.locator("input[name=kind][value=assessment]").check()
    _date(page, "on", today)
    page.locator("#id_time").fill("00:02")
    page.locator("#id_place").fill("Llanelli hub")
    _submit(page)
    follow(page, page.locator("button[name=attendance][value=attended]"))
    check_page()
    for stage, days in (("start", "12"), ("review", "3")):
        _open(page, f"/referrals/{referral.pk}/top/new/")
        page.locator(f"input[name=stage][value={stage}]").check()
        _date(page, "interview_date", today)
        page.locator("#id_main_substance").select_option("cocaine")
        page.locator("#id_cocaine_days").fill(days)
        page.locator("#id_quality_of_life").fill("9" if stage == "start" else "14")
        _submit(page)
        check_page()
    for kind in ("assessment", "treatment_start"):
        _open(page, f"/referrals/{referral.pk}/clinical/new/")
        page.locator(f"input[name=kind][value={kind}]").check()
        _date(page, "on", today)
        page.locator("#id_notes").fill(CLINICAL_NOTE)
        _submit(page)
        check_page()
    _open(page, f"/referrals/{referral.pk}/close/")
    check_page()
    page.locator("input[name=code][value=CLO_PLANNED_COMPLETE]").check()
    # The end-of-service summary for the police (required once the work has started).
    page.locator("input[name=outcome_against_reason][value=achieved]").check()
    page.locator("#id_outcome_summary").fill("Finished the programme.")
    page.locator("#id_reason").fill(CLOSING_NOTE)
    _submit(page)
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    expect(page.locator("main")).to_contain_text(_t(Status.COMPLETED.label, language))
    check_page()

    # 3. The officer sees the outcome and an alert, and no clinical detail.
    _sign_in_as(page, "officer", language)
    page.goto("/referrals/alerts/")
    expect(page.locator("main")).to_contain_text(referral.reference)
    check_page()
    page.goto(f"/referrals/{referral.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(_t(Status.COMPLETED.label, language))
    expect(main).to_contain_text(
        referral.status_code.label_cy if language == "cy" else referral.status_code.label_en
    )
    expect(main).not_to_contain_text(CLINICAL_NOTE)
    expect(main).not_to_contain_text(CLOSING_NOTE)
    check_page()
    api = page.request.get(f"/api/v1/referrals/{referral.pk}/")
    assert api.status == 200 and CLOSING_NOTE not in api.text()

    # 13. A caseworker of another provider gets "not found", by page and by API.
    _sign_in_as(page, "powys.caseworker", language)
    response = page.goto(f"/referrals/{referral.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Bowen")
    api = page.request.get(f"/api/v1/referrals/{referral.pk}/")
    assert api.status == 404
    assert "Bowen" not in api.text()


def test_every_referral_page_fits_a_phone(page: Page, demo_users: Any, check_page: Any) -> None:
    """Pages the loop above does not reach, each checked at 375 px (and with axe): the
    police's alerts, withdrawal and re-sending, the provider's forms, allocation, and the
    figures, which the analyst reaches from the navigation."""
    from pontio.accounts.models import User
    from pontio.audit.services import AuditContext
    from pontio.directory.models import Substance
    from pontio.referrals import services
    from pontio.referrals.contact import ContactRoute
    from pontio.referrals.models import Status

    person = _world()
    users = {
        u.username: u for u in User.objects.filter(username__in=[d.username for d in demo_users])
    }
    context = AuditContext.system("e2e")
    data = services.ReferralData(
        pathway="voluntary",
        reason="Asked for help with cocaine after a welfare check.",
        substances=(Substance.objects.get(code="cocaine"),),
        consent_given=True,
        contact=ContactRoute(phone="07700 900123", channels=["phone"]),
    )
    made = [
        services.referral_create(
            context=context, actor=users["officer"], person_id=person.pk, data=data
        )[0]
        for _ in range(2)
    ]
    rejected = services.referral_transition(
        context=context,
        actor=users["caseworker"],
        referral_id=made[1].pk,
        expected_version=made[1].version,
        to_status=Status.REJECTED,
        code="REJ_NEEDS_NOT_MET",
        reason="We cannot offer a Welsh-speaking worker this month.",
    )
    open_one = made[0]

    _sign_in_as(page, "officer", "en")
    for url in (
        "/referrals/",
        "/referrals/alerts/",
        f"/referrals/{rejected.pk}/",
        f"/referrals/{rejected.pk}/resend/",
        f"/referrals/{open_one.pk}/withdraw/",
        f"/people/{person.pk}/",
        f"/referrals/new/{person.pk}/",
    ):
        page.goto(url)
        check_page()

    _sign_in_as(page, "caseworker", "cy")
    page.goto(f"/referrals/{open_one.pk}/")
    follow(page, page.locator(f'form[action="/referrals/{open_one.pk}/accept/"] button'))
    for part in (
        "hold",
        "close",
        "contact-attempts/new",
        "appointments/new",
        "clinical/new",
        "top/new",
    ):
        page.goto(f"/referrals/{open_one.pk}/{part}/")
        check_page()

    _sign_in_as(page, "provider.manager", "en")
    for url in (f"/referrals/{open_one.pk}/allocate/", "/referrals/metrics/totals/"):
        page.goto(url)
        check_page()

    _sign_in_as(page, "analyst", "cy")
    follow(page, page.locator("a.govuk-service-navigation__link[href='/referrals/metrics/']"))
    expect(page.locator("a.govuk-service-navigation__link[aria-current=page]")).to_have_attribute(
        "href", "/referrals/metrics/"
    )
    check_page()
