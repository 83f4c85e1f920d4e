"""The scrutiny panel's quarterly sample: seeded, reproducible, assigned, anonymised."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pontio.disposals import panel
from pontio.disposals.anonymised import anonymised_rows
from pontio.disposals.models import PanelReview
from pontio.disposals.services.panel import review_submit
from pontio.disposals.tests.helpers import CONTEXT, make_person, record

pytestmark = pytest.mark.django_db


def _quarter_of_disposals(sergeant, count):
    with time_machine.travel(dt.datetime(2026, 5, 12, 10, tzinfo=dt.UTC), tick=False):
        return [
            record(
                sergeant,
                make_person(f"Person{n}", "Sampl"),
                offence_summary=f"Planted-summary-{n} in Llanelli",
                offence_date=dt.date(2026, 5, 10),
            )
            for n in range(count)
        ]


def test_the_quarters_sample_is_drawn_once_reproducibly_and_assigned_to_the_panel(world):
    made = _quarter_of_disposals(world["custody.sergeant"], 6)
    sample, created = panel.draw_sample(
        quarter=dt.date(2026, 4, 1), context=CONTEXT, rate_percent=50, seed=11
    )
    assert created and sample.population == 6
    reviews = list(PanelReview.objects.filter(sample=sample))
    assert len(reviews) == 3  # ceil(50% of 6)
    assert {r.disposal_id for r in reviews} <= {d.pk for d in made}
    assert all(r.reviewer_id == world["panel"].pk for r in reviews)
    again, created_again = panel.draw_sample(quarter=dt.date(2026, 4, 1), context=CONTEXT)
    assert again.pk == sample.pk and not created_again
    assert panel.verify_sample(sample).matches


def test_the_anonymised_record_names_nobody_and_keeps_the_summary_out(world):
    disposal = _quarter_of_disposals(world["custody.sergeant"], 1)[0]
    text = " ".join(f"{label} {value}" for label, value in anonymised_rows(disposal))
    assert "Planted-summary" not in text
    assert "Person0" not in text and "Sampl" not in text
    assert disposal.reference not in text


def test_a_panel_member_records_a_judgement_with_feedback(world):
    _quarter_of_disposals(world["custody.sergeant"], 2)
    sample, _created = panel.draw_sample(
        quarter=dt.date(2026, 4, 1), context=CONTEXT, rate_percent=100, seed=3
    )
    review = PanelReview.objects.filter(sample=sample).first()
    done = review_submit(
        context=CONTEXT,
        actor=world["panel"],
        review_id=review.pk,
        judgement="concerns",
        feedback="The victim's views were not sought before the decision.",
        expected_version=review.version,
    )
    assert done.judgement == "concerns" and done.reviewed_at <= timezone.now()
