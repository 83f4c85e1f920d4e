"""Stop and search in the browser, in English and in Welsh (journeys 4, 5 and 6).

4. An officer records a Misuse of Drugs Act search on a phone-sized screen, from the Stop and
   search list: nothing found, no further action. Later the drug analysis comes back and the
   outcome is updated with a reason; both outcomes and the history show. The officer finds
   the person by name and date of birth, links them to the search, and one click starts a
   referral.
5. The inspector draws last month's sample on the audit page (seeded, 25%; drawing again
   shows the one drawn); the inspector and the independent reviewer record their
   judgements; the officer reads the feedback; an overdue review escalates.
6. A panel member sees only anonymised, assigned searches with the body-worn video reference,
   records a judgement, and cannot reach the named record by URL; the officer reads the
   panel's judgement on the record.
Also: a police.uk file is imported through the upload page, and the figures page opens.
Every page checked also fits a 375 px screen (``check_page``). Fields are found by name so
the same steps run in both languages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
POLICEUK = (
    Path(__file__).resolve().parents[2]
    / "src/pontio/stopsearch/tests/data/policeuk/2016-11-dyfed-powys-stop-and-search.csv"
)


def _t(text: Any, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _sign_in_as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    # Always chosen: some demo users (the inspector) read Pontio in Welsh by default.
    page.goto(f"/language/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _submit(page: Page) -> None:
    follow(page, page.locator("main form[method=post] button[type=submit]").last)


def _choose(page: Page, name: str, value: str) -> None:
    """Pick a value whether the field is radios or a select."""
    radio = page.locator(f"input[name={name}][value='{value}']")
    if radio.count():
        radio.check()
    else:
        page.locator(f"select[name={name}]").select_option(value)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _person() -> Any:
    from tests.factories import county

    from pontio.people.models import Address, Person, Phone

    person = Person.objects.create(
        given_name="Osian",
        family_name="Pritchard",
        date_of_birth=dt.date(2002, 8, 9),
        gender="male",
        self_defined_ethnicity="W1",
    )
    Address.objects.create(
        person=person,
        line_1="3 Heol y Nant",
        town="Llanelli",
        county=county("W06000010"),
        postcode="SA15 2AA",
        valid_from=dt.date(2022, 1, 1),
    )
    Phone.objects.create(person=person, number="+447700900456", kind="mobile")
    return person


@pytest.mark.parametrize("language", ["en", "cy"])
def test_officer_records_a_search_on_a_phone_and_later_updates_the_outcome(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.stopsearch.models import StopSearch

    person = _person()
    page.set_viewport_size(PHONE)
    _sign_in_as(page, "officer", language)
    page.goto("/stop-search/")
    check_page()
    follow(page, page.locator('main a[href="/stop-search/new/"]'))
    # The form fits a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_page()
    page.locator("input[name=search_type][value=person]").check()
    page.locator("#id_place").fill("Stepney Street, Llanelli")
    _choose(page, "county", str(person.addresses.get().county_id))
    _choose(page, "gender", "Male")
    _choose(page, "age_range", "18-24")
    _choose(page, "self_defined_ethnicity", "W1")
    _choose(page, "legislation", "mda_s23")
    _choose(page, "object_of_search", "controlled_drugs")
    _choose(page, "officer_defined_ethnicity", "White")
    page.locator("input[name=removal_of_more_than_outer_clothing][value=no]").check()
    page.locator("#id_body_worn_video").fill("BWV-0911-2026")
    page.locator("input[name=found][value=nothing]").check()
    page.locator("input[name=outcome][value=nfa]").check()
    # No grounds and GOWISELY not confirmed: refused, field by field.
    _submit(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(_t("Enter the grounds for the search", language))
    expect(summary).to_contain_text(
        _t("Confirm that you gave the GOWISELY information before searching", language)
    )
    check_page()
    assert not StopSearch.objects.exists()
    page.locator("#id_grounds").fill(
        "Strong smell of cannabis; seen passing a small bag to another man in the doorway."
    )
    page.locator("input[name=gowisely_given]").check()
    _submit(page)
    search = StopSearch.objects.get()
    assert (search.found, search.person_id) == ("nothing", None)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(search.reference)
    expect(page.locator("main")).to_contain_text(_t("No, nothing was found", language))
    check_page()

    # A week later the drug analysis comes back.
    follow(page, page.locator(f'main a[href="/stop-search/{search.pk}/outcome/"]'))
    check_page()
    page.locator("input[name=kind][value=drug_analysis]").check()
    page.locator("input[name=outcome][value=summons]").check()
    page.locator("input[name=linked_to_object][value=yes]").check()
    _date(page, "decided_on", timezone.localdate())
    page.locator("#id_reason").fill("Laboratory confirmed 2.1 g of cocaine in the bag")
    _submit(page)
    search.refresh_from_db()
    assert (search.original_outcome, search.current_outcome) == ("nfa", "summons")
    main = page.locator("main")
    expect(main).to_contain_text("Laboratory confirmed 2.1 g of cocaine in the bag")
    check_page()

    # Nobody is linked to the search: find the person by name and date of birth.
    follow(page, page.locator(f'main a[href="/stop-search/{search.pk}/person/"]'))
    check_page()
    page.locator("#id_given_name").fill(person.given_name)
    page.locator("#id_family_name").fill(person.family_name)
    _date(page, "date_of_birth", person.date_of_birth)
    follow(page, page.locator("main form:has(input[name=step][value=find]) button"))
    assert person.family_name not in page.url  # kept out of the address
    expect(page.locator("main")).to_contain_text(f"{person.given_name} {person.family_name}")
    check_page()
    follow(page, page.locator("main form:has(input[name=step][value=link]) button").first)
    search.refresh_from_db()
    assert search.person_id == person.pk
    check_page()

    # One click starts a referral with the contact already chosen.
    follow(page, page.locator(f'main a[href^="/referrals/new/{person.pk}/"]'))
    expect(page.locator("input[name=pathway][value=stop_search]")).to_be_checked()
    expect(page.locator("#id_source_reference")).to_have_value(search.reference)
    check_page()


def _searches_last_month(officer: Any, count: int) -> None:
    from tests.factories import county

    from pontio.audit.services import AuditContext
    from pontio.stopsearch import services

    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    for i in range(count):
        when = timezone.make_aware(dt.datetime.combine(last_month, dt.time(10 + i % 8, 0)))
        services.search_record(
            context=AuditContext.system("e2e"),
            actor=officer,
            data=services.SearchData(
                search_type="person",
                searched_at=when,
                place=f"Market Street {i}, Llanelli",
                county=county("W06000010"),
                legislation="mda_s23",
                object_of_search="controlled_drugs",
                grounds="Seen exchanging a small package for cash outside the station.",
                gowisely_given=True,
                found="nothing",
                outcome="nfa",
                gender="Male",
                age_range="18-24",
                self_defined_ethnicity="W1",
                officer_defined_ethnicity="White",
                removal_of_more_than_outer_clothing=False,
                body_worn_video=f"BWV-{i}",
            ),
        )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_monthly_audit_sample_reviews_feedback_and_escalation(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from django.core.management import call_command

    from pontio.accounts.models import User
    from pontio.core.models import County
    from pontio.stopsearch.models import AuditSample, SearchReview

    officer = User.objects.get(username="officer")
    User.objects.filter(username="inspector").update(force_wide=True)
    _searches_last_month(officer, 8)

    # The inspector draws last month's sample on the audit page, twice: one sample.
    carms = County.objects.get(ons_code="W06000010")
    _sign_in_as(page, "inspector", language)
    page.goto("/stop-search/audit/")
    check_page()
    for _ in range(2):
        page.locator("select[name=county]").select_option(str(carms.pk))
        follow(page, page.locator("main button[name=step][value=draw]"))
        check_page()
    sample = AuditSample.objects.get(county__ons_code="W06000010")
    assert AuditSample.objects.count() == 1
    assert (sample.population, sample.rate_percent) == (8, 25)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(str(sample.seed))
    expect(banner).to_contain_text("25%")
    reviews = SearchReview.objects.filter(sample=sample)
    assert reviews.filter(kind="inspector").count() == 2

    # The inspector reviews one search.
    inspector_review = reviews.filter(kind="inspector").order_by("pk").first()
    assert inspector_review is not None
    page.goto("/stop-search/reviews/")
    check_page()
    follow(page, page.locator(f'main a[href="/stop-search/reviews/{inspector_review.pk}/"]'))
    check_page()
    page.locator("input[name=grounds_reasonable][value=yes]").check()
    page.locator("input[name=record_complete][value=no]").check()
    page.locator("input[name=conduct_proportionate][value=yes]").check()
    _submit(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page()
    page.locator("#id_learning").fill("Record the vehicle the package came from next time.")
    _submit(page)
    inspector_review.refresh_from_db()
    assert inspector_review.completed_at is not None

    # The independent reviewer sees the same search without names or places.
    independent = reviews.get(search=inspector_review.search, kind="independent")
    _sign_in_as(page, independent.reviewer.username, language)
    page.goto(f"/stop-search/panel/{independent.pk}/")
    main = page.locator("main")
    expect(main).not_to_contain_text("Market Street")
    expect(main).not_to_contain_text(inspector_review.search.reference)
    check_page()
    page.locator("input[name=grounds_reasonable][value=yes]").check()
    page.locator("input[name=record_complete][value=yes]").check()
    page.locator("input[name=conduct_proportionate][value=yes]").check()
    _submit(page)
    independent.refresh_from_db()
    assert independent.completed_at is not None
    check_page()

    # The audit page shows the answers in the page's language.
    _sign_in_as(page, "inspector", language)
    page.goto(f"/stop-search/reviews/{inspector_review.pk}/")
    for label in ("Grounds reasonable", "Record complete", "Conduct proportionate"):
        expect(page.locator("main")).to_contain_text(_t(label, language))
    check_page()
    for url in ("/stop-search/audit/", "/stop-search/panel/assign/", "/stop-search/export/"):
        page.goto(url)
        check_page()

    # The officer reads the feedback on the record.
    _sign_in_as(page, "officer", language)
    page.goto(f"/stop-search/{inspector_review.search_id}/")
    expect(page.locator("main")).to_contain_text(
        "Record the vehicle the package came from next time."
    )
    check_page()

    # An overdue review escalates and shows on the inspector's list.
    reviews.filter(completed_at__isnull=True).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    call_command("escalate_stopsearch_reviews", verbosity=0)
    assert reviews.filter(escalated_at__isnull=False).exists()
    _sign_in_as(page, "inspector", language)
    page.goto("/stop-search/reviews/")
    expect(page.locator("main .govuk-tag--red").first).to_be_visible()
    check_page()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_panel_member_sees_only_anonymised_assigned_searches(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.accounts.models import User
    from pontio.stopsearch.models import SearchReview, StopSearch

    officer = User.objects.get(username="officer")
    _searches_last_month(officer, 1)
    search = StopSearch.objects.get()
    panel = User.objects.get(username="panel")
    review = SearchReview.objects.create(
        search=search, kind="panel", reviewer=panel, due_on=timezone.localdate()
    )
    _sign_in_as(page, "panel", language)
    page.goto("/stop-search/panel/")
    check_page()
    follow(page, page.locator(f'main a[href="/stop-search/panel/{review.pk}/"]'))
    main = page.locator("main")
    expect(page.locator("#body-worn-video")).to_have_text(search.body_worn_video)
    expect(main).not_to_contain_text("Market Street")
    expect(main).not_to_contain_text(search.reference)
    check_page()
    page.locator("#id_video_notes").fill("Calm, explained the grounds, offered the receipt.")
    page.locator("input[name=judgement][value=appropriate]").check()
    _submit(page)
    review.refresh_from_db()
    assert review.judgement == "appropriate"
    check_page()
    page.goto("/stop-search/panel/summary/")
    check_page()
    for url in (
        f"/stop-search/{search.pk}/",
        "/people/",
        f"/stop-search/{search.pk}/outcome/",
        f"/stop-search/{search.pk}/person/",
    ):
        response = page.goto(url)
        assert response is not None and response.status in (403, 404), url
        expect(page.locator("main")).not_to_contain_text("Market Street")

    # The panel's judgement is on the record for the officer.
    _sign_in_as(page, "officer", language)
    page.goto(f"/stop-search/{search.pk}/")
    expect(page.locator("main")).to_contain_text(
        "Calm, explained the grounds, offered the receipt."
    )
    check_page()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_police_uk_file_is_imported_with_a_summary_and_the_figures_open(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.stopsearch.models import StopSearch

    _sign_in_as(page, "analyst", language)
    page.goto("/stop-search/imports/")
    check_page()
    page.goto("/stop-search/imports/new/")
    check_page()
    page.locator("input[name=file]").set_input_files(str(POLICEUK))
    _submit(page)
    assert StopSearch.objects.filter(source="policeuk").count() == 181
    expect(page.locator("main progress")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("181")
    check_page()
    page.goto("/stop-search/analysis/?source=policeuk")
    expect(page.locator("main table").first).to_be_visible()
    check_page()
