"""Journey 7 (disposal and diversion) and the disposals half of journey 6 (the panel) in the
browser, in English and in Welsh, with axe and the 375 px check on every page
(``check_page``):

1. a custody sergeant records an admitted offence scored 2 with the victim's views, sees the
   recommended adult conditional caution with its reason, decides it with a rehabilitative
   condition (the diversion scheme) and authorises it; the referral is made with the
   condition, and the Pobl navigator sees it in the caseload;
2. the signed agreement downloads as a bilingual PDF;
3. the navigator scores the nine pathways, agrees the contract, and four months later
   (the clock moved on with time-machine) records lower end scores and completes it;
4. a second case misses a condition and follows the breach route (prosecution);
5. the panel member reviews the quarter's sample, anonymised.

One test walks on a 375 px screen throughout. Fields are found by their names, so the same
steps run in both languages. The pages are found by their URL names; a journey whose pages
are not (yet) in the app is skipped, naming them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
# The pages each journey walks, by URL name (with a stand-in argument to resolve them).
PAGES: dict[str, tuple[str, ...]] = {
    "record": ("disposals:new", "disposals:detail", "disposals:authorise"),
    "agreement": ("disposals:agreement",),
    "contract": (
        "disposals:caseload",
        "disposals:contract",
        "disposals:contract-needs",
        "disposals:contract-agree",
        "disposals:contract-complete",
    ),
    "breach": ("disposals:condition-status", "disposals:breach"),
    "panel": ("disposals:panel", "disposals:panel-review"),
}


def _missing(*journeys: str) -> list[str]:
    missing = []
    for journey in journeys:
        for name in PAGES[journey]:
            try:
                reverse(name)
            except NoReverseMatch:
                try:
                    reverse(name, args=[1])
                except NoReverseMatch:
                    missing.append(name)
    return missing


def _need(*journeys: str) -> None:
    missing = _missing(*journeys)
    if missing:
        pytest.skip("pages not in the app yet: " + ", ".join(missing))


def _t(text: Any, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _sign_in_as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    # Always chosen: some demo users (the navigator) read Pontio in Welsh by default.
    page.goto(f"/language/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _submit(page: Page) -> None:
    follow(page, page.locator("main form[method=post] button[type=submit]").last)


def _choose(page: Page, name: str, value: str) -> None:
    """Pick a value whether the field is radios, checkboxes or a select."""
    box = page.locator(f"input[name={name}][value='{value}']")
    if box.count():
        box.check()
    else:
        page.locator(f"select[name={name}]").select_option(value)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _world(given: str = "Ffion", family: str = "Bowen") -> Any:
    """What a flushed live-server database lacks: the referral codes, the disposals'
    reference data, the directory (with Pobl's diversion service) and the scheme pointed at
    it, and one adult living in Carmarthenshire."""
    from django.apps import apps as django_apps
    from tests.factories import county

    from pontio.directory.demo import seed_directory
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme
    from pontio.people.models import Address, Person, Phone
    from pontio.referrals.codes import load_codes

    load_codes(django_apps, None)
    load_all()
    seed_directory()
    link_scheme()
    person = Person.objects.create(
        given_name=given, family_name=family, date_of_birth=dt.date(1991, 5, 14)
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


def _record_caution(page: Page, check_page: Any, person: Any, language: str, condition: str) -> Any:
    """The sergeant records an admitted theft (base score 2) with the victim's views, reads
    the recommendation and its reason, decides the conditional caution with ``condition``,
    and authorises it. Returns the disposal."""
    from pontio.disposals.models import Disposal, DisposalType, GravityOffence, GravityOutcome

    page.goto(reverse("disposals:new", args=[person.pk]))
    check_page()
    offence = GravityOffence.objects.get(code="theft_other")
    _choose(page, "offence", str(offence.pk))
    _date(page, "offence_date", timezone.localdate() - dt.timedelta(days=3))
    page.locator("#id_offence_summary").fill("Took a bicycle from outside the library.")
    _choose(page, "admission", "admitted")
    page.locator("input[name=evidence_to_charge]").check()
    _choose(page, "victim_views", "recorded")
    page.locator("#id_victim_views_text").fill("Wants the bicycle back and an apology.")
    _submit(page)
    check_page()
    # The recommendation, with its reason: Pontio recommends, the sergeant decides.
    caution = DisposalType.objects.get(code="conditional_caution")
    reason = GravityOutcome.objects.get(score=2)
    main = page.locator("main")
    expect(main).to_contain_text(caution.label_cy if language == "cy" else caution.label_en)
    expect(main).to_contain_text(reason.reason_cy if language == "cy" else reason.reason_en)
    _choose(page, "outcome", "disposal")
    _choose(page, "disposal_type", str(caution.pk))
    page.locator("#id_decision_rationale").fill("Drug use drives the offending.")
    _choose(page, "category", condition)
    page.locator("#id_description").fill("Take part in the scheme and keep its contract.")
    _submit(page)
    check_page()
    disposal = Disposal.objects.get(person=person)
    assert disposal.gravity_score == 2
    assert disposal.recommended_type_id == caution.pk
    page.goto(reverse("disposals:detail", args=[disposal.pk]))
    check_page()
    follow(
        page,
        page.locator(
            f'main form[action="{reverse("disposals:authorise", args=[disposal.pk])}"] button'
        ),
    )
    check_page()
    disposal.refresh_from_db()
    assert disposal.authorised_at is not None
    return disposal


def _pdf_text(page: Page, href: str) -> str:
    from pypdf import PdfReader

    with page.expect_download() as download_info:
        page.locator(f'main a[href="{href}"]').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_7_from_the_decision_to_a_completed_contract(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    _need("record", "agreement", "contract")
    from pontio.disposals.models import DiversionContract, NeedsAssessment
    from pontio.referrals.models import Referral

    person = _world()

    # 1. The sergeant's decision; the referral to the scheme is made with the condition.
    _sign_in_as(page, "custody.sergeant", language)
    disposal = _record_caution(page, check_page, person, language, "diversion_scheme")
    condition = disposal.conditions.get()
    assert condition.kind == "rehabilitative" and condition.referral_id is not None
    referral = Referral.objects.get(pk=condition.referral_id)
    contract = DiversionContract.objects.get(disposal=disposal)
    assert contract.state == "referred" and contract.referral_id == referral.pk

    # 2. The agreement, in both languages in one document.
    agreement = reverse("disposals:agreement", args=[disposal.pk])
    text = _pdf_text(page, agreement)
    assert disposal.reference in text
    caution = disposal.disposal_type
    assert caution is not None and caution.label_en in text and caution.label_cy in text

    # 3. The navigator finds it in the caseload, scores needs and agrees the contract.
    _sign_in_as(page, "navigator", language)
    page.goto(reverse("disposals:caseload"))
    check_page()
    follow(
        page, page.locator(f'main a[href="{reverse("disposals:contract", args=[contract.pk])}"]')
    )
    check_page()
    start = {"drugs": 3, "housing": 2, "finances": 2, "mental_health": 2}
    page.goto(reverse("disposals:contract-needs", args=[contract.pk]))
    check_page()
    for pathway in ("alcohol", "drugs", "housing", "mental_health", "exploitation"):
        _choose(page, pathway, str(start.get(pathway, 0)))
    for pathway in ("physical_health", "finances", "employment", "relationships"):
        _choose(page, pathway, str(start.get(pathway, 0)))
    _submit(page)
    check_page()
    page.goto(reverse("disposals:contract-agree", args=[contract.pk]))
    check_page()
    _submit(page)
    check_page()
    contract.refresh_from_db()
    assert contract.state == "active" and contract.ends_on is not None

    # Four months on: the end scores are lower and the contract is completed.
    with time_machine.travel(timezone.now() + dt.timedelta(days=123), tick=True):
        _sign_in_as(page, "navigator", language)
        page.goto(reverse("disposals:contract-needs", args=[contract.pk]))
        check_page()
        for pathway in start:
            _choose(page, pathway, str(start[pathway] - 1))
        for pathway in (
            "alcohol",
            "exploitation",
            "physical_health",
            "employment",
            "relationships",
        ):
            _choose(page, pathway, "0")
        _submit(page)
        check_page()
        page.goto(reverse("disposals:contract-complete", args=[contract.pk]))
        check_page()
        _submit(page)
        check_page()
    contract.refresh_from_db()
    assert contract.state == "completed"
    end = NeedsAssessment.objects.get(contract=contract, stage="end")
    assert sum(s.score for s in end.scores.all()) < sum(start.values())


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_missed_condition_follows_the_breach_route_on_a_phone(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    _need("record", "breach")
    person = _world("Osian", "Pritchard")
    page.set_viewport_size(PHONE)
    _sign_in_as(page, "custody.sergeant", language)
    disposal = _record_caution(page, check_page, person, language, "compensation")
    condition = disposal.conditions.get()
    page.goto(reverse("disposals:condition-status", args=[condition.pk]))
    check_page()
    _choose(page, "status", "not_complied")
    page.locator("#id_evidence").fill("No payment by the due date; no reason given.")
    _submit(page)
    check_page()
    page.goto(reverse("disposals:breach", args=[disposal.pk]))
    check_page()
    page.locator("#id_reason").fill("Compensation not paid; no reasonable excuse.")
    _submit(page)
    check_page()
    disposal.refresh_from_db()
    assert disposal.state == "breached" and disposal.breach_route == "prosecution"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_panel_member_reviews_the_quarters_sample(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    _need("panel")
    from pontio.disposals.demo import seed_disposals
    from pontio.disposals.models import PanelReview

    _world()
    for n in range(6):
        _world(f"Demo{n}", "Jones")
    result = seed_disposals(count=40)
    if result.missing:
        pytest.skip("services not in the app yet: " + ", ".join(result.missing))
    review = PanelReview.objects.filter(reviewer__username="panel").first()
    assert review is not None
    _sign_in_as(page, "panel", language)
    page.goto(reverse("disposals:panel"))
    check_page()
    # Anonymised: the sample shows no names.
    expect(page.locator("main")).not_to_contain_text(review.disposal.person.family_name)
    page.goto(reverse("disposals:panel-review", args=[review.pk]))
    check_page()
    expect(page.locator("main")).not_to_contain_text(review.disposal.person.family_name)
    _choose(page, "judgement", "appropriate")
    page.locator("#id_feedback").fill("Proportionate; the victim's views were recorded.")
    _submit(page)
    check_page()
    review.refresh_from_db()
    assert review.judgement == "appropriate" and review.reviewed_at is not None
