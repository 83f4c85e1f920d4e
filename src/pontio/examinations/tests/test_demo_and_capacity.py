"""The demo data (six months, local capacity added part-way) and the capacity figures it
gives, against a hand-computed example."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pontio.examinations import capacity
from pontio.examinations.demo import seed_examinations
from pontio.examinations.models import ExaminationRequest, ExaminerProfile
from pontio.examinations.tests import helpers as h

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_six_months_through_the_services_and_again_adds_nothing(
    demo_users: Any,
) -> None:
    from pontio.custody.reference import load_all

    load_all()
    first = seed_examinations(per_day=0.6)
    assert first.created > 40 and first.completed > 20 and first.open > 0
    assert first.refused == 0
    oldest = ExaminationRequest.objects.order_by("requested_on").first()
    assert (timezone.localdate() - oldest.requested_on).days > 140
    assert ExaminerProfile.objects.filter(unit="local").count() == 2
    again = seed_examinations(per_day=0.6)
    assert again.created == 0 and again.skipped == first.created


def test_local_capacity_shortens_turnaround_in_the_demo(demo_users: Any) -> None:
    from pontio.custody.reference import load_all

    load_all()
    seed_examinations(per_day=0.8)
    local_from = min(
        ExaminerProfile.objects.filter(unit="local").values_list("active_from", flat=True)
    )
    done = ExaminationRequest.objects.filter(status="completed", level="triage")
    before = [r.working_days_taken for r in done if r.requested_on < local_from]
    after = [r.working_days_taken for r in done if r.requested_on >= local_from]
    assert before and after
    assert sum(after) / len(after) < sum(before) / len(before)


def test_capacity_figures_by_hand(world: Any) -> None:
    """Six triage requests in Carmarthenshire today; one taken and resulted the same day."""
    rows = [h.make_request(world["intelligence"], world["operation"]) for _ in range(6)]
    h.take(world["examiner"], rows[0])
    h.result(world["examiner"], rows[0])
    today = timezone.localdate()
    figures = capacity.build(world["examiner"], today=today, months=3)
    assert figures.exact
    assert figures.demand[-1][1].text == "6"
    carms = next(r for r in figures.backlog if r["label"] == "Carmarthenshire")
    assert [c.text for c in carms["cells"]] == ["5", "0", "0", "5"]
    total = next(r for r in figures.turnaround if r["level"] == "Triage" and r["total"])
    assert (total["count"].text, total["median"].text, total["within"].text) == ("1", "0", "100%")
    assert figures.queue.text == "5"
    # The analyst: the same counts, small ones suppressed, medians over fewer than 5 hidden.
    analyst = capacity.build(world["analyst"], today=today, months=3)
    assert not analyst.exact
    total = next(r for r in analyst.turnaround if r["level"] == "Triage" and r["total"])
    assert total["count"].text == "fewer than 5"
    assert total["median"].text == "not shown"
    assert analyst.examiners == []


def test_the_months_of_the_period_end_with_this_month() -> None:
    months = capacity.month_starts(dt.date(2026, 12, 3), 6)
    assert months[0] == dt.date(2026, 7, 1) and months[-1] == dt.date(2026, 12, 1)
