"""The journeys of ../shared/JOURNEYS.md walked on the demo data, as ``make demo`` seeds it.

The other browser tests build their own small worlds; this one runs the real ``seed_demo``
in the live server's database and walks journeys 1, 2, 13, 12, 3, 4, 5, 6, 7, 11, 18, 14,
15, 16, 8, 9, 10 and 17 the way a tester would from the README, in English and in Welsh:
signing in through the forms (the language chosen on the sign-in page), finding people and
records through the pages, never by typing an address a user could not know. Every page is
checked with axe and at 375 px (``check_page``). Fields are found by their names, so the
same steps run in both languages; the texts checked are the catalogue's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from tests.e2e.conftest import PHONE_WIDTH, demo_code, follow
from tests.e2e.test_intelligence import _grade, _public_submission, _status

pytestmark = pytest.mark.e2e

CLINICAL_NOTE = "Low mood; GP letter requested"
CLOSING_NOTE = "Completed the programme; no cocaine use for six weeks"


def _t(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _seed_demo() -> None:
    """``make demo``'s seed, after putting back what the data migrations load (the
    live-server flush between tests removes it)."""
    import importlib

    from django.apps import apps
    from django.core.management import call_command

    from pontio.referrals.codes import load_codes

    importlib.import_module("pontio.core.migrations.0002_counties").load(apps, None)
    importlib.import_module("pontio.directory.migrations.0002_substances").seed(apps, None)
    load_codes(apps, None)
    from pontio.custody.reference import load_all

    load_all()
    call_command("seed_demo", verbosity=0)


def _sign_in(page: Page, username: str, language: str) -> None:
    """Sign in through the forms, choosing the language on the sign-in page as a user does
    (the choice is kept through sign-in)."""
    from pontio.accounts.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto("/sign-in/")
    if language == "cy":
        follow(page, page.locator("a.govuk-language-navigation__link[lang=cy]"))
        expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    _submit(page)
    assert urlsplit(page.url).path == "/sign-in/code/", page.url
    page.locator("input[name=code]").fill(demo_code(username))
    _submit(page)
    assert urlsplit(page.url).path == "/", page.url
    if page.locator("html").get_attribute("lang") != language:
        # A saved preference (the demo inspector's is Welsh) wins over the page's default;
        # the user switches with the header's link.
        follow(page, page.locator(f"a.govuk-language-navigation__link[lang={language}]"))
    expect(page.locator("html")).to_have_attribute("lang", language)


def _submit(page: Page) -> None:
    follow(page, page.locator("main form[method=post] button[type=submit]").last)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _open(page: Page, href: str) -> None:
    follow(page, page.locator(f'main a[href="{href}"]').first)


def _nav(page: Page, href: str) -> None:
    follow(page, page.locator(f"a.govuk-service-navigation__link[href='{href}']"))


def _journey_1_officer_refers(page: Page, check_page: Any, language: str) -> Any:
    """The officer finds Ffion Bowen, sees the likely duplicate, and refers her: the
    proposal is DDAS Llanelli, the service nearest her, with why."""
    from pontio.directory.models import Service, Substance
    from pontio.people.models import ConsentRecord, Person
    from pontio.referrals.models import Referral, Status

    ffion, duplicate = Person.objects.filter(given_name="Ffion", family_name="Bowen").order_by(
        "date_of_birth"
    )
    _sign_in(page, "officer", language)
    check_page()
    _nav(page, "/people/")
    page.locator("#id_name").fill("Ffion Bowen")
    _submit(page)
    assert "Bowen" not in page.url
    check_page()
    _open(page, f"/people/{ffion.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(_t("Possible duplicates", language))
    expect(main.locator(f'a[href="/people/{duplicate.pk}/"]').first).to_be_visible()
    check_page()
    _open(page, f"/referrals/new/{ffion.pk}/")
    # The phone on her record is already the contact route.
    expect(page.locator("#id_contact_phone")).not_to_have_value("")
    check_page()
    page.locator("input[name=pathway][value=voluntary]").check()
    page.locator("#id_reason").fill("Asked for help with cocaine after a welfare check.")
    cocaine = Substance.objects.get(code="cocaine")
    page.locator(f"input[name=substances][value='{cocaine.pk}']").check()
    page.locator("input[name=consent_given][value=yes]").check()
    page.locator("input[name=contact_channels][value=phone]").check()
    # "Continue" (the other button saves a draft to come back to later).
    follow(page, page.locator("main form[method=post] button[type=submit]:not([name])").last)
    llanelli = Service.objects.get(name="DDAS Llanelli")
    expect(page.locator("input[name=service]:checked")).to_have_attribute("value", str(llanelli.pk))
    check_page()
    _submit(page)
    referral = Referral.objects.get(person=ffion)
    assert (referral.service, referral.status) == (llanelli, Status.REQUESTED)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        referral.provider.name_cy if language == "cy" else referral.provider.name
    )
    check_page()
    page.goto(f"/people/{ffion.pk}/")
    expect(page.locator("main")).to_contain_text(_t(ConsentRecord.Purpose.REFERRAL.label, language))
    return referral


def _journey_2_provider_works_it(page: Page, check_page: Any, language: str) -> Any:
    """The DDAS caseworker finds Gethin Rowlands's new referral from her home page, accepts
    it (it is then hers), works it to a planned completion; the officer sees the outcome
    without the clinical detail or the note kept for the provider."""
    from pontio.referrals.models import Referral, Status

    referral = Referral.objects.get(
        person__given_name="Gethin", person__family_name="Rowlands", status=Status.REQUESTED
    )
    today = timezone.localdate()
    _sign_in(page, "caseworker", language)
    check_page()
    follow(page, page.locator('main a[href="/referrals/?status=requested"]'))
    expect(page.locator("main")).to_contain_text(referral.reference)
    check_page()
    _open(page, f"/referrals/{referral.pk}/")
    check_page()
    follow(page, page.locator(f'form[action="/referrals/{referral.pk}/accept/"] button'))
    referral.refresh_from_db()
    assert referral.allocated_to is not None and referral.allocated_to.username == "caseworker"
    check_page()
    for minute, outcome in ((1, "no_answer"), (2, "spoke")):
        _open(page, f"/referrals/{referral.pk}/contact-attempts/new/")
        _date(page, "on", today)
        page.locator("#id_time").fill(f"00:0{minute}")
        page.locator("input[name=channel][value=phone]").check()
        page.locator(f"input[name=outcome][value={outcome}]").check()
        _submit(page)
    check_page()
    _open(page, f"/referrals/{referral.pk}/appointments/new/")
    page.locator("input[name=kind][value=assessment]").check()
    _date(page, "on", today)
    page.locator("#id_time").fill("00:03")
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
    check_page()

    _sign_in(page, "officer", language)
    _open(page, "/referrals/alerts/")
    expect(page.locator("main")).to_contain_text(referral.reference)
    check_page()
    page.goto(f"/referrals/{referral.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(_t(Status.COMPLETED.label, language))
    expect(main).not_to_contain_text(CLINICAL_NOTE)
    expect(main).not_to_contain_text(CLOSING_NOTE)
    check_page()
    return referral


def _journey_13_other_provider(page: Page, referral: Any, language: str) -> None:
    """The Kaleidoscope caseworker tries Gethin Rowlands's referral by its address and
    through the API: "not found" both ways, and nothing about him."""
    _sign_in(page, "powys.caseworker", language)
    response = page.goto(f"/referrals/{referral.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Rowlands")
    api = page.request.get(f"/api/v1/referrals/{referral.pk}/")
    assert api.status == 404 and "Rowlands" not in api.text()
    listed = page.request.get("/api/v1/referrals/?search=Rowlands&limit=5")
    assert listed.status == 200 and "Rowlands" not in listed.text()


def _journey_12_auditor(page: Page, check_page: Any, language: str) -> None:
    """The auditor finds Gethin Rowlands by name and date of birth, reads his history with
    the Kaleidoscope caseworker's denied attempt, exports it and verifies the log."""
    from pontio.accounts.models import User
    from pontio.audit.models import AuditEvent
    from pontio.people.models import Person

    gethin = Person.objects.get(given_name="Gethin", family_name="Rowlands")
    other = User.objects.get(username="powys.caseworker")
    _sign_in(page, "auditor", language)
    _nav(page, "/audit/")
    check_page()
    page.locator("#id_text").fill("Gethin Rowlands")
    _date(page, "date_of_birth", gethin.date_of_birth)
    follow(page, page.locator("main form[method=post] button[type=submit]").first)
    assert "Rowlands" not in page.url
    check_page()
    _open(page, f"/audit/?person_id={gethin.pk}")
    denied = page.locator("table.govuk-table tbody tr", has_text=other.get_full_name())
    expect(denied.first).to_contain_text(_t("Access denied", language))
    check_page()
    with page.expect_download() as download:
        page.locator('main a[href^="/audit/export.csv"]').first.click()
    assert download.value.path().read_text(encoding="utf-8").count("\n") > 1
    assert AuditEvent.objects.filter(action="export", actor_id__isnull=False).exists()
    page.goto("/audit/verify/")
    follow(page, page.locator("main form[method=post] button[type=submit]").first)
    page.reload()
    expect(page.locator("main table .govuk-tag--green").first).to_be_visible()
    expect(page.locator("main table .govuk-tag--red")).to_have_count(0)
    check_page()


def _pdf_text(page: Page, href: str) -> str:
    import io
    from pathlib import Path

    from pypdf import PdfReader

    with page.expect_download() as download_info:
        page.locator(f'main a[href="{href}"]').first.click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages
    )


def _journey_3_custody(page: Page, check_page: Any, language: str) -> None:
    """The custody sergeant takes the detainee booked today at Llanelli from the test to a
    required assessment (the RA1 notice in Welsh and English, the referral made without a
    second form); the demo inspector decides the authorisation waiting for them; the
    sergeant decides an open failure-to-attend task, with its prefilled statement."""
    from pontio.accounts.models import User
    from pontio.custody.demo import WALK_AUTHORISATION, WALK_TODAY
    from pontio.custody.models import BreachTask, CustodyRecord, InspectorAuthorisation, Notice
    from pontio.referrals.models import Pathway

    record = CustodyRecord.objects.get(custody_number=WALK_TODAY)
    _sign_in(page, "custody.sergeant", language)
    _nav(page, "/custody/")
    check_page()
    _open(page, f"/custody/{record.pk}/")
    expect(page.locator("main")).to_contain_text(_t("the person may be tested, because:", language))
    check_page()
    _open(page, f"/custody/{record.pk}/test/")
    page.locator("input[name=stage][value=arrest]").check()
    page.locator("input[name=warning_given]").check()
    _submit(page)
    _open(page, f"/custody/{record.pk}/test/outcome/")
    page.locator("input[name=outcome][value=sample_taken]").check()
    _submit(page)
    _open(page, f"/custody/{record.pk}/test/result/")
    page.locator("input[name=result][value=cocaine]").check()
    _submit(page)
    check_page()
    _open(page, f"/custody/{record.pk}/assessment/")
    check_page()
    day = timezone.localdate() + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    _date(page, "on", day)
    page.locator("#id_time").fill("10:30")
    page.locator("#id_appointment_place").fill("DDAS, 1 Stepney Street, Llanelli")
    _submit(page)
    record.refresh_from_db()
    assessment = record.assessment
    assert assessment.referral is not None
    assert assessment.referral.pathway == Pathway.TEST_ON_ARREST
    expect(page.locator(f'main a[href="/referrals/{assessment.referral_id}/"]')).to_have_count(1)
    check_page()
    notice = Notice.objects.get(assessment=assessment, kind="RA1")
    text = _pdf_text(page, f"/custody/notices/{notice.pk}/")
    for lang in ("en", "cy"):
        assert _t("Requirement to attend an initial assessment", lang) in text

    sergeant = User.objects.get(username="custody.sergeant")
    task = (
        BreachTask.objects.filter(decision="", county_id__in=sergeant.county_ids)
        .order_by("due_on", "pk")
        .first()
    )
    assert task is not None, "the demo leaves the sergeant a failure to decide"
    page.goto("/custody/breaches/")
    check_page()
    _open(page, f"/custody/breaches/{task.pk}/")
    check_page()
    assert task.assessment.record.custody_number in _pdf_text(
        page, f"/custody/notices/{task.statement_id}/"
    )
    page.locator("input[name=decision][value=nfa]").check()
    page.locator("#id_reason").fill("Went to the next appointment the same week.")
    _submit(page)
    task.refresh_from_db()
    assert task.decision == "nfa"
    check_page()

    waiting = InspectorAuthorisation.objects.get(
        record__custody_number=WALK_AUTHORISATION, state="pending"
    )
    _sign_in(page, "inspector", language)
    _nav(page, "/custody/authorisations/")
    check_page()
    _open(page, f"/custody/authorisations/{waiting.pk}/")
    check_page()
    page.locator("input[name=decision][value=grant]").check()
    page.locator("#id_grounds").fill(
        "Found with foil and a straw; says he steals to pay for crack cocaine."
    )
    page.locator("input[name=oral][value=written]").check()
    _submit(page)
    waiting.refresh_from_db()
    assert waiting.state == "granted"
    check_page()
    _nav(page, "/custody/funnel/")
    check_page()


def _journey_4_stop_and_search(page: Page, check_page: Any, language: str) -> None:
    """On a phone, the officer opens last week's Stepney Street search, adds the drug
    analysis outcome, adds the man searched as a new person, and starts a referral in one
    click."""
    from pontio.people.models import Person
    from pontio.stopsearch.demo.journeys import JOURNEY_4
    from pontio.stopsearch.models import StopSearch

    search = StopSearch.objects.get(idempotency_key=JOURNEY_4)
    assert search.person_id is None
    _sign_in(page, "officer", language)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto("/stop-search/")
    check_page()
    _open(page, f"/stop-search/{search.pk}/")
    expect(page.locator("main")).to_contain_text(_t("No, nothing was found", language))
    check_page()
    _open(page, f"/stop-search/{search.pk}/outcome/")
    page.locator("input[name=kind][value=drug_analysis]").check()
    page.locator("input[name=outcome][value=summons]").check()
    page.locator("input[name=linked_to_object][value=yes]").check()
    _date(page, "decided_on", timezone.localdate())
    page.locator("#id_reason").fill("Laboratory confirmed cannabis resin, 14 g")
    _submit(page)
    search.refresh_from_db()
    assert (search.original_outcome, search.current_outcome) == ("nfa", "summons")
    expect(page.locator("main")).to_contain_text("Laboratory confirmed cannabis resin, 14 g")
    check_page()
    _open(page, f"/stop-search/{search.pk}/person/")
    page.locator("#id_given_name").fill("Cai")
    page.locator("#id_family_name").fill("Pritchard")
    _date(page, "date_of_birth", dt.date(2004, 8, 14))
    follow(page, page.locator("main form:has(input[name=step][value=find]) button"))
    assert "Pritchard" not in page.url
    check_page()
    follow(page, page.locator("main form:has(input[name=step][value=add]) button"))
    search.refresh_from_db()
    person = Person.objects.get(given_name="Cai", family_name="Pritchard")
    assert search.person_id == person.pk
    check_page()
    follow(page, page.locator(f'main a[href^="/referrals/new/{person.pk}/"]'))
    expect(page.locator("input[name=pathway][value=stop_search]")).to_be_checked()
    expect(page.locator("#id_source_reference")).to_have_value(search.reference)
    check_page()
    page.set_viewport_size({"width": 1280, "height": 900})


def _journey_5_inspector(page: Page, check_page: Any, language: str) -> None:
    """The inspector sees last month's drawn sample with its seed, completes an open review
    and sees the escalated ones."""
    from pontio.accounts.models import User
    from pontio.stopsearch.models import AuditSample, SearchReview

    inspector = User.objects.get(username="inspector")
    sample = AuditSample.objects.filter(county_id__in=inspector.county_ids).latest("month")
    review = (
        SearchReview.objects.filter(kind="inspector", reviewer=inspector, completed_at__isnull=True)
        .order_by("-due_on", "pk")
        .first()
    )
    assert review is not None, "the demo leaves the inspector a review to do"
    _sign_in(page, "inspector", language)
    page.goto("/stop-search/audit/")
    expect(page.locator("main")).to_contain_text(str(sample.seed))
    check_page()
    page.goto("/stop-search/reviews/")
    expect(page.locator("main .govuk-tag--red").first).to_be_visible()  # escalated
    check_page()
    _open(page, f"/stop-search/reviews/{review.pk}/")
    check_page()
    for name in ("grounds_reasonable", "record_complete", "conduct_proportionate"):
        page.locator(f"input[name={name}][value=yes]").check()
    _submit(page)
    review.refresh_from_db()
    assert review.completed_at is not None
    check_page()
    page.goto(f"/stop-search/reviews/{review.pk}/")
    for label in ("Grounds reasonable", "Record complete", "Conduct proportionate"):
        expect(page.locator("main")).to_contain_text(_t(label, language))
    check_page()


def _journey_6_panel(page: Page, check_page: Any, language: str) -> None:
    """The panel member completes an assigned review with the body-worn video reference
    shown, and cannot open the named record."""
    from pontio.stopsearch.models import SearchReview

    review = (
        SearchReview.objects.filter(
            kind="panel", reviewer__username="panel", completed_at__isnull=True
        )
        .select_related("search")
        .order_by("pk")
        .first()
    )
    assert review is not None, "the demo leaves the panel a review to do"
    _sign_in(page, "panel", language)
    page.goto("/stop-search/panel/")
    check_page()
    _open(page, f"/stop-search/panel/{review.pk}/")
    expect(page.locator("#body-worn-video")).to_have_text(review.search.body_worn_video)
    expect(page.locator("main")).not_to_contain_text(review.search.reference)
    check_page()
    page.locator("#id_video_notes").fill("Calm; the grounds were explained before the search.")
    page.locator("input[name=judgement][value=appropriate]").check()
    _submit(page)
    review.refresh_from_db()
    assert review.judgement == "appropriate"
    check_page()
    response = page.goto(f"/stop-search/{review.search_id}/")
    assert response is not None and response.status in (403, 404)


def _journey_7_disposal(page: Page, check_page: Any, language: str) -> None:
    """The sergeant authorises a seeded conditional caution from the home page, prints the
    agreement and records it signed; the navigator scores a referred contract and agrees it;
    the panel member judges a sampled disposal, anonymised, and cannot open it."""
    from pontio.disposals.models import Disposal, DiversionContract, PanelReview

    _sign_in(page, "custody.sergeant", language)
    waiting = "/disposals/?state=awaiting_authorisation"
    _open(page, waiting)
    check_page()
    disposal = (
        Disposal.objects.filter(state="awaiting_authorisation", county__ons_code="W06000010")
        .order_by("-decided_at")
        .first()
    )
    assert disposal is not None, "the demo leaves a disposal awaiting authorisation"
    _open(page, f"/disposals/{disposal.pk}/")
    check_page()
    follow(page, page.locator(f'main form[action="/disposals/{disposal.pk}/authorise/"] button'))
    check_page()
    response = page.request.get(f"/disposals/{disposal.pk}/agreement.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    follow(page, page.locator(f'main form[action="/disposals/{disposal.pk}/sign/"] button'))
    check_page()
    disposal.refresh_from_db()
    assert disposal.state == "active"

    contract = DiversionContract.objects.filter(state="referred").order_by("pk").first()
    assert contract is not None, "the demo leaves a contract to start"
    _sign_in(page, "navigator", language)
    page.goto("/disposals/diversion/?tab=all")
    check_page()
    _open(page, f"/disposals/diversion/{contract.pk}/")
    check_page()
    needs = page.locator(f'main form[action="/disposals/diversion/{contract.pk}/needs/"]')
    needs.locator("select[name=drugs]").select_option("3")
    needs.locator("select[name=housing]").select_option("2")
    follow(page, needs.locator("button[type=submit]"))
    check_page()
    agree = page.locator(f'main form[action="/disposals/diversion/{contract.pk}/agree/"]')
    agree.locator("select[name=kind_1]").select_option("no_reoffending")
    agree.locator("#id_description_1").fill("Commit no further offence.")
    follow(page, agree.locator("button[type=submit]"))
    check_page()
    contract.refresh_from_db()
    assert contract.state == "active"

    review = (
        PanelReview.objects.filter(reviewer__username="panel", reviewed_at__isnull=True)
        .select_related("disposal__person")
        .order_by("pk")
        .first()
    )
    assert review is not None, "the demo leaves the panel a disposal to review"
    _sign_in(page, "panel", language)
    page.goto("/disposals/panel/")
    check_page()
    _open(page, f"/disposals/panel/reviews/{review.pk}/")
    check_page()
    main = page.locator("main")
    expect(main).not_to_contain_text(review.disposal.person.family_name)
    expect(main).not_to_contain_text(review.disposal.reference)
    page.locator("input[name=judgement][value=appropriate]").check()
    _submit(page)
    check_page()
    review.refresh_from_db()
    assert review.judgement == "appropriate"
    response = page.goto(f"/disposals/{review.disposal_id}/")
    assert response is not None and response.status in (403, 404)


def _journey_duplicates(page: Page, check_page: Any, language: str) -> None:
    """The administrator sees the matching model and the demo's first run; the custody
    sergeant opens a group of possible duplicates, merges it and undoes the merge."""
    from pontio.people.models import DuplicateCluster

    _sign_in(page, "admin", language)
    _nav(page, "/people/matching/")
    expect(page.locator("h1")).to_have_text(_t("Person matching", language))
    check_page()
    _sign_in(page, "custody.sergeant", language)
    _open(page, "/people/duplicates/")
    expect(page.locator("h1")).to_have_text(_t("Possible duplicates", language))
    check_page()
    group = page.locator("main table a[href^='/people/duplicates/']").first
    href = group.get_attribute("href") or ""
    follow(page, group)
    check_page()
    page.locator("input[name=merge-survivor]").first.check()
    page.locator("textarea[name=merge-reason]").fill("Same person: checked with the custody record")
    follow(page, page.locator("form:has(input[value=merge]) button[type=submit]"))
    cluster = DuplicateCluster.objects.get(pk=int(href.rstrip("/").rsplit("/", 1)[1]))
    assert cluster.status == DuplicateCluster.Status.MERGED
    check_page()
    page.locator("textarea[name=decision-reason]").fill("Reviewed again: two different people")
    follow(page, page.locator("form:has(input[value=undo]) button[type=submit]"))
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.UNDONE
    check_page()


CONCERN = "He said he is being made to sell"
NEW_PHONE = "07700 900654"
DDAS = "Dyfed Drug and Alcohol Service"


def _journey_referral() -> Any:
    """Megan Harries's referral from the officer to DDAS (journeys 14 and 15): journey 2
    closed Gethin Rowlands's, hers is still open."""
    from pontio.referrals.models import OPEN, Referral

    referral = (
        Referral.objects.filter(
            person__given_name="Megan",
            person__family_name="Harries",
            referred_by__username="officer",
            provider__name=DDAS,
            status__in=OPEN,
        )
        .select_related("person")
        .order_by("-sent_at", "-pk")
        .first()
    )
    assert referral is not None, "the demo's referral of Megan Harries is open"
    return referral


def _journey_14_concern_and_amendment(page: Page, check_page: Any, language: str) -> Any:
    """The DDAS caseworker raises a concern on Megan Harries's new referral; the officer sees
    it on their home page, acknowledges it and corrects the phone number on the referral; the
    caseworker sees the phone number before and after in the changelog."""
    from pontio.referrals.models import CaseNote, Referral, Status

    referral = _journey_referral()
    assert referral.status == Status.REQUESTED
    detail = f"/referrals/{referral.pk}/"
    _sign_in(page, "caseworker", language)
    follow(page, page.locator('main a[href="/referrals/?status=requested"]'))
    _open(page, detail)
    follow(page, page.locator(f'main a[href="{detail}notes/new/"]'))
    check_page()
    page.locator("input[name=category][value=concern]").check()
    page.locator("textarea[name=text]").fill(CONCERN)
    follow(page, page.locator("main form:has(textarea[name=text]) button[type=submit]"))
    assert urlsplit(page.url).path == detail, page.url
    note = CaseNote.objects.get(referral=referral, text=CONCERN)
    assert note.is_open_concern
    expect(page.locator(f"#note-{note.pk}")).to_contain_text(CONCERN)
    check_page()

    _sign_in(page, "officer", language)
    link = page.locator(f"main a[href='{detail}#note-{note.pk}']")
    expect(link).to_contain_text(referral.reference)
    check_page()
    follow(page, link)
    expect(page.locator(f"#note-{note.pk}")).to_contain_text(CONCERN)
    check_page()
    follow(page, page.locator(f"#note-{note.pk} form button[type=submit]"))
    note.refresh_from_db()
    assert note.acknowledged_at is not None
    expect(page.locator(f"#note-{note.pk} form")).to_have_count(0)
    check_page()
    follow(page, page.locator(f"main a[href='{detail}amend/']"))
    phone = page.locator("input[name=contact_phone]")
    before = phone.input_value()
    assert before and before != NEW_PHONE
    check_page()
    phone.fill(NEW_PHONE)
    page.locator("textarea[name=reason]").fill("She gave a new mobile number at the station.")
    follow(page, page.locator("main form:has(input[name=contact_phone]) button[type=submit]"))
    assert urlsplit(page.url).path == detail, page.url
    assert Referral.objects.get(pk=referral.pk).contact_phone == "+447700900654"
    check_page()

    _sign_in(page, "caseworker", language)
    page.goto(detail)  # the link in the email telling her of the amendment
    changelog = page.locator("#amendments ~ table").first
    expect(changelog).to_contain_text(before)
    expect(changelog).to_contain_text(NEW_PHONE)
    check_page()
    return referral


def _journey_15_transfer(page: Page, check_page: Any, language: str, referral: Any) -> None:
    """Megan Harries moves to Newtown: the officer adds her new address to her record; the
    DDAS caseworker accepts the referral and proposes a transfer to Kaleidoscope Newtown; the
    Kaleidoscope caseworker accepts it from the list of transfers; the officer sees the move
    on the old referral and opens the new one."""
    from pontio.core.models import County
    from pontio.directory.models import Service
    from pontio.people.models import Address
    from pontio.referrals.models import Referral, Status, Transfer

    person = referral.person
    detail = f"/referrals/{referral.pk}/"
    powys = County.objects.get(ons_code="W06000023")
    target = Service.objects.get(name="Kaleidoscope Newtown")

    _sign_in(page, "officer", language)
    page.goto(detail)
    _open(page, f"/people/{person.pk}/")
    _open(page, f"/people/{person.pk}/addresses/new/")
    check_page()
    page.locator("#id_line_1").fill("8 Broad Street")
    page.locator("#id_town").fill("Newtown")
    page.locator("#id_county").select_option(str(powys.pk))
    page.locator("#id_postcode").fill("SY16 2LU")
    _date(page, "valid_from", timezone.localdate())
    follow(page, page.locator("main form:has(input[name=line_1]) button[type=submit]"))
    assert Address.objects.filter(person=person, valid_to=None, county=powys).exists()
    # She is no longer in the officer's county: back to the search, told why.
    assert urlsplit(page.url).path == "/people/", page.url
    check_page()

    _sign_in(page, "caseworker", language)
    page.goto(detail)
    follow(page, page.locator(f'form[action="{detail}accept/"] button'))
    check_page()
    follow(page, page.locator(f"main a[href='{detail}transfer/']"))
    check_page()
    page.locator(f"input[name=service][value='{target.pk}']").check()
    page.locator("textarea[name=reason]").fill("Moved to Newtown; asks to be supported there.")
    follow(page, page.locator("main form[novalidate] button[type=submit]").first)
    assert urlsplit(page.url).path == detail, page.url
    transfer = Transfer.objects.get(referral=referral, state=Transfer.State.PROPOSED)
    assert transfer.to_service == target
    check_page()

    _sign_in(page, "powys.caseworker", language)
    follow(page, page.locator("main a[href='/referrals/transfers/']").first)
    check_page()
    follow(page, page.locator(f"main a[href='/referrals/transfers/{transfer.pk}/']"))
    expect(page.locator("h1")).to_contain_text("Megan Harries")
    check_page()
    page.locator("input[name=decision][value=accept]").check()
    follow(page, page.locator("main form[novalidate] button[type=submit]").first)
    transfer.refresh_from_db()
    new = transfer.new_referral
    assert transfer.state == Transfer.State.ACCEPTED and new is not None
    assert urlsplit(page.url).path == f"/referrals/{new.pk}/", page.url
    expect(page.locator("main")).to_contain_text(referral.reference)
    check_page()
    assert Referral.objects.get(pk=referral.pk).status == Status.CANCELLED

    _sign_in(page, "officer", language)
    page.goto(detail)  # from the alert telling them of the transfer
    main = page.locator("main")
    moved = main.locator(f"a[href='/referrals/{new.pk}/']").first
    expect(moved).to_contain_text(new.reference)
    # The history is intact: the concern and the amendment are still on the old referral.
    expect(main).to_contain_text(CONCERN)
    expect(main.locator("#amendments ~ table").first).to_contain_text(NEW_PHONE)
    check_page()
    follow(page, moved)
    expect(page.locator("main")).to_contain_text(new.reference)
    expect(page.locator(f"main a[href='{detail}']").first).to_be_visible()
    check_page()


def _journey_16_work_due(page: Page, check_page: Any, language: str) -> None:
    """The DDAS caseworker follows "Work coming due" from her home page: the appointments
    and first contacts falling due in the next working days are listed under their day,
    before they are late (the demo books her an appointment for the next working day)."""
    from pontio.accounts.models import User
    from pontio.referrals import due

    caseworker = User.objects.get(username="caseworker")
    coming = [
        item
        for item in due.due_items(caseworker)
        if item.kind in ("appointment", "first_contact") and not item.overdue
    ]
    assert coming, "the demo leaves the caseworker an appointment or first contact coming due"
    _sign_in(page, "caseworker", language)
    follow(page, page.locator("a[href='/referrals/due/']").first)
    assert urlsplit(page.url).path == "/referrals/due/", page.url
    expect(page.locator("h1")).to_have_text(_t("Work coming due", language))
    with translation.override(language):
        label = coming[0].label
    row = page.locator("main table:not([aria-labelledby='due-overdue']) tr").filter(
        has=page.locator(f"a[href='{coming[0].url}']"), has_text=label
    )
    expect(row.first).to_be_visible()
    check_page()


def _journey_11_commissioners_office(page: Page, check_page: Any, language: str) -> None:
    """The OPCC analyst opens the dashboards (aggregates, suppressed) and the deep dive's
    facts for 2016 to 2018 (journey 18), updates recommendation 3's position from the
    tracker and produces the Panel report as a PDF in Welsh and in English."""
    from pontio.oversight.models import PanelReport, Recommendation

    _sign_in(page, "analyst", language)
    _nav(page, "/oversight/dashboards/")
    check_page()
    expect(page.locator("main .pontio-chart").first).to_be_visible()
    _nav(page, "/oversight/facts/")
    check_page()
    for prefix, day in (("start", dt.date(2016, 1, 1)), ("end", dt.date(2018, 12, 31))):
        page.locator(f"#id_{prefix}_0").fill(str(day.day))
        page.locator(f"#id_{prefix}_1").fill(str(day.month))
        page.locator(f"#id_{prefix}_2").fill(str(day.year))
    follow(page, page.locator("main form[method=get] button[type=submit]"))
    check_page()
    expect(page.locator("main")).to_contain_text("+21%")  # ONS: 271 in 2016, 327 in 2018

    _nav(page, "/oversight/")
    check_page()
    recommendation = Recommendation.objects.get(review__kind="deep_dive", number=3)
    _open(page, f"/oversight/reviews/{recommendation.review_id}/")
    check_page()
    _open(page, f"/oversight/recommendations/{recommendation.pk}/")
    check_page()
    form = page.locator(
        f'main form[action="/oversight/recommendations/{recommendation.pk}/positions/"]'
    )
    page.locator("#id_as_of_0").fill("20")
    page.locator("#id_as_of_1").fill("10")
    page.locator("#id_as_of_2").fill("2019")
    form.locator("input[name=rag][value=green]").check()
    form.locator("#id_text_en").fill("Referral forms now refuse missing contact details.")
    form.locator("#id_text_cy").fill("Mae ffurflenni atgyfeirio'n gwrthod manylion coll.")
    follow(page, form.locator("button[type=submit]"))
    check_page()
    recommendation.refresh_from_db()
    assert recommendation.rag == "green"

    for report_language, heading in (("cy", "Adroddiad cynnydd"), ("en", "Progress report")):
        page.goto(f"/oversight/reviews/{recommendation.review_id}/report/")
        check_page()
        page.locator("#id_as_of_0").fill("25")
        page.locator("#id_as_of_1").fill("10")
        page.locator("#id_as_of_2").fill("2019")
        page.locator(f"input[name=language][value={report_language}]").check()
        follow(page, page.locator("main form[method=get] button[type=submit]"))
        check_page()
        produce = f"/oversight/reviews/{recommendation.review_id}/report/produce/"
        follow(page, page.locator(f'main form[action="{produce}"] button[type=submit]'))
        check_page()
        stored = PanelReport.objects.filter(language=report_language).latest("produced_at")
        response = page.request.get(f"/oversight/reports/{stored.pk}/report.pdf")
        assert response.status == 200 and response.body().startswith(b"%PDF")
        from io import BytesIO

        from pypdf import PdfReader

        text = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(response.body())).pages)
        assert heading in " ".join(text.split())


# --- issue 18: journeys 8, 9, 10 and 17 ---------------------------------------------------


def _journey_8_and_9(page: Page, check_page: Any, language: str) -> None:
    from pontio.intelligence.models import IntelligenceReport
    from pontio.operations.models import Operation

    # 8: the public form (signed out), the reference and secret, the status.
    page.context.clear_cookies()
    reference, secret = _public_submission(
        page, language, check_page, what="Cars stop outside a flat most nights for a minute."
    )
    assert _status(page, reference, secret, check_page)
    report = IntelligenceReport.objects.get(reference=reference)

    # 9: the intelligence officer finds it in the queue among the demo's reports, grades it
    # 2/B/P and links it to the demo operation Merlin from the assessment screen.
    _sign_in(page, "intelligence", language)
    _nav(page, reverse("intelligence:queue"))
    check_page()
    assert page.locator("main table tbody tr").count() > 5  # the demo's reports
    _open(page, reverse("intelligence:assess", args=[report.pk]))
    check_page()
    _grade(page, report.pk, check_page)
    merlin = Operation.objects.get(code_name="Merlin")
    page.goto(reverse("intelligence:assess", args=[report.pk]))
    link_url = reverse("operations:intelligence-link", args=[report.pk])
    link_form = page.locator(f'main form[action="{link_url}"]')
    link_form.locator("select").first.select_option(str(merlin.pk))
    follow(page, link_form.locator("button[type=submit]"))
    check_page()
    expect(page.locator("main")).to_contain_text(merlin.reference)

    # The county pages hold the demo's approved lines, by month.
    page.context.clear_cookies()
    page.goto(reverse("intelligence:community"))
    check_page()
    follow(page, page.locator("main a[href*='/intelligence/you-said-we-did/']").first)
    check_page()
    assert page.locator("main").inner_text().strip()


def _journey_10(page: Page, check_page: Any, language: str) -> None:
    from pontio.operations.models import Operation

    heron = Operation.objects.get(code_name="Heron")
    merlin = Operation.objects.get(code_name="Merlin")
    _sign_in(page, "operations", language)
    _nav(page, reverse("operations:list"))
    check_page()
    _open(page, reverse("operations:detail", args=[merlin.pk]))
    check_page()
    _nav(page, reverse("operations:list"))
    _open(page, reverse("operations:detail", args=[heron.pk]))
    check_page()
    expect(page.locator("#demand")).to_be_visible()

    # The provider sees the forecast on the home page: county, week, number; no code name.
    _sign_in(page, "caseworker", language)
    check_page()
    main = page.locator("main")
    from pontio.core.models import County

    carms = County.objects.get(ons_code="W06000010")
    expect(main).to_contain_text(carms.label_cy if language == "cy" else carms.label_en)
    for secret in ("Merlin", "Heron", merlin.reference):
        assert secret not in main.inner_text()

    # The analyst's dashboards compare the forecast with the referrals made.
    _sign_in(page, "analyst", language)
    _nav(page, reverse("oversight:dashboards"))
    check_page()
    expect(page.locator("#tile-operations-demand")).to_be_visible()
    _nav(page, reverse("oversight:market"))
    check_page()
    expect(page.locator("#tile-drug-market")).to_be_visible()


def _journey_17(page: Page, check_page: Any, language: str) -> None:
    _sign_in(page, "examiner", language)
    _nav(page, reverse("examinations:list"))
    check_page()
    assert page.locator("main table tbody tr").count() > 0  # the demo's requests
    _nav(page, reverse("examinations:capacity"))
    check_page()
    expect(page.locator("main table").first).to_be_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journeys_walked_on_the_demo(
    page: Page, live_server: Any, check_page: Any, language: str
) -> None:
    _seed_demo()
    _journey_1_officer_refers(page, check_page, language)
    referral = _journey_2_provider_works_it(page, check_page, language)
    _journey_13_other_provider(page, referral, language)
    _journey_12_auditor(page, check_page, language)
    _journey_3_custody(page, check_page, language)
    _journey_4_stop_and_search(page, check_page, language)
    _journey_5_inspector(page, check_page, language)
    _journey_6_panel(page, check_page, language)
    _journey_7_disposal(page, check_page, language)
    _journey_11_commissioners_office(page, check_page, language)
    _journey_duplicates(page, check_page, language)
    journey = _journey_14_concern_and_amendment(page, check_page, language)
    _journey_15_transfer(page, check_page, language, journey)
    _journey_16_work_due(page, check_page, language)
    _journey_8_and_9(page, check_page, language)
    _journey_10(page, check_page, language)
    _journey_17(page, check_page, language)
