"""The shared presentation of every tile (``core.tiles``): primary and secondary suppression,
"no data" for a zero denominator, exact figures for those who see rows, published data as
published, and a CSV that is exactly the table shown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

from pontio.core import tiles
from pontio.core.figures import Rate
from pontio.core.tiles import Chart, Column, Measure, Row, TileData, TileQuery

QUERY = TileQuery(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
TILE = tiles.Tile(
    key="example",
    title="Example",
    permission="oversight.view_dashboards",
    build=lambda user, query: TileData([], []),
    definition="An example.",
    anchor="dashboard-example",
    source="Tests",
)
COUNTIES = ["a", "b", "c", "d"]


def county_table(counts: dict[str, tuple[int, int]], *, exact: bool = False) -> TileData:
    """Per county: referrals counted and started; a rate; and the all-counties total row."""
    rows = []
    depends = {}
    for key, (counted, started) in [
        *counts.items(),
        ("all", tuple(map(sum, zip(*counts.values(), strict=True)))),
    ]:
        rows.append(
            Row(
                key,
                key.upper(),
                {"counted": counted, "started": started, "rate": Rate(started, counted)},
                total=key == "all",
            )
        )
        depends[(key, "rate")] = ((key, "counted"), (key, "started"))
    return TileData(
        columns=[
            Column("counted", "Counted"),
            Column("started", "Started"),
            Column("rate", "Rate", tiles.PERCENT),
        ],
        rows=rows,
        groups=tiles.column_group("all", list(counts), ["counted", "started"]),
        depends=depends,
        exact=exact,
        chart=Chart("bar", ("rate",)),
    )


def texts(data: TileData) -> dict[tuple[str, str], str]:
    shown = tiles.present(TILE, QUERY, data)
    return {
        (row.key, column.key): cell.text
        for row in shown.rows
        for column, cell in zip(shown.columns, row.cells, strict=True)
    }


# Hand-worked example: A 40 counted / 30 started, B 3 / 1, C 25 / 20, D 0 / 0; all 68 / 51.
EXAMPLE = {"a": (40, 30), "b": (3, 1), "c": (25, 20), "d": (0, 0)}


def test_small_counts_are_fewer_than_5_and_a_second_cell_hides_them() -> None:
    shown = texts(county_table(EXAMPLE))
    # Primary: B's 3 and 1.
    assert shown[("b", "counted")] == "fewer than 5"
    assert shown[("b", "started")] == "fewer than 5"
    # Secondary: in each column B's is the total minus A, C and D, so the smallest other
    # non-zero part (C: 25, 20) is hidden too.
    assert shown[("c", "counted")] == "not shown (small numbers)"
    assert shown[("c", "started")] == "not shown (small numbers)"
    assert shown[("a", "counted")] == "40" and shown[("a", "started")] == "30"
    assert shown[("all", "counted")] == "68" and shown[("all", "started")] == "51"
    # A rate over a hidden count is hidden with it; A's 75% stands.
    assert shown[("b", "rate")] == shown[("c", "rate")] == "not shown (small numbers)"
    assert shown[("a", "rate")] == "75.0%"
    assert shown[("all", "rate")] == "75.0%"


def test_a_hidden_cell_cannot_be_recovered_from_the_total() -> None:
    """Whatever is shown, each hidden cell of a column has at least two values consistent
    with the shown total and the other shown cells (the cells B and C are both unknown)."""
    shown = texts(county_table(EXAMPLE))
    for column in ("counted", "started"):
        total = int(shown[("all", column)])
        known = {k: int(shown[(k, column)]) for k in COUNTIES if shown[(k, column)].isdigit()}
        unknown = [k for k in COUNTIES if k not in known]
        assert len(unknown) >= 2
        remainder = total - sum(known.values())
        # Every split of the remainder between the hidden cells is possible: more than one.
        splits = [
            values
            for values in itertools.product(range(remainder + 1), repeat=len(unknown))
            if sum(values) == remainder
        ]
        assert len(splits) > 1


def test_a_zero_denominator_is_no_data_never_zero_percent() -> None:
    shown = texts(county_table(EXAMPLE))
    assert shown[("d", "rate")] == "no data"
    assert shown[("d", "counted")] == "0"


def test_people_who_see_the_rows_get_exact_figures() -> None:
    shown = texts(county_table(EXAMPLE, exact=True))
    assert shown[("b", "counted")] == "3" and shown[("b", "started")] == "1"
    assert shown[("b", "rate")] == "33.3%"
    assert shown[("c", "counted")] == "25"


def test_published_open_data_is_never_suppressed() -> None:
    data = county_table(EXAMPLE)
    data.public = True
    assert texts(data)[("b", "started")] == "1"


def test_a_rate_with_a_handful_left_over_is_hidden() -> None:
    # 30 of 33: the 3 who did not start would be given away.
    shown = texts(county_table({"a": (33, 30), "b": (40, 20)}))
    assert shown[("a", "rate")] == "not shown (small numbers)"
    assert shown[("b", "rate")] == "50.0%"


def test_a_median_over_fewer_than_5_records_is_hidden() -> None:
    data = TileData(
        columns=[Column("n", "N"), Column("median", "Median", tiles.DAYS)],
        rows=[
            Row("x", "X", {"n": 3, "median": Measure(2.0, 3)}),
            Row("y", "Y", {"n": 9, "median": Measure(4.5, 9)}),
            Row("z", "Z", {"n": 0, "median": Measure(None, 0)}),
        ],
    )
    shown = texts(data)
    assert shown[("x", "median")] == "not shown (small numbers)"
    assert shown[("y", "median")] == "4.5"
    assert shown[("z", "median")] == "no data"


def test_the_chart_shows_only_what_the_table_shows() -> None:
    shown = tiles.present(TILE, QUERY, county_table(EXAMPLE))
    assert shown.chart is not None
    svg = str(shown.chart)
    assert "75.0%" in svg  # A
    assert "33.3" not in svg  # B's rate is hidden
    assert "80.0%" not in svg  # C's 20/25 is hidden
    assert svg.count("not shown (small numbers)") == 2


def test_the_csv_is_the_table_shown() -> None:
    data = county_table(EXAMPLE)
    shown = tiles.present(TILE, QUERY, data)
    rows = list(csv.reader(io.StringIO(tiles.write_csv(shown, "All counties"))))
    assert rows[0] == ["Example"]
    assert ["Period", "2025-04-01", "2026-03-31"] in rows
    assert ["Area", "All counties"] in rows
    header = rows.index(["", "Counted", "Started", "Rate"])
    table = rows[header + 1 :]
    assert table == [[row.label, *(cell.text for cell in row.cells)] for row in shown.rows]
    assert ["B", "fewer than 5", "fewer than 5", "not shown (small numbers)"] in table
    # No figure in the file that the page hides.
    assert not any(cell in ("3", "25", "20", "33.3%", "80.0%") for row in table for cell in row)


def test_a_tile_with_no_data_says_so_on_the_page_and_in_the_csv() -> None:
    data = TileData([Column("n", "N")], [], missing="Nothing in this period.")
    shown = tiles.present(TILE, QUERY, data)
    assert shown.chart is None
    rows = list(csv.reader(io.StringIO(tiles.write_csv(shown, "Powys"))))
    assert rows[-1] == ["Nothing in this period."]
