"""The analysts' selector and the queue order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pontio.intelligence import selectors, services
from pontio.intelligence.tests.helpers import CONTEXT, POWYS, county, public_report

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_monthly_counts_by_county_and_month(demo_users: dict) -> None:
    public_report(at=_at(dt.date(2026, 3, 2)))
    public_report(at=_at(dt.date(2026, 3, 30)))
    public_report(at=_at(dt.date(2026, 4, 1)), county=county(POWYS))
    public_report(at=_at(dt.date(2026, 6, 1)))  # outside the period
    counts = selectors.monthly_counts(
        demo_users["analyst"], dt.date(2026, 3, 1), dt.date(2026, 4, 30)
    )
    assert counts == {
        (county().pk, dt.date(2026, 3, 1)): 2,
        (county(POWYS).pk, dt.date(2026, 4, 1)): 1,
    }


def test_monthly_counts_are_empty_for_those_who_may_not_count(demo_users: dict) -> None:
    public_report()
    today = timezone.localdate()
    for username in ("officer", "caseworker", "panel", "operations"):
        assert selectors.monthly_counts(demo_users[username], today.replace(day=1), today) == {}


def test_the_queue_puts_ungraded_first_then_by_priority(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    low, _ = public_report("low")
    high, _ = public_report("high")
    ungraded, _ = public_report("ungraded")
    for report, priority in ((low, "low"), (high, "high")):
        report = services.report_grade(
            actor=officer,
            context=CONTEXT,
            report_id=report.pk,
            version=report.version,
            scheme="3x5x2",
            source_code="2",
            information_code="B",
            handling_code="P",
        )
        services.report_prioritise(
            actor=officer,
            context=CONTEXT,
            report_id=report.pk,
            version=report.version,
            priority=priority,
            reason="r",
        )
    assert [r.pk for r in selectors.assessment_queue(officer)] == [ungraded.pk, high.pk, low.pk]


def test_the_home_panel_counts_the_queue(demo_users: dict) -> None:
    from pontio.core.navigation import panels_for

    public_report()
    panels = [p for p in panels_for(demo_users["intelligence"]) if p["title"] == "Intelligence"]
    assert panels[0]["items"][0]["count"] == 1


def test_the_queue_page_makes_a_fixed_number_of_queries(
    demo_users: dict, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import demo_sign_in

    client = demo_sign_in("intelligence")
    for n in range(3):
        public_report(f"report {n}")
    with django_assert_max_num_queries(30) as few:
        client.get("/intelligence/")
    for n in range(12):
        public_report(f"more {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/intelligence/").status_code == 200
