"""Journey 11 (the Commissioner's office) and journey 18 (the facts, live) in the browser, in
English and in Welsh, with axe and the 375 px check on every page (``check_page``):

1. the OPCC analyst opens the dashboards: aggregates only, small numbers suppressed;
2. opens the deep dive's facts for 2016 to 2018: each figure with its base and end values,
   definition and source, or what is missing;
3. opens the tracker, a recommendation, and records a new position (an error first: a date
   before the last position);
4. previews the Police and Crime Panel report, produces it in Welsh, in English and side by
   side, and downloads each PDF, whose text is read back.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def _sign_in_as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    page.goto(f"/language/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _pdf_text(page: Page, href: str) -> str:
    from pypdf import PdfReader

    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    return " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split()
    )


def _world() -> Any:
    from pontio.oversight.demo import DEEP_DIVE, seed_tracker
    from pontio.oversight.demo_facts import seed_facts
    from pontio.oversight.models import Review

    seed_tracker(dt.date(2026, 12, 3))
    seed_facts(today=dt.date(2026, 12, 3))
    return Review.objects.get(title_en=DEEP_DIVE)


def _produce(page: Page, check_page: Any, review: Any, language: str) -> str:
    """Preview the report in ``language`` (en, cy or both), produce it; the stored report's
    PDF address."""
    page.goto(reverse("oversight:report-new", args=[review.pk]))
    check_page()
    _date(page, "as_of", dt.date(2019, 10, 25))
    page.locator(f"input[name=language][value={language}]").check()
    follow(page, page.locator("main form[method=get] button[type=submit]"))
    check_page()
    produce = reverse("oversight:report-create", args=[review.pk])
    follow(page, page.locator(f'main form[action="{produce}"] button[type=submit]'))
    check_page()
    link = page.locator("main a[href$='report.pdf']")
    expect(link).to_be_visible()
    return link.get_attribute("href") or ""


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_11_the_analyst_updates_a_position_and_produces_the_panel_report(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.oversight.models import Recommendation

    review = _world()
    _sign_in_as(page, "analyst", language)

    # 1-2. The dashboards and the facts: aggregates, each with its definition and source.
    page.goto(reverse("oversight:dashboards"))
    check_page()
    page.goto(reverse("oversight:facts"))
    check_page()
    _date(page, "start", dt.date(2016, 1, 1))
    _date(page, "end", dt.date(2018, 12, 31))
    follow(page, page.locator("main form[method=get] button[type=submit]"))
    check_page()
    # Deaths from the ONS file (271 in 2016, 327 in 2018); the operations fact is missing.
    expect(page.locator("main")).to_contain_text("327")
    expect(page.locator("main")).to_contain_text("+21%")

    # 3. The tracker, a recommendation, a position: an early date is refused first.
    page.goto(reverse("oversight:reviews"))
    check_page()
    follow(page, page.locator(f'main a[href="{reverse("oversight:review", args=[review.pk])}"]'))
    check_page()
    recommendation = Recommendation.objects.get(review=review, number=3)
    follow(
        page,
        page.locator(
            f'main a[href="{reverse("oversight:recommendation", args=[recommendation.pk])}"]'
        ),
    )
    check_page()
    form = page.locator(
        f'main form[action="{reverse("oversight:position-add", args=[recommendation.pk])}"]'
    )
    _date(page, "as_of", dt.date(2019, 8, 1))
    form.locator("input[name=rag][value=green]").check()
    form.locator("#id_text_en").fill("Referral forms now refuse missing contact details.")
    form.locator("#id_text_cy").fill(
        "Mae ffurflenni atgyfeirio bellach yn gwrthod manylion cyswllt coll."
    )
    follow(page, form.locator("button[type=submit]"))
    check_page()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert recommendation.positions.count() == 2
    _date(page, "as_of", dt.date(2019, 10, 20))
    follow(page, form.locator("button[type=submit]"))
    check_page()
    recommendation.refresh_from_db()
    assert recommendation.rag == "green" and recommendation.positions.count() == 3
    expect(page.locator("main")).to_contain_text(
        "Mae ffurflenni atgyfeirio" if language == "cy" else "Referral forms now refuse"
    )

    # 4. The report in Welsh, in English and side by side; each PDF read back.
    welsh = _pdf_text(page, _produce(page, check_page, review, "cy"))
    assert "Adroddiad cynnydd" in welsh
    assert "Mae ffurflenni atgyfeirio bellach yn gwrthod" in welsh
    english = _pdf_text(page, _produce(page, check_page, review, "en"))
    assert "Progress report" in english and "Referral forms now refuse" in english
    assert "Adroddiad cynnydd" not in english
    both = _pdf_text(page, _produce(page, check_page, review, "both"))
    assert "Adroddiad cynnydd" in both and "Progress report" in both
    page.goto(reverse("oversight:reports"))
    check_page()
    expect(page.locator("main tbody tr")).to_have_count(3)
