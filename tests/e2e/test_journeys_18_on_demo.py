"""Journeys 8, 9, 10 and 17 of ../shared/JOURNEYS.md walked on the demo data, as ``make demo``
seeds it, in English and in Welsh, with axe and the 375 px check on every page.

The apps' own browser tests (test_intelligence, test_operations, test_examinations) walk
every step on small worlds of their own; this one shows the demo holds what a tester needs to
walk them by hand: a public report through the form, the intelligence queue with the demo's
reports and the operation "Merlin" to link one to, Merlin's shared forecast on the DDAS
caseworker's home page, Heron's forecast against its referrals, and six months of device
examinations on the capacity page. Users reach pages through the navigation and links.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow
from tests.e2e.test_intelligence import _grade, _public_submission, _status
from tests.e2e.test_journeys_on_demo import _nav, _open, _seed_demo, _sign_in, _t

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
    expect(main).to_contain_text(_t("Carmarthenshire", language))
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
def test_journeys_8_9_10_and_17_on_the_demo(
    page: Page, live_server: Any, check_page: Any, language: str
) -> None:
    _seed_demo()
    _journey_8_and_9(page, check_page, language)
    _journey_10(page, check_page, language)
    _journey_17(page, check_page, language)
