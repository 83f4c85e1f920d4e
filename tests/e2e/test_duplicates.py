"""Browser journey of de-duplication (run with ``pytest -m e2e``): the administrator finds
duplicates across the whole table, a custody sergeant reviews a group side by side, merges it
and undoes the merge. Every page is checked with axe-core and on a 375 px screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def _people() -> dict[str, Any]:
    """One man entered twice (day and month swapped, Welsh and English forms of his name),
    and twins at one address who must never be grouped."""
    from tests.factories import CARMARTHENSHIRE, make_person

    def person(given: str, family: str, dob: dt.date) -> Any:
        return make_person(given, family, dob, county_code=CARMARTHENSHIRE, gender="male")

    return {
        "first": person("Dafydd", "Prydderch", dt.date(1984, 3, 7)),
        "second": person("David", "Prydderch", dt.date(1984, 7, 3)),
        "twin_a": person("Rhodri", "Gwyther", dt.date(2001, 5, 5)),
        "twin_b": person("Gethin", "Gwyther", dt.date(2001, 5, 5)),
    }


def test_an_administrator_finds_duplicates_and_a_sergeant_merges_and_undoes_one(
    page: Page, demo_users: Any, check_page: Any
) -> None:
    from pontio.people.models import DuplicateCluster, Person

    people = _people()
    sign_in(page, "admin")
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="Person matching"))
    expect(page.locator("h1")).to_have_text("Person matching")
    expect(page.locator("body")).to_contain_text("Weight (bits)")
    check_page()
    follow(page, page.get_by_role("button", name="Find duplicates in the whole table"))
    expect(page.locator("body")).to_contain_text("De-duplication has started")
    # The task ran once the request committed (immediate backend in tests): its row shows.
    page.reload()
    runs = page.locator("table", has_text="Pairs compared")
    expect(runs).to_contain_text("Finished")
    check_page()
    assert DuplicateCluster.objects.count() == 1  # the man, not the twins

    page.context.clear_cookies()
    sign_in(page, "custody.sergeant")
    follow(page, page.get_by_role("link", name="group of records waiting for review"))
    expect(page.locator("h1")).to_have_text("Possible duplicates")
    check_page()
    cluster = DuplicateCluster.objects.get()
    follow(page, page.get_by_role("link", name=f"Group {cluster.pk}"))
    expect(page.locator("body")).to_contain_text("Date of birth with day and month swapped")
    check_page()

    # No reason: a specific error, nothing merged.
    page.get_by_label(f"Dafydd Prydderch (record {people['first'].pk})").check()
    follow(page, page.get_by_role("button", name="Merge the records"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why these records are the same person"
    )
    check_page()
    assert Person.objects.get(pk=people["second"].pk).is_active

    page.get_by_label(f"Dafydd Prydderch (record {people['first'].pk})").check()
    page.get_by_label("Why are these the same person?").fill(
        "Same man: his date of birth was typed month first"
    )
    follow(page, page.get_by_role("button", name="Merge the records"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("have been merged")
    expect(page.locator(".govuk-tag").first).to_have_text("Merged")
    check_page()
    assert not Person.objects.get(pk=people["second"].pk).is_active

    page.get_by_label("Reason").fill("Checked with custody: they are cousins")
    follow(page, page.get_by_role("button", name="Undo the merge"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("have been undone")
    expect(page.locator(".govuk-tag").first).to_have_text("Merge undone")
    check_page()
    assert Person.objects.get(pk=people["second"].pk).is_active
