"""The FilterSets of the record list and of the analysis: values that are not choices are
refused on their field with a clear message, the valid ones still apply, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.core.models import County
from pontio.stopsearch import analysis
from pontio.stopsearch.filters import AnalysisFilterSet, SearchFilterSet
from pontio.stopsearch.models import StopSearch
from pontio.stopsearch.tests.helpers import CARMS, CERED, NOV_2016, make_search, record

CHOOSE = "Choose an option from the list"


def _counties() -> list[County]:
    return list(County.objects.effective())


def test_the_record_list_filters_by_outcome_in_the_users_scope(world: dict[str, Any]) -> None:
    nfa = record(world["officer"])
    arrest = record(world["officer"], outcome="arrest", outcome_linked=True)
    theirs = record(world["custody.officer"], outcome="arrest", outcome_linked=True)
    searches = StopSearch.objects.filter(officer=world["officer"])
    filterset = SearchFilterSet(QueryDict("outcome=arrest"), searches, counties=_counties())
    assert list(filterset.qs) == [arrest]
    assert nfa not in filterset.qs and theirs not in filterset.qs


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("month=1999-01", "month"),
        ("month=2026-13", "month"),
        ("month=x' OR 1=1", "month"),
        ("county=W99999999", "county"),
        ("outcome=shouted", "outcome"),
        ("source=<script>", "source"),
    ],
)
def test_the_record_list_refuses_a_value_that_is_not_a_choice(
    world: dict[str, Any], query: str, field: str
) -> None:
    record(world["officer"])
    response = demo_sign_in("officer").get(reverse("stopsearch:list") + "?" + query)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [CHOOSE]
    assert CHOOSE in response.content.decode()


def test_an_invalid_filter_is_left_out_and_the_valid_ones_apply(world: dict[str, Any]) -> None:
    nfa = record(world["officer"])
    arrest = record(world["officer"], outcome="arrest", outcome_linked=True)
    response = demo_sign_in("officer").get(
        reverse("stopsearch:list") + "?outcome=arrest&county=nowhere"
    )
    listed = list(response.context["page"])
    assert listed == [arrest] and nfa not in listed


def test_the_month_choices_are_the_months_of_the_users_searches(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    filterset = SearchFilterSet(None, StopSearch.objects.all(), counties=_counties())
    choices = [value for value, _label in filterset.form.fields["month"].choices]
    assert choices == ["", f"{search.month:%Y-%m}"]


# --- the analysis -------------------------------------------------------------------------


def _analysis_filters(query: str) -> AnalysisFilterSet:
    return AnalysisFilterSet(
        QueryDict(query),
        StopSearch.objects.all(),
        months=[NOV_2016, dt.date(2016, 12, 1)],
        counties=_counties(),
    )


def test_the_analysis_filters_parse_into_months_and_codes(world: dict[str, Any]) -> None:
    filters = _analysis_filters(
        f"month_from=2016-11&month_to=2016-12&county={CARMS}&source=pontio&power=mda_s23"
    ).analysis_filters()
    assert filters == analysis.Filters(
        month_from=NOV_2016,
        month_to=dt.date(2016, 12, 1),
        county=CARMS,
        source="pontio",
        power="mda_s23",
    )


def test_the_analysis_filterset_picks_the_rows_of_apply_filters(world: dict[str, Any]) -> None:
    carms = make_search(CARMS)
    make_search(CERED)
    make_search(CARMS, month=dt.date(2016, 12, 1))
    filterset = _analysis_filters(f"month_to=2016-11&county={CARMS}")
    assert list(filterset.qs) == [carms]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("month_from=2015-01", "month_from", CHOOSE),
        ("month_to=2016-13", "month_to", CHOOSE),
        ("county=<script>", "county", CHOOSE),
        ("source=everything", "source", CHOOSE),
        ("power=%00", "power", CHOOSE),
        ("object=weapons'", "object", CHOOSE),
        (
            "month_from=2016-12&month_to=2016-11",
            "month_to",
            "The last month must be the same as or after the first",
        ),
    ],
)
def test_the_analysis_refuses_bad_filters_on_the_page_and_in_the_csv(
    world: dict[str, Any], query: str, field: str, message: str
) -> None:
    make_search(CARMS)
    make_search(CARMS, month=dt.date(2016, 12, 1))
    client = demo_sign_in("analyst")
    page = client.get(reverse("stopsearch:analysis") + "?" + query)
    assert page.status_code == 200
    assert page.context["form"].errors[field] == [message]
    export = client.get(reverse("stopsearch:analysis-export") + "?" + query)
    assert export.status_code == 200  # the invalid filter is left out of the figures
