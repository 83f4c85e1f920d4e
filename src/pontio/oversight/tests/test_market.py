"""The drug market picture: intelligence, operations and police.uk drug crime by county and
month, for analysts only, small counts suppressed, nothing of a report on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.core import tiles
from pontio.core.models import County
from pontio.oversight import market
from pontio.oversight.demo_crime import seed_crime

pytestmark = pytest.mark.django_db
URL = "/oversight/market/"


def _client(username: str, language: str = "en"):
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_months_between_runs_first_to_last() -> None:
    months = market.months_between(dt.date(2025, 11, 15), dt.date(2026, 2, 1))
    assert months == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


@pytest.mark.parametrize("username", ["analyst", "intelligence", "operations"])
def test_analysts_see_the_map_and_the_table(demo_users: dict[str, Any], username: str) -> None:
    seed_crime(today=timezone.localdate())
    response = _client(username).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="tile-drug-market"' in body and 'id="tile-drug-crime-map"' in body
    assert "Carmarthenshire: the whole period" in body
    assert "/oversight/market/drug-market.csv?" in body


@pytest.mark.parametrize("username", ["officer", "caseworker", "provider.manager", "panel"])
def test_others_are_refused(demo_users: dict[str, Any], username: str) -> None:
    assert _client(username).get(URL).status_code == 403


def test_the_welsh_page(demo_users: dict[str, Any]) -> None:
    response = _client("analyst", "cy").get(URL)
    assert response.status_code == 200
    assert 'lang="cy"' in response.content.decode()


def test_small_counts_are_suppressed_and_the_parts_protected(demo_users: dict[str, Any]) -> None:
    county = County.objects.filter(ons_code="W06000010").first()
    assert county is not None
    query = tiles.TileQuery(dt.date(2026, 1, 1), dt.date(2026, 3, 31), None, None, (county,))
    data = market.build(demo_users["analyst"], query)
    # A county total and its three months (rows), the All row only with two counties or more.
    assert [r.total for r in data.rows] == [True, False, False, False]
    shown = tiles.present(market.TABLE, query, data)
    for row in shown.rows:
        for cell in row.cells:
            assert cell.text not in {"1", "2", "3", "4"} or cell.label.startswith("Drug crimes")


def test_a_bad_period_is_refused_with_the_reason(demo_users: dict[str, Any]) -> None:
    response = _client("analyst").get(URL, {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    assert "The last day must be the same as or after the first" in response.content.decode()


def test_the_csv_is_audited_and_an_unknown_key_is_not_found(demo_users: dict[str, Any]) -> None:
    from pontio.audit.models import AuditEvent

    client = _client("analyst")
    before = AuditEvent.objects.count()
    response = client.get(f"{URL}drug-market.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.count() > before
    assert client.get(f"{URL}nothing.csv").status_code == 404
