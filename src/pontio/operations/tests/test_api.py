"""The operations API: list, detail and results, with denials and suppression."""

from __future__ import annotations

import pytest
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.operations import services
from pontio.operations.tests.helpers import CARMS, CONTEXT, county, in_enforcement, new_operation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pontio.operations.tests.api_urls")]


def test_the_lead_lists_and_reads_operations(world):
    operation = in_enforcement(world["operations"])
    client = demo_sign_in("operations")
    listed = client.get("/api/v1/operations/").json()
    assert [o["reference"] for o in listed["results"]] == [operation.reference]
    detail = client.get(f"/api/v1/operations/{operation.pk}/").json()
    assert detail["code_name"] == "Kestrel"
    assert detail["briefings"][0]["recipient"] == "Head of Service"
    assert detail["demand"][0]["forecast_referrals"] == 12
    assert client.get("/api/v1/operations/?phase=nonsense").status_code == 400


@pytest.mark.parametrize("username", ["caseworker", "officer", "analyst"])
def test_others_may_not_read_operations(world, username):
    operation = new_operation(world["operations"])
    client = demo_sign_in(username)
    assert client.get("/api/v1/operations/").status_code == 403
    response = client.get(f"/api/v1/operations/{operation.pk}/")
    assert response.status_code == 403
    assert "Kestrel" not in response.content.decode()


def test_results_exact_for_the_lead_suppressed_for_the_analyst(world):
    lead = world["operations"]
    operation = in_enforcement(lead)
    services.result_record(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        county_id=county(CARMS).pk,
        recorded_on=timezone.localdate(),
        arrests=12,
        charges=3,
        convictions=0,
    )
    lead_view = demo_sign_in("operations").get("/api/v1/operations/results/").json()
    assert (lead_view["arrests"], lead_view["charges"]) == (12, 3)
    analyst = demo_sign_in("analyst").get("/api/v1/operations/results/").json()
    assert analyst["arrests"] == 12 and analyst["charges"] is None
    assert "charges" in analyst["suppressed"]
    assert demo_sign_in("caseworker").get("/api/v1/operations/results/").status_code == 403
    bad = demo_sign_in("analyst").get("/api/v1/operations/results/?start=yesterday")
    assert bad.status_code == 400
