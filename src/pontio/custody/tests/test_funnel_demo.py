"""The custody demo: made through the real services, dated in the past, feeding every step
of the funnel, with the records a tester walks by hand; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pontio.custody.demo import PREFIX, WALK_AUTHORISATION, WALK_TODAY, seed_custody
from pontio.custody.funnel import selectors
from pontio.custody.funnel.selectors import Filters
from pontio.custody.models import BreachTask, CustodyRecord, InspectorAuthorisation
from pontio.custody.selectors import authorisations_waiting
from pontio.custody.tests.helpers import make_person

pytestmark = pytest.mark.django_db


def test_the_demo_feeds_the_funnel_and_adds_nothing_again(world: dict[str, Any]) -> None:
    counties = {"W06000010": "Llanelli", "W06000009": "Haverfordwest", "W06000008": "Aberystwyth"}
    for n in range(4):
        for code, town in counties.items():
            make_person(f"Demo{n}", town, county_code=code, town=town)
    result = seed_custody(count=80)
    assert result.created > 50 and result.assessments > 5, result
    assert result.refused == 0, result
    records = CustodyRecord.objects.filter(custody_number__startswith=PREFIX)
    now = timezone.now()
    assert all(r.created_at <= now for r in records)
    assert (
        records.exclude(custody_number__in=[WALK_TODAY, WALK_AUTHORISATION])
        .filter(arrested_at__gt=now - dt.timedelta(hours=20))
        .count()
        == 0
    )
    today = timezone.localdate()
    counts = selectors.funnel(
        world["analyst"], Filters(today - dt.timedelta(days=200), today)
    ).counts
    for key in ("arrests", "tested", "positive", "required", "attended", "failures"):
        assert counts[key] > 0, (key, counts)
    # The walk: today's detainee, the authorisation waiting for the demo inspector, a task.
    assert not hasattr(CustodyRecord.objects.get(custody_number=WALK_TODAY), "test_cache")
    waiting = authorisations_waiting(world["inspector"])
    assert [a.record.custody_number for a in waiting] == [WALK_AUTHORISATION]
    assert InspectorAuthorisation.objects.get().state == "pending"
    assert [what for what, _n in result.walk][:2] == [
        "A detainee booked today at Llanelli, waiting for the test",
        "An authorisation waiting for the demo inspector",
    ]
    assert BreachTask.objects.exists()
    total = records.count()
    again = seed_custody(count=80)
    assert again.created == 0
    assert CustodyRecord.objects.filter(custody_number__startswith=PREFIX).count() == total
