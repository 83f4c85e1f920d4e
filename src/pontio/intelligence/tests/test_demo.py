"""The demo data is made through the services and can be seeded twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pontio.intelligence.models import CommunitySummary, IntelligenceReport, SummaryStatus

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_six_months_across_the_counties_once(demo_users: dict) -> None:
    call_command("seed_intelligence", count=60)
    reports = IntelligenceReport.objects.all()
    assert reports.count() == 60
    assert reports.values("county").distinct().count() == 4
    assert reports.filter(scheme="5x5x5").exists() and reports.filter(scheme="3x5x2").exists()
    assert reports.filter(status="actioned").exists() and reports.filter(status="received").exists()
    assert set(reports.values_list("channel", flat=True)) == {"public", "officer", "partner"}
    approved = CommunitySummary.objects.filter(status=SummaryStatus.APPROVED)
    assert approved.values("county").distinct().count() == 4
    assert all(s.you_said_cy and s.we_did_cy for s in approved)
    call_command("seed_intelligence", count=60)
    assert IntelligenceReport.objects.count() == 60
