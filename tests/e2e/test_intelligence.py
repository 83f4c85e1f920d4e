"""Journeys 8 and 9 (public intelligence; the intelligence officer) in the browser, in
English and in Welsh, with axe and the 375 px check on every page (``check_page``).

8. A member of the public, without JavaScript and without signing in, sends a report through
   the form, is given a reference and a secret, and later sees its status.
9. The intelligence officer grades the report 2/B/P, writes the sanitised version, records
   the action, writes and approves a "you said, we did" line, and the county's public page
   shows it (under the month, nothing finer).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import (
    DEFAULT_TIMEOUT_MS,
    follow,
    sign_in,
)

pytestmark = pytest.mark.e2e

PLANTED = "Gareth Prosser at 14 Heol y Bryn, phone 07700 900456, sells from his van."


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_js_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page in a new context with JavaScript switched off (the public form's promise)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        java_script_enabled=False,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def _language(page: Page, language: str, next_url: str) -> None:
    page.goto(f"/language/{language}/?next={next_url}")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _public_submission(
    page: Page, language: str, check: Any = None, what: str = PLANTED
) -> tuple[str, str]:
    """Send the public form; ``check`` runs axe (a page with JavaScript: axe needs it)."""
    check = check or (lambda: None)
    report_url = reverse("intelligence:report")
    _language(page, language, report_url)
    check()
    form = page.locator(f'main form[action="{report_url}"]')
    # The warning comes before the first free-text box.
    warning_y = page.locator("#identify-warning").bounding_box()["y"]  # type: ignore[index]
    assert warning_y < form.locator("#id_area").bounding_box()["y"]  # type: ignore[index]
    form.locator("input[name=county]").first.check()
    form.locator("#id_area").fill("Llanelli town centre")
    form.locator("input[name=when_seen][value=this_week]").check()
    form.locator("input[name=how_known][value=saw]").check()
    form.locator("#id_what").fill(what)
    page.wait_for_timeout(3200)  # a person takes longer than the form's minimum
    follow(page, form.locator("button[type=submit]"))
    check()
    reference = page.locator("#reference").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    assert reference.startswith("INT-") and len(secret) == 14
    return reference, secret


def _status(page: Page, reference: str, secret: str, check: Any = None) -> str:
    check = check or (lambda: None)
    page.goto(reverse("intelligence:status"))
    check()
    page.locator("#id_reference").fill(reference)
    page.locator("#id_secret").fill(secret)
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check()
    return page.locator("#status").inner_text().strip()


@pytest.mark.parametrize("language", ["cy", "en"])
def test_journey_8_the_public_report_without_javascript(
    no_js_page: Page, page: Page, check_page: Any, demo_users: Any, language: str
) -> None:
    from pontio.intelligence.models import IntelligenceReport

    # Without JavaScript: the form, the reference and secret, the status, a wrong secret.
    reference, secret = _public_submission(no_js_page, language)
    report = IntelligenceReport.objects.get(reference=reference)
    assert report.channel == "public" and report.original.text == PLANTED
    assert _status(no_js_page, reference, secret)
    expect(no_js_page.locator("#status")).to_be_visible()
    no_js_page.locator("#id_reference").fill(reference)
    no_js_page.locator("#id_secret").fill("WRNG-WRNG-WRNG")
    follow(no_js_page, no_js_page.locator("main form[novalidate] button[type=submit]"))
    expect(no_js_page.locator("#not-found")).to_be_visible()
    assert PLANTED not in no_js_page.content()

    # The same pages with axe and the phone width (axe runs as a script, so in a browser
    # with JavaScript on): the form and the confirmation, the status and "not found".
    _public_submission(page, language, check_page, what="Dealing from a car park most evenings.")
    assert _status(page, reference, secret, check_page)
    page.locator("#id_reference").fill(reference)
    page.locator("#id_secret").fill("WRNG-WRNG-WRNG")
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    expect(page.locator("#not-found")).to_be_visible()
    page.goto(reverse("intelligence:community"))
    check_page()


def _grade(page: Page, report_pk: int, check: Any) -> None:
    page.goto(reverse("intelligence:assess", args=[report_pk]))
    check()
    follow(page, page.locator(f'main a[href="{reverse("intelligence:grade", args=[report_pk])}"]'))
    check()
    page.locator("input[name=scheme][value='3x5x2']").check()
    page.locator("#id_source_code").select_option("2")
    page.locator("#id_information_code").select_option("B")
    page.locator("#id_handling_code").select_option("P")
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check()
    expect(page.locator("#grade")).to_contain_text("2/B/P")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_9_the_officer_grades_sanitises_actions_and_the_county_page_shows_the_line(
    page: Page, browser: Browser, live_server: Any, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.intelligence import selectors
    from pontio.intelligence.models import IntelligenceReport

    # A report sent by the public (through the same form, JavaScript on this time).
    reference, secret = _public_submission(page, language, check_page)
    report = IntelligenceReport.objects.get(reference=reference)
    page.context.clear_cookies()

    sign_in(page, "intelligence")
    _language(page, language, reverse("intelligence:queue"))
    check_page()
    follow(page, page.locator(f'main a[href="{reverse("intelligence:assess", args=[report.pk])}"]'))
    check_page()
    expect(page.locator("#original-text")).to_contain_text("Gareth Prosser")
    expect(page.locator("#actionable-verdict")).to_be_visible()

    _grade(page, report.pk, check_page)

    follow(
        page, page.locator(f'main a[href="{reverse("intelligence:sanitise", args=[report.pk])}"]')
    )
    check_page()
    page.locator("#id_text").fill(
        "A man is reported to sell drugs from a vehicle in a town centre."
    )
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    expect(page.locator("#sanitised-text")).to_contain_text("from a vehicle")

    follow(
        page, page.locator(f'main a[href="{reverse("intelligence:prioritise", args=[report.pk])}"]')
    )
    check_page()
    page.locator("input[name=priority][value=medium]").check()
    page.locator("#id_reason").fill("Time-critical: a regular pattern.")
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    for key in ("graded", "sanitised", "prioritised", "handling"):
        expect(page.locator(f"[data-check={key}] .govuk-tag--green")).to_be_visible()

    follow(page, page.locator(f'main a[href="{reverse("intelligence:action", args=[report.pk])}"]'))
    check_page()
    page.locator("#id_action").fill("Patrols increased at the car park")
    page.locator("#id_result").fill("Two people searched; drugs seized")
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    expect(page.locator("#actions")).to_contain_text("Patrols increased")

    # The "you said, we did" line, from the report: an error first (a phone number left in).
    follow(
        page, page.locator(f'main a[href="{reverse("intelligence:summaries")}?report={report.pk}"]')
    )
    check_page()
    page.locator("#id_county").select_option(str(report.county_id))
    page.locator("#id_you_said_en").fill(
        "You told us about drug dealing from a vehicle in a town centre."
    )
    page.locator("#id_you_said_cy").fill(
        "Dywedoch wrthym am werthu cyffuriau o gerbyd yng nghanol tref."
    )
    page.locator("#id_we_did_en").fill("We increased patrols and seized drugs. Call 07700 900456.")
    page.locator("#id_we_did_cy").fill("Gwnaethom gynyddu patrolau ac atafaelu cyffuriau.")
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    follow(page, page.locator("#summary-lines a").first)
    check_page()
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    # A clean line is approved.
    from pontio.intelligence.models import CommunitySummary

    CommunitySummary.objects.all().delete()
    page.goto(reverse("intelligence:summaries") + f"?report={report.pk}")
    page.locator("#id_county").select_option(str(report.county_id))
    page.locator("#id_you_said_en").fill(
        "You told us about drug dealing from a vehicle in a town centre."
    )
    page.locator("#id_you_said_cy").fill(
        "Dywedoch wrthym am werthu cyffuriau o gerbyd yng nghanol tref."
    )
    page.locator("#id_we_did_en").fill("We increased patrols and seized drugs.")
    page.locator("#id_we_did_cy").fill("Gwnaethom gynyddu patrolau ac atafaelu cyffuriau.")
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()
    follow(page, page.locator("#summary-lines a").first)
    check_page()
    follow(page, page.locator("main form[novalidate] button[type=submit]"))
    check_page()

    # The county page (signed out, in the same language) shows the line and nothing planted.
    page.context.clear_cookies()
    county_url = reverse(
        "intelligence:community-county", args=[selectors.county_slug(report.county)]
    )
    _language(page, language, county_url)
    check_page()
    main = page.locator("main")
    expect(main).to_contain_text("seized drugs" if language == "en" else "atafaelu cyffuriau")
    text = main.inner_text()
    for planted in ("Gareth", "Prosser", "Heol y Bryn", "07700", reference):
        assert planted not in text

    # And the public sees "actioned" with the reference and the secret.
    assert _status(page, reference, secret, check_page)
    from pontio.intelligence.models import ReportStatus

    report.refresh_from_db()
    assert report.status == ReportStatus.ACTIONED
