"""The dashboards page and its CSVs: access by tile permission, the form and its errors, the
default period, query counts, and that reading writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import formats, timezone

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conftest import *  # noqa: E402, F403
from tests.conftest import demo_sign_in as _demo_sign_in  # noqa: E402

from pontio.audit.models import AuditEvent  # noqa: E402
from pontio.core import tiles  # noqa: E402
from pontio.core.models import County  # noqa: E402
from pontio.oversight.demo_crime import seed_crime  # noqa: E402
from pontio.oversight.models import CrimeCount  # noqa: E402
from pontio.oversight.views.dashboards import default_period  # noqa: E402

pytestmark = pytest.mark.django_db
URL = "/oversight/dashboards/"


def sign_in(username: str) -> Any:
    client = _demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def keys_on(page: str) -> list[str]:
    return [t.key for t in tiles.all_tiles() if f'id="tile-{t.key}"' in page]


def test_the_default_period_is_the_last_twelve_full_months() -> None:
    assert default_period(dt.date(2026, 12, 3)) == (dt.date(2025, 12, 1), dt.date(2026, 11, 30))
    assert default_period(dt.date(2026, 1, 1)) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_every_capability_registers_its_tiles() -> None:
    keys = {t.key for t in tiles.all_tiles()}
    assert {
        "police-share",
        "first-contact",
        "treatment-starts",
        "reduced-use",
        "test-on-arrest",
        "diversion-completion",
        "needs-reduction",
        "reoffending",
        "stop-search",
        "disproportionality",
        "drug-crime-trend",
        "drug-crime-map",
        "drug-deaths",
    } <= keys
    for tile in tiles.all_tiles():
        assert tile.definition and tile.source and tile.anchor.startswith("dashboard-")


def test_the_analyst_sees_every_tile() -> None:
    response = sign_in("analyst").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert set(keys_on(page)) == {t.key for t in tiles.all_tiles()}
    # Each tile has its accessible table or says there is no data.
    for tile in tiles.all_tiles():
        assert f'id="tile-{tile.key}-table"' in page or f'id="tile-{tile.key}-missing"' in page


def test_a_provider_manager_sees_only_the_tiles_of_their_permissions() -> None:
    page = sign_in("provider.manager").get(URL).content.decode()
    shown = set(keys_on(page))
    assert "first-contact" in shown and "drug-crime-trend" in shown
    assert not shown & {"test-on-arrest", "stop-search", "reoffending", "diversion-completion"}


def test_a_provider_manager_may_not_download_a_tile_they_do_not_see() -> None:
    client = sign_in("provider.manager")
    assert client.get(f"{URL}test-on-arrest.csv").status_code == 403
    assert client.get(f"{URL}first-contact.csv").status_code == 200


@pytest.mark.parametrize("username", ["caseworker", "officer", "custody.officer"])
def test_roles_without_the_dashboards_are_refused(username: str) -> None:
    client = sign_in(username)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}drug-deaths.csv").status_code == 403


def test_an_unknown_tile_is_not_found() -> None:
    assert sign_in("analyst").get(f"{URL}nothing-here.csv").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-02-30"},
        {"start": "yesterday"},
        {"start": "2026-05-01", "end": "2026-04-01"},
        {"start": "1980-01-01", "end": "1981-01-01"},
    ],
)
def test_invalid_dates_give_the_error_summary_and_no_figures(query: dict[str, str]) -> None:
    client = sign_in("analyst")
    page = client.get(URL, query).content.decode()
    assert "govuk-error-summary" in page
    assert 'id="tile-' not in page
    assert client.get(f"{URL}drug-deaths.csv", query).status_code == 400


def test_a_chosen_period_and_county_are_shown() -> None:
    powys = County.objects.get(ons_code="W06000023")
    page = (
        sign_in("analyst")
        .get(URL, {"start": "2019-01-01", "end": "2019-12-31", "county": "W06000023"})
        .content.decode()
    )
    assert f"{powys.label}, 1 January 2019 to 31 December 2019" in page
    assert 'value="2019-01-01"' in page


def test_reading_the_page_writes_nothing(django_assert_max_num_queries: Any) -> None:
    seed_crime(today=timezone.localdate())
    client = sign_in("analyst")
    before = (AuditEvent.objects.count(), CrimeCount.objects.count())
    client.get(URL)
    assert (AuditEvent.objects.count(), CrimeCount.objects.count()) == before


def test_the_page_takes_few_queries_per_tile(django_assert_max_num_queries: Any) -> None:
    seed_crime(today=timezone.localdate())
    client = sign_in("analyst")
    client.get(URL)  # the session and the permissions warm up
    budget = 3 * len(tiles.all_tiles()) + 12
    with django_assert_max_num_queries(budget):
        assert client.get(URL).status_code == 200


def test_the_csv_of_a_public_tile_is_the_page_table() -> None:
    seed_crime(today=timezone.localdate())
    client = sign_in("analyst")
    query = {"start": "2017-01-01", "end": "2017-12-31"}
    response = client.get(f"{URL}drug-crime-map.csv", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Drug crimes per 1,000 residents by county"]
    assert ["Period", "2017-01-01", "2017-12-31"] in rows
    # Every county's drug crimes in 2017, as seeded.
    table = {row[0]: row[1:] for row in rows if len(row) == 4 and row[0]}
    for county in County.objects.all():
        crimes = sum(
            CrimeCount.objects.filter(
                county=county, crime_type="Drugs", month__year=2017
            ).values_list("count", flat=True)
        )
        assert table[county.label][0] == formats.number_format(crimes)
    page = client.get(URL, query).content.decode()
    for label, cells in table.items():
        assert label in page
        for cell in cells:
            assert f">{cell}</td>" in page


def _searches() -> None:
    """November 2016: Carmarthenshire 6 searches (2 finds), Pembrokeshire 3 (1), Powys 8 (4)."""
    from pontio.stopsearch.tests.helpers import make_search

    for code, total, finds in (("W06000010", 6, 2), ("W06000009", 3, 1), ("W06000023", 8, 4)):
        for i in range(total):
            make_search(code, current_linked=i < finds)


def test_the_csv_of_a_suppressed_tile_holds_exactly_the_page_figures() -> None:
    import re

    _searches()
    client = sign_in("analyst")
    query = {"start": "2016-11-01", "end": "2016-11-30"}
    rows = list(
        csv.reader(io.StringIO(client.get(f"{URL}stop-search.csv", query).content.decode()))
    )
    header = rows.index(["", "Searches", "Found what was searched for", "Find rate"])
    table = rows[header + 1 :]
    assert table == [
        [
            "Carmarthenshire",
            "not shown (small numbers)",
            "fewer than 5",
            "not shown (small numbers)",
        ],
        ["Pembrokeshire", "fewer than 5", "fewer than 5", "not shown (small numbers)"],
        ["Powys", "8", "fewer than 5", "not shown (small numbers)"],
        ["All counties", "17", "7", "41.2%"],
    ]
    assert any("fewer than 5" in " ".join(row) for row in rows[:header])  # the note
    page = client.get(URL, query).content.decode()
    section = page[page.index('id="tile-stop-search-table"') :]
    section = section[: section.index("</table>")]
    cells = re.findall(
        r'<td class="govuk-table__cell[^"]*" data-label="([^"]*)">([^<]*)</td>', section
    )
    assert [text for _label, text in cells] == [cell for row in table for cell in row[1:]]
    assert {label for label, _text in cells} == {
        "Searches",
        "Found what was searched for",
        "Find rate",
    }


def test_every_table_has_a_caption_headers_with_scope_and_labels_for_small_screens() -> None:
    import re

    seed_crime(today=timezone.localdate())
    page = (
        sign_in("analyst").get(URL, {"start": "2019-01-01", "end": "2019-12-31"}).content.decode()
    )
    tables = re.findall(r'<table class="govuk-table.*?</table>', page, flags=re.S)
    assert tables
    for table in tables:
        assert '<caption class="govuk-table__caption' in table
        assert '<th scope="col"' in table and '<th scope="row"' in table
        assert '<td class="govuk-table__cell' in table
        assert not re.search(r'<td class="govuk-table__cell[^"]*">', table)  # data-label on all
    assert 'role="img"' in page  # the charts are images with a title beside their table
    assert "style=" not in page.split("<main", 1)[1]


def test_a_csv_download_is_audited() -> None:
    from pontio.core.recording import AuditAction

    client = sign_in("analyst")
    response = client.get(f"{URL}drug-deaths.csv", {"start": "2019-01-01", "end": "2019-12-31"})
    assert response.status_code == 200
    assert (
        'filename="pontio-drug-deaths-2019-01-01-2019-12-31.csv"' in response["Content-Disposition"]
    )
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="oversight.dashboard")
    assert "drug-deaths" in event.reason
