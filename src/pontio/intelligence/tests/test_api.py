"""The intelligence API: intelligence officers only, scoped, audited."""

from __future__ import annotations

import pytest
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.intelligence.tests.helpers import POWYS, county, graded_report, public_report

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pontio.intelligence.tests.api_urlconf")]


def test_the_officer_lists_and_reads_reports_without_the_original(demo_users: dict) -> None:
    report = graded_report(demo_users["intelligence"], what="Original words ZQX")
    client = demo_sign_in("intelligence")
    listing = client.get("/api/v1/intelligence/reports/").json()
    assert [r["reference"] for r in listing["results"]] == [report.reference]
    detail = client.get(f"/api/v1/intelligence/reports/{report.pk}/").json()
    assert (
        detail["scheme"],
        detail["source_code"],
        detail["information_code"],
        detail["handling_code"],
    ) == ("3x5x2", "2", "B", "P")
    assert "ZQX" not in str(detail)
    assert (
        AuditEvent.objects.filter(
            action="read", object_type="intelligence.intelligencereport"
        ).count()
        >= 2
    )


def test_a_bad_status_filter_is_refused(demo_users: dict) -> None:
    response = demo_sign_in("intelligence").get("/api/v1/intelligence/reports/?status=lost")
    assert response.status_code == 400


@pytest.mark.parametrize("username", ["officer", "caseworker", "analyst", "operations", "auditor"])
def test_other_roles_are_refused(demo_users: dict, username: str) -> None:
    report, _ = public_report()
    client = demo_sign_in(username)
    assert client.get("/api/v1/intelligence/reports/").status_code == 403
    assert client.get(f"/api/v1/intelligence/reports/{report.pk}/").status_code == 403


def test_outside_the_scope_is_not_found(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    officer.force_wide = False
    officer.save()
    officer.counties.set([county(POWYS)])
    report, _ = public_report()
    client = demo_sign_in("intelligence")
    assert client.get(f"/api/v1/intelligence/reports/{report.pk}/").status_code == 404
    assert client.get("/api/v1/intelligence/reports/").json()["results"] == []
