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


def _press(page: Page, action: str) -> None:
    """Press the button of the form posting to ``action`` (pages hold several forms)."""
    follow(page, page.locator(f'main form[action="{action}"] button[type=submit]').first)


def _record_caution(
    page: Page, check_page: Any, person: Any, language: str, condition: str, **extra: str
) -> Any:
    """The sergeant records an admitted theft with the victim's views, checks the score and
    the recommendation with its reason, decides the conditional caution, adds
    ``condition`` and authorises it. Returns the disposal."""
    from pontio.disposals.models import Disposal, DisposalType, GravityOffence

    page.goto(reverse("disposals:new", args=[person.pk]))
    check_page()
    offence = GravityOffence.objects.get(code="theft_other")
    _choose(page, "offence", str(offence.pk))
    _date(page, "offence_date", timezone.localdate() - dt.timedelta(days=3))
    page.locator("#id_offence_summary").fill("Took a bicycle from outside the library.")
    _choose(page, "admission", "admitted")
    _choose(page, "evidence_to_charge", "yes")
    _choose(page, "victim_views", "recorded")
    page.locator("#id_victim_views_text").fill("Wants the bicycle back and an apology.")
    follow(page, page.locator("main button[name=action][value=check]"))
    check_page()
    # The recommendation, with its reason: Pontio recommends, the sergeant decides.
    caution = DisposalType.objects.get(code="conditional_caution")
    recommendation = page.locator("#recommendation")
    expect(recommendation).to_contain_text(str(offence.base_score))
    expect(recommendation).to_contain_text(_t("Gravity score and recommendation", language))
    _choose(page, "outcome", "disposal")
    _choose(page, "disposal_type", str(caution.pk))
    page.locator("#id_decision_rationale").fill("Drug use drives the offending.")
    follow(page, page.locator("main button[name=action][value=record]"))
    check_page()
    disposal = Disposal.objects.get(person=person)
    assert disposal.state == "awaiting_authorisation"
    # The condition, on its own page; a referring one carries the consent and contact.
    follow(
        page,
        page.locator(f'main a[href="{reverse("disposals:condition-add", args=[disposal.pk])}"]'),
    )
    check_page()
    _choose(page, "category", condition)
    page.locator("#id_description").fill("Take part and keep to what is agreed.")
    for name, value in extra.items():
        page.locator(f"#id_{name}").fill(value)
    if condition in ("diversion_scheme", "drug_treatment", "drug_awareness"):
        from pontio.directory.models import Substance

        _choose(page, "substances", str(Substance.objects.get(code="cocaine").pk))
        _choose(page, "consent_given", "yes")
        _choose(page, "contact_channels", "phone")
    _submit(page)
    check_page()
    assert disposal.conditions.count() == 1, page.locator("main").inner_text()[:600]
    _press(page, reverse("disposals:authorise", args=[disposal.pk]))
    check_page()
    disposal.refresh_from_db()
    assert disposal.authorised_at is not None
    return disposal


def _pdf_text(page: Page, href: str) -> str:
    from pypdf import PdfReader

    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split()
    )


def _needs(page: Page, contract: Any, scores: dict[str, int]) -> None:
    form = page.locator(
        f'main form[action="{reverse("disposals:contract-needs", args=[contract.pk])}"]'
    )
    for pathway in PATHWAYS:
        form.locator(f"select[name={pathway}]").select_option(str(scores.get(pathway, 0)))
    follow(page, form.locator("button[type=submit]"))


PATHWAYS = (
    "alcohol",
    "drugs",
    "housing",
    "mental_health",
    "exploitation",
    "physical_health",
    "finances",
    "employment",
    "relationships",
)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_7_from_the_decision_to_a_completed_contract(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
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

    # 2. The agreement, in both languages in one document; then the signature recorded.
    agreement = reverse("disposals:agreement", args=[disposal.pk])
    expect(page.locator(f'main a[href="{agreement}"]')).to_be_visible()
    text = _pdf_text(page, agreement)
    assert disposal.reference in text
    caution = disposal.disposal_type
    assert caution is not None and caution.label_en in text and caution.label_cy in text
    _press(page, reverse("disposals:sign", args=[disposal.pk]))
    check_page()
    disposal.refresh_from_db()
    assert disposal.state == "active"

    # 3. The navigator finds it in the caseload, scores needs and agrees the contract.
    _sign_in_as(page, "navigator", language)
    page.goto(reverse("disposals:caseload") + "?tab=all")
    check_page()
    follow(
        page, page.locator(f'main a[href="{reverse("disposals:contract", args=[contract.pk])}"]')
    )
    check_page()
    start = {"drugs": 3, "housing": 2, "finances": 2, "mental_health": 2}
    _needs(page, contract, start)
    check_page()
    agree = page.locator(
        f'main form[action="{reverse("disposals:contract-agree", args=[contract.pk])}"]'
    )
    agree.locator("select[name=kind_1]").select_option("no_reoffending")
    agree.locator("#id_description_1").fill("Commit no further offence.")
    agree.locator("select[name=kind_2]").select_option("pathway")
    agree.locator("select[name=pathway_2]").select_option("drugs")
    agree.locator("#id_description_2").fill("Attend the drug service's group sessions.")
    follow(page, agree.locator("button[type=submit]"))
    check_page()
    contract.refresh_from_db()
    assert contract.state == "active" and contract.ends_on is not None

    # Four months on: the conditions kept, lower end scores, the contract completed.
    with time_machine.travel(timezone.now() + dt.timedelta(days=123), tick=True):
        _sign_in_as(page, "navigator", language)
        page.goto(reverse("disposals:contract", args=[contract.pk]))
        for row in contract.conditions.all():
            form = page.locator(
                f'main form[action="{reverse("disposals:contract-condition", args=[row.pk])}"]'
            )
            form.locator("select").select_option("complied")
            form.locator("textarea").fill("Confirmed by the group's facilitator.")
            follow(page, form.locator("button[type=submit]"))
        _needs(page, contract, {p: max(0, v - 1) for p, v in start.items()})
        check_page()
        _press(page, reverse("disposals:contract-complete", args=[contract.pk]))
        check_page()
    contract.refresh_from_db()
    assert contract.state == "completed"
    end = NeedsAssessment.objects.get(contract=contract, stage="end")
    assert sum(s.score for s in end.scores.all()) < sum(start.values())
    # The outcome reaches the disposal: its scheme condition is complied with.
    condition.refresh_from_db()
    assert condition.status == "complied"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_missed_condition_follows_the_breach_route_on_a_phone(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    person = _world("Osian", "Pritchard")
    page.set_viewport_size(PHONE)
    _sign_in_as(page, "custody.sergeant", language)
    disposal = _record_caution(page, check_page, person, language, "compensation", amount="40.00")
    _press(page, reverse("disposals:sign", args=[disposal.pk]))
    check_page()
    condition = disposal.conditions.get()
    follow(
        page,
        page.locator(
            f'main a[href="{reverse("disposals:condition-status", args=[condition.pk])}"]'
        ),
    )
    check_page()
    _choose(page, "status", "not_complied")
    page.locator("#id_evidence").fill("No payment by the due date; no reason given.")
    _submit(page)
    check_page()
    page.goto(reverse("disposals:detail", args=[disposal.pk]))
    page.locator("#id_breach-reason").fill("Compensation not paid; no reasonable excuse.")
    _press(page, reverse("disposals:breach", args=[disposal.pk]))
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


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_outcomes_and_the_panels_judgements_read_on_a_phone(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.disposals.demo import seed_disposals

    for n in range(6):
        _world(f"Demo{n}", "Jones")
    seed_disposals(count=40)
    page.set_viewport_size(PHONE)
    _sign_in_as(page, "analyst", language)
    page.goto(reverse("disposals:outcomes"))
    check_page()
    _sign_in_as(page, "inspector", language)
    for name in ("disposals:outcomes", "disposals:panel-feedback", "disposals:panel-draw"):
        page.goto(reverse(name))
        check_page()
