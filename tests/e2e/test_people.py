"""Browser journeys of person records (run with ``pytest -m e2e``), in English and Welsh.

The browser fixtures come from tests/e2e/conftest.py: each page reached is checked with
axe-core and for CSP violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

# The browser fixtures of tests/e2e, made available to this module by name.

pytestmark = pytest.mark.e2e


def _existing_person() -> Any:
    from tests.factories import county

    from pontio.people.models import Address, Person

    person = Person.objects.create(
        given_name="Dafydd", family_name="Jones", date_of_birth=dt.date(1990, 3, 27)
    )
    Address.objects.create(
        person=person,
        line_1="4 Heol y Bryn",
        town="Brecon",
        county=county("W06000023"),
        postcode="LD3 7AB",
        valid_from=dt.date(2020, 1, 1),
    )
    return person


def _fill_identity(page: Page, dob: tuple[str, str, str]) -> None:
    page.get_by_label("Given name").fill("David")
    page.get_by_label("Family name").fill("Jones")
    page.get_by_label("Day").fill(dob[0])
    page.get_by_label("Month").fill(dob[1])
    page.get_by_label("Year").fill(dob[2])


def test_officer_adds_a_person_after_checking_matches(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    from pontio.people.models import Person

    existing = _existing_person()
    sign_in(page, "officer")
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="People"))
    check_page()
    follow(page, page.get_by_role("button", name="Add a person"))
    check_page()

    # An impossible date of birth: a specific message, nothing kept.
    _fill_identity(page, ("27", "3", "2999"))
    follow(page, page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Date of birth must be in the past"
    )
    check_page()

    _fill_identity(page, ("27", "3", "1990"))
    follow(page, page.get_by_role("button", name="Continue"))
    assert urlsplit(page.url).path == "/people/new/check/"
    assert "David" not in page.url
    row = page.locator("tr", has_text="Dafydd Jones")
    expect(row).to_contain_text("1990")
    expect(row).to_contain_text("Brecon")
    expect(row).to_contain_text("Same date of birth")
    expect(row.get_by_role("link", name="Open this record")).to_have_attribute(
        "href", f"/people/{existing.pk}/"
    )
    check_page()

    follow(page, page.get_by_role("button", name="None of these: create a new record"))
    check_page()
    page.get_by_label("Welsh").check()
    follow(page, page.get_by_role("button", name="Create the record"))
    person = Person.objects.get(given_name="David")
    assert urlsplit(page.url).path == f"/people/{person.pk}/"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The person has been added"
    )
    expect(page.locator("h2", has_text="Possible duplicates")).to_be_visible()
    check_page()

    # A safeguarding flag, raised and shown with who and why.
    follow(page, page.get_by_role("link", name="Raise a flag"))
    page.get_by_label("Safeguarding").check()
    page.get_by_label("Why are you raising this flag?").fill("Young children at the address.")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator("table", has_text="Young children at the address.")).to_contain_text(
        "Rhys Morgan"
    )
    check_page()


def test_person_pages_in_welsh(page: Page, demo_users: Any, check_page: Any) -> None:
    from pontio.people.models import Person

    person = Person.objects.create(given_name="Siân", family_name="Llywelyn")
    sign_in(page, "custody.officer")  # prefers Welsh
    page.goto(f"/people/{person.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text("Siân Llywelyn")
    check_page()
    page.goto("/people/")
    check_page()


def _person_in_carmarthenshire(given: str, dob: dt.date) -> Any:
    from tests.factories import county

    from pontio.people.models import Address, Person

    person = Person.objects.create(given_name=given, family_name="Price", date_of_birth=dob)
    Address.objects.create(
        person=person,
        line_1="12 Heol Awst",
        town="Carmarthen",
        county=county("W06000010"),
        postcode="SA31 1AA",
        valid_from=dt.date(2021, 5, 1),
    )
    return person


def test_sergeant_merges_a_duplicate_and_undoes_it(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    from pontio.audit.models import AuditEvent
    from pontio.people.models import Person

    survivor = _person_in_carmarthenshire("Llywelyn", dt.date(1985, 7, 3))
    duplicate = _person_in_carmarthenshire("Llewellyn", dt.date(1985, 3, 7))  # day/month swapped
    sign_in(page, "custody.sergeant")
    page.goto(f"/people/{survivor.pk}/")
    check_page()
    follow(page, page.get_by_role("link", name="Merge a duplicate into this record"))
    check_page()
    follow(page, page.get_by_role("link", name=f"Record {duplicate.pk}: Llewellyn Price"))
    expect(page.locator("h1")).to_have_text("Check and merge")
    check_page()

    # No reason: refused with a specific message, nothing merged.
    follow(page, page.get_by_role("button", name="Merge the records"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why these records are the same person"
    )
    assert Person.objects.get(pk=duplicate.pk).is_active
    check_page()

    page.get_by_label("Why are these the same person?").fill(
        "Same address and the dates of birth are the day and month swapped."
    )
    follow(page, page.get_by_role("button", name="Merge the records"))
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    merged = Person.objects.get(pk=duplicate.pk)
    assert not merged.is_active and merged.merged_into_id == survivor.pk
    assert AuditEvent.objects.filter(person_id=str(survivor.pk)).exists()
    check_page()

    follow(page, page.get_by_role("link", name="Undo this merge"))
    check_page()
    page.get_by_label("Why was the merge wrong?").fill("Two brothers, not one person.")
    follow(page, page.get_by_role("button", name="Undo the merge"))
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    restored = Person.objects.get(pk=duplicate.pk)
    assert restored.is_active and restored.merged_into_id is None
    assert restored.date_of_birth == dt.date(1985, 3, 7)
    check_page()
