"""Journey 17 in the browser, in English and in Welsh, with axe and the 375 px check on every
page (``check_page``): after an operation's enforcement day an intelligence officer requests
triage of three seized phones (a first attempt without a legal basis is refused, and nothing
is saved); the examiner takes them from the queue, sees the timer, opens the capacity page
with the backlog by county, and records the result (outcome categories and counts, never
content) within the two-working-day target. Fields are found by their names so the same
steps run in both languages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

POWYS = "W06000023"


def _sign_in_as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    page.goto(f"/language/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _world(users: list[Any]) -> Any:
    """The operation (through the operations service), the examiner's profile, and two
    Powys requests already in the queue (the backlog the capacity page shows)."""
    from pontio.accounts.models import User
    from pontio.examinations.tests import helpers as h

    by_name = {u.username: u for u in User.objects.all()}
    operation = h.make_operation(by_name["operations"], codes=(h.CARMS, h.POWYS))
    h.make_examiner(
        by_name["admin"],
        "examiner",
        unit="central",
        county_code=None,
        levels=("triage", "logical", "full"),
        supervisor=True,
    )
    for level in ("logical", "full"):
        h.make_request(
            by_name["intelligence"],
            operation,
            county=h.county(POWYS),
            level=level,
            priority="normal",
            priority_reason="",
            devices=h.phones(1, prefix=f"EXH/PW/{level}/"),
        )
    return operation


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_17_three_phones_from_request_to_result_within_the_timer(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.examinations.models import ExaminationRequest
    from pontio.examinations.tests import helpers as h

    operation = _world(demo_users)

    # 1. The intelligence officer requests triage of three phones seized on the day.
    _sign_in_as(page, "intelligence", language)
    page.goto(reverse("examinations:list"))
    check_page()
    follow(page, page.locator(f'main a[href="{reverse("examinations:new")}"]'))
    check_page()
    page.locator("input[name=source_kind][value=operation]").check()
    page.locator("#id_source_reference").fill(operation.reference)
    page.locator("input[name=level][value=triage]").check()
    page.locator("input[name=priority][value=high]").check()
    page.locator("#id_priority_reason").fill("Seized on the enforcement day")
    for n in (1, 2, 3):
        page.locator(f"#id_device_kind_{n}").select_option("phone")
        page.locator(f"#id_device_exhibit_{n}").fill(f"EXH/RM/{n}")
    page.locator("#id_county").select_option(str(h.county(h.CARMS).pk))
    # First without a legal basis: refused, with the error linked to the field.
    follow(page, page.locator("#request-form button[type=submit]"))
    check_page()
    expect(page.locator(".govuk-error-summary a[href='#id_legal_basis_0']")).to_be_visible()
    assert ExaminationRequest.objects.filter(level="triage").count() == 0
    page.locator("input[name=legal_basis][value=mda_s23]").check()
    follow(page, page.locator("#request-form button[type=submit]"))
    check_page()
    row = ExaminationRequest.objects.get(level="triage")
    assert page.url.split("?")[0].endswith(reverse("examinations:detail", args=[row.pk]))
    expect(page.locator("main")).to_contain_text(row.reference)
    assert row.devices.count() == 3

    # 2. The examiner sees it on the home page and in the queue, and takes it.
    _sign_in_as(page, "examiner", language)
    page.goto("/")
    check_page()
    page.goto(reverse("examinations:list") + "?show=queue")
    check_page()
    expect(page.locator("#requests")).to_contain_text(row.reference)
    follow(
        page, page.locator(f'#requests a[href="{reverse("examinations:detail", args=[row.pk])}"]')
    )
    check_page()
    follow(
        page,
        page.locator(f'main form[action="{reverse("examinations:take", args=[row.pk])}"] button'),
    )
    check_page()
    row.refresh_from_db()
    assert row.status == "assigned"
    expect(page.locator("main .govuk-tag--blue, main .govuk-tag--orange").first).to_be_visible()

    # 3. The capacity page shows the backlog by county: Carmarthenshire's three phones (one
    # request) and Powys's two requests.
    page.goto(reverse("examinations:capacity"))
    check_page()
    backlog = page.locator("#backlog-table")
    expect(backlog.locator("tr", has_text="Powys").locator("td").last).to_have_text("2")
    expect(
        backlog.locator("tr", has_text="Sir Gaerfyrddin" if language == "cy" else "Carmarthenshire")
        .locator("td")
        .last
    ).to_have_text("1")

    # 4. The result: outcome categories and counts, a summary that is not content, the
    # report's reference; within the two-working-day target.
    page.goto(reverse("examinations:detail", args=[row.pk]))
    follow(page, page.locator(f'main a[href="{reverse("examinations:result", args=[row.pk])}"]'))
    check_page()
    devices = list(row.devices.order_by("pk"))
    page.locator(f"#id_outcome_{devices[0].pk}").select_option("items_found")
    page.locator(f"#id_items_{devices[0].pk}").fill("4")
    for device in devices[1:]:
        page.locator(f"#id_outcome_{device.pk}").select_option("nothing_found")
    page.locator("#id_summary").fill("Material relevant to supply found on one of three phones")
    page.locator("#id_report_reference").fill("DFU/26/0042")
    follow(page, page.locator("#result-form button[type=submit]"))
    check_page()
    row.refresh_from_db()
    assert row.status == "completed" and row.completed_on <= row.due_on
    expect(page.locator("main .govuk-tag--green")).to_be_visible()
    expect(page.locator("main")).to_contain_text("DFU/26/0042")
