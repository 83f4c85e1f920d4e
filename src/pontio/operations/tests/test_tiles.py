"""The dashboard tiles and the intelligence section, against hand-counted examples."""

from __future__ import annotations

import pytest
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.core.tiles import TileQuery, get_tile, present
from pontio.operations import services
from pontio.operations.tests.helpers import (
    CARMS,
    CONTEXT,
    county,
    in_enforcement,
    refer,
)

pytestmark = pytest.mark.django_db


def _query() -> TileQuery:
    today = timezone.localdate()
    return TileQuery(start=today.replace(day=1), end=today, county=None, today=today)


def _cells(shown, row_key):
    row = next(r for r in shown.rows if r.key == row_key)
    return [c.text for c in row.cells]


def test_demand_tile_suppresses_small_counts_for_the_analyst(world):
    lead = world["operations"]
    operation = in_enforcement(lead)
    referral = refer(world["officer"], world["person"], pathway="stop_search")
    services.referrals_link(
        context=CONTEXT, actor=lead, operation_id=operation.pk, referral_ids=[referral.pk]
    )
    tile = get_tile("operations-demand")
    assert tile is not None
    query = _query()
    exact = present(tile, query, tile.build(lead, query))
    assert _cells(exact, county(CARMS).ons_code)[:2] == ["12", "1"]
    analyst = present(tile, query, tile.build(world["analyst"], query))
    carms = _cells(analyst, county(CARMS).ons_code)
    assert carms[0] == "12" and carms[1] != "1"


def test_results_tile_counts_by_county(world):
    lead = world["operations"]
    operation = in_enforcement(lead)
    services.result_record(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        county_id=county(CARMS).pk,
        recorded_on=timezone.localdate(),
        arrests=30,
        charges=20,
        convictions=10,
    )
    tile = get_tile("operations-results")
    query = _query()
    shown = present(tile, query, tile.build(world["analyst"], query))
    assert _cells(shown, county(CARMS).ons_code)[:3] == ["30", "20", "10"]


def test_the_intelligence_officer_links_a_report_from_its_screen(world):
    from django.urls import reverse

    from pontio.intelligence.tests.helpers import public_report
    from pontio.operations.models import IntelligenceLink

    operation = in_enforcement(world["operations"])
    report, _secret = public_report()
    client = demo_sign_in("intelligence")
    page = client.get(reverse("intelligence:assess", args=[report.pk])).content.decode()
    assert operation.reference in page and "Link to the operation" in page
    url = reverse("operations:intelligence-link", args=[report.pk])
    assert client.post(url, {"operation": "999999"}).status_code == 302
    assert not IntelligenceLink.objects.exists()
    assert client.post(url, {"operation": operation.pk}).status_code == 302
    assert IntelligenceLink.objects.filter(operation=operation, report=report).count() == 1
    detail = demo_sign_in("operations").get(reverse("operations:detail", args=[operation.pk]))
    assert report.reference in detail.content.decode()
    assert demo_sign_in("caseworker").post(url, {"operation": operation.pk}).status_code == 403


def test_sections_registered_by_higher_apps_show_on_the_operation_page(world):
    from django.urls import reverse

    from pontio.operations import panels

    operation = in_enforcement(world["operations"])
    seen: list[int] = []

    def build(user, op):
        seen.append(op.pk)
        return {"note": "from a test section"}

    panels.register_section(
        panels.Section("test-section", "A test section", "operations/_test_section.html", build)
    )
    try:
        shown = panels.sections_for(world["operations"], operation)
        assert [s["key"] for s in shown] == ["test-section"] and shown[0]["note"]
        assert panels.sections_for(world["caseworker"], operation) == []
        assert seen == [operation.pk]
        assert reverse("operations:detail", args=[operation.pk])
    finally:
        panels._SECTIONS.pop("test-section", None)
