"""The oversight API's figures: the deep dive's facts and the dashboards' tiles, the same as
their pages show (small numbers suppressed exactly as the page and the CSV, never more),
who may read them, and the refusals of a bad period."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.oversight.demo_facts import seed_facts
from pontio.oversight.facts import FACT_KEYS

pytestmark = pytest.mark.django_db
FY2018 = {"start": "2018-04-01", "end": "2019-03-31"}
PAGE_FY2018 = {
    "start_0": "1",
    "start_1": "4",
    "start_2": "2018",
    "end_0": "31",
    "end_1": "3",
    "end_2": "2019",
}
FACTS = "/api/v1/oversight/facts/"


def api(username: str) -> Any:
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_url_names() -> None:
    assert reverse("api-oversight-facts") == FACTS
    assert reverse("api-oversight-dashboard-tile", args=["drug-deaths"]) == (
        "/api/v1/oversight/dashboards/drug-deaths/"
    )


def test_the_facts_are_the_pages_figures(demo_users: dict[str, Any]) -> None:
    seed_facts(today=dt.date(2026, 12, 3))
    client = api("analyst")
    before = AuditEvent.objects.count()
    response = client.get(FACTS, FY2018)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["county"]) == ("2018-04-01", "2019-03-31", None)
    facts = {fact["key"]: fact for fact in body["facts"]}
    assert list(facts) == list(FACT_KEYS)
    assert facts["drug_deaths"]["value_text"] == "+110%"  # 2005 to 2018, Wales
    assert facts["investment"]["value_text"] == "£435,000"
    assert "chart" not in facts["drug_deaths"]
    page = html.unescape(client.get(reverse("oversight:facts"), PAGE_FY2018).content.decode())
    for fact in facts.values():
        assert fact["title"] in page
        if fact["value_text"] is not None:
            assert fact["value_text"] in page
        for row in fact["table_rows"]:
            for cell in row:
                assert cell in page
    assert AuditEvent.objects.count() == before


def test_an_inspector_gets_the_facts_without_the_commissioning_records(
    demo_users: dict[str, Any],
) -> None:
    seed_facts(today=dt.date(2026, 12, 3))
    body = api("inspector").get(FACTS, FY2018).json()
    investment = next(f for f in body["facts"] if f["key"] == "investment")
    assert investment["value_text"] is None
    text = " ".join(str(investment[k]) for k in ("explanation", "missing"))
    assert "Commissioning records are not open to your role." in text


def test_the_facts_of_a_county(demo_users: dict[str, Any]) -> None:
    response = api("analyst").get(FACTS, {**FY2018, "county": "W06000023"})
    assert response.status_code == 200
    assert response.json()["county"] == "W06000023"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2019-02-30"}, "start"),
        ({"start": "yesterday"}, "start"),
        ({"start": "2019-05-01", "end": "2019-04-01"}, "end"),
        ({"start": "1980-01-01"}, "start"),
        ({"county": "W99999999"}, "county"),
    ],
)
def test_a_bad_period_or_county_is_refused_by_field(
    demo_users: dict[str, Any], query: dict[str, str], field: str
) -> None:
    response = api("analyst").get(FACTS, query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("username", ["provider.manager", "officer", "admin"])
def test_the_facts_are_refused_to_other_roles(demo_users: dict[str, Any], username: str) -> None:
    assert api(username).get(FACTS).status_code == 403


def _searches() -> None:
    """November 2016: Carmarthenshire 6 searches (2 finds), Pembrokeshire 3 (1), Powys 8 (4)."""
    from pontio.stopsearch.tests.helpers import make_search

    for code, total, finds in (("W06000010", 6, 2), ("W06000009", 3, 1), ("W06000023", 8, 4)):
        for i in range(total):
            make_search(code, current_linked=i < finds)


HIDDEN = "not shown (small numbers)"
FEWER = "fewer than 5"


def test_a_suppressed_tile_holds_exactly_the_page_and_csv_figures(
    demo_users: dict[str, Any],
) -> None:
    _searches()
    client = api("analyst")
    query = {"start": "2016-11-01", "end": "2016-11-30"}
    before = AuditEvent.objects.count()
    response = client.get(reverse("api-oversight-dashboard-tile", args=["stop-search"]), query)
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.count() == before  # reading writes nothing
    body = response.json()
    assert body["suppressed"] is True and FEWER in body["suppression_note"]
    assert [c["label"] for c in body["columns"]] == [
        "Searches",
        "Found what was searched for",
        "Find rate",
    ]
    table = [[row["label"], *(cell["text"] for cell in row["cells"])] for row in body["rows"]]
    assert table == [
        ["Carmarthenshire", HIDDEN, FEWER, HIDDEN],
        ["Pembrokeshire", FEWER, FEWER, HIDDEN],
        ["Powys", "8", FEWER, HIDDEN],
        ["All counties", "17", "7", "41.2%"],
    ]
    hidden = [[cell["hidden"] for cell in row["cells"]] for row in body["rows"]]
    assert hidden == [
        [True, True, True],
        [True, True, True],
        [False, True, True],
        [False, False, False],
    ]
    assert body["rows"][-1]["total"] is True
    # Nothing beneath a hidden cell: each cell is its text and whether it is hidden.
    assert all(set(cell) == {"text", "hidden"} for row in body["rows"] for cell in row["cells"])
    rows = list(
        csv.reader(
            io.StringIO(client.get("/oversight/dashboards/stop-search.csv", query).content.decode())
        )
    )
    header = rows.index(["", "Searches", "Found what was searched for", "Find rate"])
    assert rows[header + 1 :] == table


def test_a_tile_of_a_county_and_the_default_period(demo_users: dict[str, Any]) -> None:
    client = api("analyst")
    url = reverse("api-oversight-dashboard-tile", args=["drug-deaths"])
    body = client.get(url).json()
    assert body["county"] is None and body["area"] == "All counties"
    assert body["suppressed"] is False and body["suppression_note"] is None  # published data
    chosen = client.get(url, {"start": "2019-01-01", "end": "2019-12-31", "county": "W06000023"})
    assert chosen.status_code == 200
    assert (chosen.json()["start"], chosen.json()["county"]) == ("2019-01-01", "W06000023")


def test_an_unknown_tile_is_not_found_and_a_tile_not_yours_is_refused(
    demo_users: dict[str, Any],
) -> None:
    manager = api("provider.manager")
    tile = "api-oversight-dashboard-tile"
    assert manager.get(reverse(tile, args=["nothing-here"])).status_code == 404
    assert manager.get(reverse(tile, args=["test-on-arrest"])).status_code == 403
    assert manager.get(reverse(tile, args=["first-contact"])).status_code == 200
    assert api("officer").get(reverse(tile, args=["drug-deaths"])).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-02-30"}, "start"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "end"),
        ({"start": "1980-01-01", "end": "1981-01-01"}, "start"),
        ({"county": "W99999999"}, "county"),
    ],
)
def test_a_tile_with_a_bad_period_is_refused_by_field(
    demo_users: dict[str, Any], query: dict[str, str], field: str
) -> None:
    url = reverse("api-oversight-dashboard-tile", args=["drug-deaths"])
    response = api("analyst").get(url, query)
    assert response.status_code == 400
    assert field in response.json()
