"""The funnel's figures equal counts made by hand over 1,200 generated custody records
(issue 12: "the funnel figures equal counts computed by hand in a test")."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.utils import timezone

from pontio.custody.funnel import selectors
from pontio.custody.funnel.selectors import Filters
from pontio.custody.models import CustodySuite
from pontio.custody.tests import funnel_data
from pontio.custody.tests.helpers import CARMS, make_person
from pontio.referrals.tests.helpers import refer

pytestmark = pytest.mark.django_db

COUNT = 1200


@pytest.fixture
def generated(world: dict[str, Any]) -> list[funnel_data.Fact]:
    sergeant = world["custody.sergeant"]
    person = make_person()
    template = refer(world["officer"], person, pathway="custody")
    started = time.monotonic()
    made = funnel_data.build(COUNT, person=person, actor=sergeant, template=template)
    # Fast enough to run with the unit tests (bulk inserts, a handful of queries).
    assert time.monotonic() - started < 30
    return made


def test_the_data_set_is_realistic(generated: list[funnel_data.Fact]) -> None:
    today = timezone.localdate()
    counts = funnel_data.hand_count(generated, today - dt.timedelta(days=400), today)
    assert len(generated) >= 1000
    assert 0.5 < counts["arrests"] / COUNT < 0.7
    assert 0.5 < counts["positive"] / counts["tested"] < 0.7
    assert 0.65 < counts["attended"] / counts["required"] < 0.85
    assert counts["failures"] > 20 and counts["pursued"] > 5 and counts["treatment"] > 20


def test_the_whole_force_for_the_analyst(
    generated: list[funnel_data.Fact], world: dict[str, Any]
) -> None:
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=180), today - dt.timedelta(days=10)
    counts = selectors.count_steps(selectors.cohort(world["analyst"], Filters(start, end)))
    assert counts == funnel_data.hand_count(generated, start, end)


def test_every_period_and_suite_and_county(
    generated: list[funnel_data.Fact], world: dict[str, Any]
) -> None:
    today = timezone.localdate()
    analyst = world["analyst"]
    start, end = selectors.default_period(today)
    expected = funnel_data.hand_count(generated, start, end)
    assert selectors.funnel(analyst, Filters(start, end)).counts == expected
    for suite in CustodySuite.objects.all():
        filters = Filters(start, end, suite_id=suite.pk)
        assert selectors.count_steps(selectors.cohort(analyst, filters)) == (
            funnel_data.hand_count(generated, start, end, suite_code=suite.code)
        ), suite.code
    carms = CustodySuite.objects.get(code="LLANELLI").county_id
    filters = Filters(start, end, county_id=carms)
    assert selectors.count_steps(selectors.cohort(analyst, filters)) == (
        funnel_data.hand_count(generated, start, end, county_id=carms)
    )
    # One day: the bounds are local days, both included.
    day = today - dt.timedelta(days=40)
    assert selectors.count_steps(selectors.cohort(analyst, Filters(day, day))) == (
        funnel_data.hand_count(generated, day, day)
    )


def test_an_inspector_counts_the_suites_of_their_county(
    generated: list[funnel_data.Fact], world: dict[str, Any]
) -> None:
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=365), today
    carms_inspector = world["carms_inspector"]  # Carmarthenshire: Llanelli and Ammanford
    carms = CustodySuite.objects.get(code="LLANELLI").county_id
    assert selectors.count_steps(selectors.cohort(carms_inspector, Filters(start, end))) == (
        funnel_data.hand_count(generated, start, end, county_id=carms)
    )
    # The records behind a step: the same records, for someone who may open them.
    filters = Filters(start, end)
    behind = set(
        selectors.records_at(carms_inspector, filters, "pursued").values_list("pk", flat=True)
    )
    by_hand = {
        f.pk
        for f in generated
        if f.county_id == carms
        and f.decision == "prosecute"
        and (f.offence_code in funnel_data.TRIGGER or f.class_a_involved)
        and f.outcome == "sample_taken"
        and (f.confirmatory or f.result) != "negative"
    }
    assert behind == by_hand and behind
    assert CARMS  # the county the helpers' people live in
