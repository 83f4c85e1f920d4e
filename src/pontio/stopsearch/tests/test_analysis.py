"""Stop and search analysis: figures checked against sums done by hand, zeros, suppression,
scope, the Census denominators, the page, its export and the home panel."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.stopsearch import analysis, denominators
from pontio.stopsearch.models import ImportBatch, StreetCrime
from pontio.stopsearch.tests.helpers import (
    CARMS,
    CERED,
    NOV_2016,
    POWYS,
    imported_search,
    make_search,
)


def row(
    ethnicity: str = "White", outcome: str = "nfa", linked: bool | None = None, **changes: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "county__ons_code": CARMS,
        "month": NOV_2016,
        "legislation": "mda_s23",
        "object_of_search": "controlled_drugs",
        "officer_defined_ethnicity": ethnicity,
        "original_outcome": outcome,
        "current_outcome": outcome,
        "current_linked": linked,
    }
    values.update(changes)
    return values


def ten_searches() -> list[dict[str, Any]]:
    """8 White and 2 Black; 3 found (current outcome linked); 2 arrests (current outcome).

    One search was "nfa" at the time and became "arrest" after the drug analysis.
    """
    return [
        row("White", "arrest", True),
        row("White", "arrest", True, original_outcome="nfa"),
        row("White", "drugs_warning", True),
        row("White"),
        row("White"),
        row("White"),
        row("White", linked=False),
        row("White"),
        row("Black"),
        row("Black"),
    ]


# --- the figures, by hand -------------------------------------------------------------


def test_find_rate_is_current_outcome_linked_over_searches_with_a_wilson_interval() -> None:
    # 3 of 10 linked. Wilson, z = 1.96: z² = 3.8415; d = 1 + 3.8415/10 = 1.38415;
    # centre = (0.3 + 3.8415/20) / d = 0.49207 / 1.38415 = 0.35551;
    # half = 1.96 x sqrt(0.3 x 0.7 / 10 + 3.8415 / 400) / d = 1.96 x 0.17494 / 1.38415 = 0.24772;
    # interval 0.108 to 0.603.
    result = analysis.figures(ten_searches())
    assert result.searches == 10
    assert (result.find.numerator, result.find.denominator) == (3, 10)
    assert result.find_interval is not None
    assert round(result.find_interval.low, 3) == 0.108
    assert round(result.find_interval.high, 3) == 0.603


def test_arrest_rate_counts_the_current_outcome_not_the_one_at_the_time() -> None:
    # 2 arrests now (one was "nfa" at the time). Wilson for 2 of 10: centre =
    # (0.2 + 0.19207) / 1.38415 = 0.28326; half = 1.96 x sqrt(0.016 + 0.0096037) / 1.38415
    # = 0.22658; interval 0.057 to 0.510.
    result = analysis.figures(ten_searches())
    assert (result.arrest.numerator, result.arrest.denominator) == (2, 10)
    assert result.arrest_interval is not None
    assert round(result.arrest_interval.low, 3) == 0.057
    assert round(result.arrest_interval.high, 3) == 0.510


def test_outcome_mix_shows_current_and_original_outcomes_side_by_side() -> None:
    lines = {
        line.key: (line.current, line.original) for line in analysis.outcome_mix(ten_searches())
    }
    assert lines == {"nfa": (7, 8), "arrest": (2, 1), "drugs_warning": (1, 1)}


def test_rate_ratio_to_white_with_a_log_scale_interval() -> None:
    # Force area, Census 2011: Black 856 residents, White 504,714.
    # Black: 2 / 856 x 1000 = 2.336 per 1,000; White: 8 / 504,714 x 1000 = 0.016 per 1,000.
    # RR = (2 / 856) / (8 / 504,714) = 1,009,428 / 6,848 = 147.405.
    # SE = sqrt(1/2 + 1/8 - 1/856 - 1/504,714) = sqrt(0.623830) = 0.789829;
    # 1.96 x SE = 1.548047; exp(1.548047) = 4.70219;
    # interval 147.405 / 4.70219 = 31.348 to 147.405 x 4.70219 = 693.131.
    result = analysis.disproportionality(ten_searches(), denominators.population())
    black = next(g for g in result.groups if g.group == "Black")
    assert black.searches == 2 and black.population == 856
    assert black.per_thousand is not None and round(black.per_thousand, 3) == 2.336
    assert black.ratio is not None and black.ratio.interval is not None
    assert round(black.ratio.ratio, 3) == 147.405
    assert round(black.ratio.interval.low, 3) == 31.348
    assert round(black.ratio.interval.high, 3) == 693.131


def test_the_white_group_is_the_reference_with_no_ratio_of_its_own() -> None:
    result = analysis.disproportionality(ten_searches(), denominators.population())
    white = next(g for g in result.groups if g.group == "White")
    assert white.is_reference and white.ratio is None
    assert white.per_thousand is not None and round(white.per_thousand, 4) == 0.0159


# --- zeros ----------------------------------------------------------------------------


def test_no_searches_of_a_group_gives_no_ratio_and_says_why() -> None:
    result = analysis.disproportionality(ten_searches(), denominators.population())
    asian = next(g for g in result.groups if g.group == "Asian")
    assert asian.ratio is None and asian.reason == "no_searches"
    assert asian.per_thousand == 0
    assert "no searches of this group" in analysis.show_ratio(asian, suppress=False)


def test_no_searches_of_white_people_gives_no_ratio_for_anyone() -> None:
    rows = [row("Black")] * 6
    result = analysis.disproportionality(rows, denominators.population())
    black = next(g for g in result.groups if g.group == "Black")
    assert black.ratio is None and black.reason == "no_reference_searches"
    assert "no searches of White people" in analysis.show_ratio(black, suppress=False)


def test_no_searches_at_all_gives_no_rates() -> None:
    result = analysis.figures([])
    assert result.searches == 0 and result.find_interval is None
    assert analysis.show_rate(result.find, suppress=False) == "no searches"


def test_a_rate_ratio_needs_searches_in_both_groups() -> None:
    assert analysis.rate_ratio(0, 856, 8, 504714) is None
    assert analysis.rate_ratio(2, 856, 0, 504714) is None
    assert analysis.rate_ratio(2, 0, 8, 504714) is None


def test_searches_with_no_officer_defined_ethnicity_are_counted_apart() -> None:
    result = analysis.disproportionality([*ten_searches(), row("")], denominators.population())
    assert result.not_recorded == 1
    assert sum(g.searches for g in result.groups) == 10


# --- suppression ----------------------------------------------------------------------


def test_small_counts_are_shown_as_fewer_than_5_to_aggregate_viewers() -> None:
    assert analysis.show_count(3, suppress=True) == "fewer than 5"
    assert analysis.show_count(3, suppress=False) == "3"
    assert analysis.show_count(0, suppress=True) == "0"


def test_a_ratio_is_hidden_when_a_group_compared_has_fewer_than_5_searches() -> None:
    # 2 Black searches: the ratio could reveal them.
    result = analysis.disproportionality(ten_searches(), denominators.population())
    black = next(g for g in result.groups if g.group == "Black")
    assert analysis.show_ratio(black, suppress=True).startswith("not shown")
    assert analysis.show_ratio(black, suppress=False) == "147.40 (95% CI 31.35 to 693.13)"
    assert analysis.show_per_thousand(black.per_thousand, 2, suppress=True).startswith("not shown")


def test_a_ratio_is_shown_to_aggregate_viewers_when_both_groups_have_5_or_more() -> None:
    # 6 Black and 10 White searches. RR = (6/856)/(10/504,714) = 353.771;
    # SE = sqrt(1/6 + 1/10 - 1/856 - 1/504,714) = sqrt(0.265496) = 0.515263;
    # exp(1.96 x 0.515263) = exp(1.009897) = 2.74530: 128.863 to 971.216.
    rows = [row("Black")] * 6 + [row("White")] * 10
    result = analysis.disproportionality(rows, denominators.population())
    black = next(g for g in result.groups if g.group == "Black")
    assert black.ratio is not None and black.ratio.interval is not None
    assert round(black.ratio.interval.low, 3) == 128.863
    assert round(black.ratio.interval.high, 3) == 971.216
    assert analysis.show_ratio(black, suppress=True) == "353.77 (95% CI 128.86 to 971.22)"


def test_a_find_rate_that_could_reveal_a_small_count_is_hidden() -> None:
    result = analysis.figures(ten_searches())
    assert analysis.show_rate(result.find, suppress=True) == "not shown: too few searches"
    assert analysis.show_rate(result.find, suppress=False) == "30.0% (95% CI 10.8% to 60.3%)"


# --- the denominators -----------------------------------------------------------------


def test_each_area_groups_and_categories_sum_to_its_total() -> None:
    for code in denominators.area_codes():
        area = denominators.population([code])
        assert sum(area.groups.values()) == area.total, code
        assert sum(area.categories.values()) == area.total, code
        assert len(area.categories) == 18, code


def test_the_four_counties_add_up_to_the_force_area() -> None:
    force = denominators.population()
    counties = denominators.population(denominators.COUNTY_CODES)
    assert force.total == counties.total == 515114
    assert force.groups == counties.groups
    assert force.categories == counties.categories


def test_the_census_figures_carry_their_source_and_licence() -> None:
    assert "Census 2011" in denominators.source()
    assert "Open Government Licence" in denominators.licence()


def test_an_unknown_area_has_no_denominator() -> None:
    with pytest.raises(KeyError):
        denominators.population(["W06000001"])


CENSUS = Path(__file__).resolve().parent / "data" / "census"
# After "All categories": each group, then its categories (the Census table's own order).
LAYOUT = [
    ("White", ["W1", "W2", "W3", "W9"]),
    ("Mixed", ["M1", "M2", "M3", "M9"]),
    ("Asian", ["A1", "A2", "A3", "A4", "A9"]),
    ("Black", ["B1", "B2", "B9"]),
    ("Other", ["O1", "O9"]),
]


def census_row(numbers: list[int]) -> tuple[int, dict[str, int], dict[str, int]]:
    """(total, groups, categories) of a QS201EW row's 24 numbers."""
    total, rest = numbers[0], iter(numbers[1:])
    groups: dict[str, int] = {}
    categories: dict[str, int] = {}
    for group, codes in LAYOUT:
        groups[group] = next(rest)
        for code in codes:
            categories[code] = next(rest)
    return total, groups, categories


def test_the_force_figures_match_the_source_csv_row() -> None:
    import csv

    with (CENSUS / "force-demographics-dyfed-powys.csv").open(encoding="utf-8") as handle:
        source = next(r for r in csv.reader(handle) if r[0] == "Dyfed-Powys")
    total, groups, categories = census_row([int(value) for value in source[1:25]])
    force = denominators.population()
    assert total == force.total == 515114
    assert groups == force.groups
    assert categories == force.categories
    data = json.loads(denominators.DATA_FILE.read_text(encoding="utf-8"))
    assert data["areas"]["W15000004"]["total"] == total


def test_each_countys_figures_match_the_source_csv_rows() -> None:
    import csv

    names = {denominators.population([c]).name: c for c in denominators.COUNTY_CODES}
    with (CENSUS / "local-authorities-dyfed-powys.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if r[2] == "Total"]
    assert sorted(r[1] for r in rows) == sorted(names)
    for source in rows:
        total, groups, categories = census_row([int(value) for value in source[3:27]])
        county_figures = denominators.population([names[source[1]]])
        assert (total, groups, categories) == (
            county_figures.total,
            county_figures.groups,
            county_figures.categories,
        ), source[1]


# --- over the database: scope, source, trend, referrals --------------------------------


def test_an_inspector_sees_only_the_searches_of_their_area(world: dict[str, Any]) -> None:
    make_search(CERED)
    make_search(CARMS)
    imported_search()
    rows = analysis.search_rows(analysis.rows_for(world["inspector"]))
    assert [r["county__ons_code"] for r in rows] == [CERED]


def test_an_inspector_s_denominators_are_their_area_s(world: dict[str, Any]) -> None:
    area = denominators.population(analysis.area_codes(world["inspector"], analysis.Filters()))
    assert area.names == ("Ceredigion",) and area.total == 75922


def test_aggregate_viewers_see_every_dyfed_powys_search(world: dict[str, Any]) -> None:
    make_search(CERED)
    make_search(CARMS)
    imported_search()
    imported_search(force="city-of-london")
    for username in ("analyst", "operations", "panel"):
        queryset = analysis.apply_filters(analysis.rows_for(world[username]), analysis.Filters())
        assert queryset.count() == 3, username


def test_the_source_filter_picks_pontio_or_police_uk_rows(world: dict[str, Any]) -> None:
    make_search(CARMS)
    imported_search()
    imported_search()
    rows = analysis.rows_for(world["analyst"])
    counts = {
        source: analysis.apply_filters(rows, analysis.Filters(source=source)).count()
        for source in ("both", "pontio", "policeuk")
    }
    assert counts == {"both": 3, "pontio": 1, "policeuk": 2}


def test_the_drugs_trend_counts_drugs_crimes_by_month_and_force(world: dict[str, Any]) -> None:
    batch = ImportBatch.objects.create(kind="street", file_name="street.csv", sha256="0" * 64)
    for number, (month, crime_type) in enumerate(
        [
            (NOV_2016, "Drugs"),
            (NOV_2016, "Drugs"),
            (NOV_2016, "Burglary"),
            (dt.date(2016, 12, 1), "Drugs"),
        ]
    ):
        StreetCrime.objects.create(
            month=month,
            reported_by="Dyfed-Powys Police",
            falls_within="Dyfed-Powys Police",
            crime_type=crime_type,
            batch=batch,
            source_key=f"street:{number}",
        )
    trend = analysis.drugs_trend(StreetCrime.objects.all(), analysis.Filters(month_to=NOV_2016))
    assert [(t.month, t.falls_within, t.crimes) for t in trend] == [
        (NOV_2016, "Dyfed-Powys Police", 2)
    ]


def test_referrals_from_stop_and_search_are_counted_by_county(world: dict[str, Any]) -> None:
    from pontio.referrals.tests.helpers import refer

    referral = refer(world["officer"], world["person"], pathway="stop_search")
    refer(world["officer"], world["person"], pathway="voluntary")
    counts = analysis.stop_search_referrals(
        analysis.referrals_for(world["analyst"]), analysis.Filters()
    )
    assert counts == {referral.county.ons_code: 1}


def test_counties_show_searches_per_1000_beside_referrals() -> None:
    rows = [row(county__ons_code=CERED)] * 38
    lines = analysis.county_referrals(rows, {CERED: 2}, {CERED: "Ceredigion"}, [CERED])
    # 38 / 75,922 x 1000 = 0.5005 per 1,000.
    assert [(line.searches, line.referrals) for line in lines] == [(38, 2)]
    assert lines[0].per_thousand is not None and round(lines[0].per_thousand, 4) == 0.5005


# --- the page, the export and the panel -----------------------------------------------


def test_the_analysis_page_shows_suppressed_figures_to_the_opcc_analyst(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        make_search(CARMS)
    client = demo_sign_in("analyst")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("stopsearch:analysis"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "fewer than 5" in page
    assert "Census 2011: Dyfed-Powys" in page


def test_an_inspector_sees_exact_figures_for_their_area_on_the_page(world: dict[str, Any]) -> None:
    for _ in range(3):
        make_search(CERED)
    make_search(CARMS)
    client = demo_sign_in("inspector")
    response = client.get(reverse("stopsearch:analysis"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "fewer than 5" not in page
    assert "Census 2011: Ceredigion" in page
    summary = analysis.analyse(world["inspector"], analysis.Filters())
    assert summary.summary.searches == 3 and not summary.suppress


def test_the_page_filters_by_month_county_power_and_object(world: dict[str, Any]) -> None:
    make_search(CARMS)
    make_search(CARMS, month=dt.date(2016, 12, 1))
    make_search(POWYS, legislation="pace_s1", object_of_search="stolen_goods")
    result = analysis.analyse(
        world["analyst"],
        analysis.Filters(month_from=NOV_2016, month_to=NOV_2016, county=CARMS, power="mda_s23"),
    )
    assert result.summary.searches == 1
    client = demo_sign_in("analyst")
    response = client.get(
        reverse("stopsearch:analysis"),
        {"month_from": "2016-11", "month_to": "2016-11", "county": CARMS, "object": "stolen_goods"},
    )
    assert response.status_code == 200
    assert response.context["result"].summary.searches == 0  # Powys had the stolen goods
    assert "No searches match these filters." in response.content.decode()


def test_a_month_range_backwards_is_an_error(world: dict[str, Any]) -> None:
    make_search(CARMS)
    make_search(CARMS, month=dt.date(2016, 12, 1))
    client = demo_sign_in("analyst")
    response = client.get(
        reverse("stopsearch:analysis"), {"month_from": "2016-12", "month_to": "2016-11"}
    )
    assert "The last month must be the same as or after the first" in response.content.decode()


def test_an_officer_may_not_open_the_analysis_and_the_denial_is_audited(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")
    response = client.get(reverse("stopsearch:analysis"))
    assert response.status_code == 403
    denials = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_id=world["officer"].pk)
    assert denials.exists()


def test_a_provider_caseworker_may_not_export_the_analysis(world: dict[str, Any]) -> None:
    client = demo_sign_in("caseworker")
    assert client.get(reverse("stopsearch:analysis-export")).status_code == 403


def test_the_export_is_a_csv_of_the_tables_and_is_audited(world: dict[str, Any]) -> None:
    for _ in range(6):
        make_search(CARMS)
    client = demo_sign_in("analyst")
    response = client.get(reverse("stopsearch:analysis-export"), {"source": "pontio"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Disproportionality by officer-defined ethnicity" in text
    assert "Open Government Licence" in text
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_id=world["analyst"].pk).get()
    assert "source=pontio" in event.reason and "searches: 6" in event.reason


def test_analysts_get_a_home_panel(world: dict[str, Any]) -> None:
    client = demo_sign_in("analyst")
    response = client.get(reverse("core:home"))
    assert "Stop and search analysis" in response.content.decode()


def test_the_database_counts_alike_searches_once_and_the_figures_weigh_them(
    world: dict[str, Any],
) -> None:
    """search_rows groups searches that are alike in every figure's field (``n``); every
    figure over the grouped rows equals the figure over one row per search."""
    for _ in range(3):
        make_search(CARMS)
    make_search(CERED)
    for _ in range(2):
        imported_search()
    queryset = analysis.apply_filters(analysis.rows_for(world["analyst"]), analysis.Filters())
    grouped = analysis.search_rows(queryset)
    plain = list(queryset.order_by().values(*analysis.query.ROW_FIELDS))
    assert len(grouped) < len(plain) == 6
    assert sum(row["n"] for row in grouped) == 6
    assert analysis.figures(grouped) == analysis.figures(plain)
    assert analysis.outcome_mix(grouped) == analysis.outcome_mix(plain)
    for by in analysis.BREAKDOWNS:
        labels = analysis.labels_for(by, analysis.county_labels())
        assert analysis.breakdown(grouped, by, labels) == analysis.breakdown(plain, by, labels)
