"""Secondary suppression of the stop and search figures: no small count can be worked out
by subtraction from a total, on the page or in its CSV (``analysis.suppression``)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.core.figures import is_small
from pontio.stopsearch import analysis
from pontio.stopsearch.tests.helpers import CARMS, CERED, make_search

FEWER = "fewer than 5"
NUMBER = re.compile(r"^\d[\d,]*$")


def eight_and_three() -> None:
    """8 searches in Carmarthenshire and 3 in Ceredigion: 11 in all, nothing found."""
    for _ in range(8):
        make_search(CARMS)
    for _ in range(3):
        make_search(CERED)


def table(result: analysis.Analysis, key: str) -> analysis.Table:
    return next(t for t in analysis.tables(result) if t.key == key)


def column(t: analysis.Table, header: str) -> dict[str, str]:
    index = t.headers.index(header)
    return {row[0]: row[index] for row in t.rows}


def test_a_small_county_could_be_worked_out_from_the_total_before(world: dict[str, Any]) -> None:
    """The leak the secondary suppression closes: with primary suppression only, the
    county's 3 searches are the total (11) minus the other county (8)."""
    eight_and_three()
    result = analysis.analyse(world["analyst"], analysis.Filters())
    primary_only = {
        group.label: analysis.show_count(group.figures.searches, suppress=True)
        for group in result.groups["county"]
    }
    total = result.summary.searches
    assert primary_only == {"Carmarthenshire": "8", "Ceredigion": FEWER}
    assert total - int(primary_only["Carmarthenshire"]) == 3  # recoverable


def test_the_small_county_cannot_be_worked_out_any_more(world: dict[str, Any]) -> None:
    eight_and_three()
    result = analysis.analyse(world["analyst"], analysis.Filters())
    by_county = column(table(result, "by-county"), "Searches")
    assert by_county == {"Carmarthenshire": "not shown", "Ceredigion": FEWER}
    assert column(table(result, "summary"), "Searches") == {"All searches": "11"}
    # The same county's searches in the referrals table, and its rate per 1,000 (which with
    # the published population would give the count back), are hidden too.
    counties = table(result, "counties")
    assert column(counties, "Searches")["Carmarthenshire"] == "not shown"
    assert column(counties, "Searches per 1,000 residents")["Carmarthenshire"] == "not shown"
    assert column(table(result, "by-county"), "Find rate (95% CI)")["Carmarthenshire"] == (
        "not shown"
    )


def test_an_inspector_sees_the_exact_figures(world: dict[str, Any]) -> None:
    from tests.factories import UserFactory

    from pontio.accounts.roles import Role

    eight_and_three()
    wide = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    result = analysis.analyse(wide, analysis.Filters())
    assert result.hidden == frozenset()
    assert column(table(result, "by-county"), "Searches") == {
        "Carmarthenshire": "8",
        "Ceredigion": "3",
    }


def test_a_group_hidden_in_one_table_is_hidden_in_every_table(world: dict[str, Any]) -> None:
    # 9 White and 2 Black searches; 3 arrests (small) among 11.
    for n in range(9):
        make_search(CARMS, current_outcome="arrest" if n < 3 else "nfa", current_linked=n < 3)
    for _ in range(2):
        make_search(CARMS, officer_defined_ethnicity="Black")
    result = analysis.analyse(world["analyst"], analysis.Filters())
    ethnicity = column(table(result, "by-ethnicity"), "Searches")
    assert ethnicity == {"White": "not shown", "Black": FEWER}
    ratios = table(result, "disproportionality")
    assert column(ratios, "Searches")["White"] == "not shown"
    assert column(ratios, "Searches per 1,000 residents")["White"] == "not shown"
    # The arrests (3) are the current outcome "Arrest": once hidden, both stay hidden, and
    # the other current outcome (8 "no further action" = 11 - 3) is hidden with them.
    assert column(table(result, "summary"), "Arrests") == {"All searches": FEWER}
    current = column(table(result, "outcomes"), "Current outcome")
    assert current["Arrest"] == FEWER
    assert current["A no further action disposal"] == "not shown"


def _assert_no_lone_small_cell(result: analysis.Analysis) -> None:
    """In each table whose rows add up to a total shown in "All searches", a count shown as
    "fewer than 5" always has another hidden count beside it."""
    for t in analysis.tables(result):
        if t.key in ("summary", "drugs-trend", "disproportionality", "counties"):
            continue
        for header in t.headers[1:]:
            if "rate" in header:
                continue
            cells = column(t, header).values()
            hidden = [c for c in cells if not NUMBER.match(c)]
            if FEWER in hidden:
                assert len(hidden) >= 2, (t.key, header, list(cells))


def test_no_table_leaves_a_small_count_alone(world: dict[str, Any]) -> None:
    for n in range(23):
        make_search(
            CARMS if n % 5 else CERED,
            legislation="mda_s23" if n % 7 else "pace_s1",
            object_of_search="controlled_drugs" if n % 7 else "stolen_goods",
            officer_defined_ethnicity="White" if n % 6 else "Asian",
            current_outcome="arrest" if n % 4 == 0 else "nfa",
            current_linked=n % 4 == 0,
        )
    result = analysis.analyse(world["analyst"], analysis.Filters())
    assert any(is_small(g.figures.searches) for g in result.groups["power"])
    _assert_no_lone_small_cell(result)


def test_the_csv_of_the_figures_is_suppressed_the_same_way(world: dict[str, Any]) -> None:
    eight_and_three()
    response = demo_sign_in("analyst").get(reverse("stopsearch:analysis-export"))
    text = response.content.decode()
    assert "Carmarthenshire,not shown" in text
    assert "Ceredigion,fewer than 5" in text
    assert "Carmarthenshire,8" not in text


def test_the_page_explains_the_hidden_counts(world: dict[str, Any]) -> None:
    eight_and_three()
    page = demo_sign_in("analyst").get(reverse("stopsearch:analysis")).content.decode()
    assert "another count is “not shown” too" in page
