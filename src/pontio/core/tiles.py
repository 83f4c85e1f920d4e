"""Dashboard tiles: one registry that every capability adds its figures to.

The Commissioner's dashboards (``oversight``) show a tile per measure, by county and period.
No page knows the measures: each app registers its tiles (from a module its ``dashboard.py``
imports, found at start-up by ``core.registry``), and the page shows those whose permission
the user holds. A tile's ``build`` returns plain numbers (``TileData``); this module turns
them into what is shown, the same way for every tile:

- small-number suppression for everyone who may not open the rows behind the figures
  (``core.figures``): counts from 1 to 4 as "fewer than 5" (primary), and enough other
  cells "not shown" that none can be worked out from a total (secondary, over the groups
  the tile declares); a percentage, median or ratio worked out over a hidden cell, or over
  fewer than 5 records, is not shown either;
- a zero denominator is "no data", never 0%; a value not held is "not held";
- the chart (``core.charts``) is drawn from the shown figures only, and the CSV is the shown
  table, so neither ever gives more than the page.

The kernel knows no app: tiles reach it through ``register_tile``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from pontio.core import charts
from pontio.core.figures import SMALL, Rate, fewer_than, is_small, suppressed_cells
from pontio.core.permissions import has_permission
from pontio.core.tabular import to_csv

CellId = tuple[str, str]  # (row key, column key)
Text = str | Promise


# --- what a tile is given and gives back -------------------------------------------------------


@dataclass(frozen=True)
class TileQuery:
    """The period (both days included) and the county (None: the whole force area).

    ``county`` is a ``core.County`` without its boundary; ``today`` is the day the figures
    are worked out on (a measure such as "within 20 working days" needs it)."""

    start: dt.date
    end: dt.date
    county: Any = None
    today: dt.date | None = None
    # The counties a breakdown shows a row for (the area the user's organisation serves):
    # empty means every county held. Records elsewhere in the user's scope still count in
    # the totals, under "Other areas" where a tile breaks down by county.
    areas: tuple[Any, ...] = ()

    @property
    def month_from(self) -> dt.date:
        return self.start.replace(day=1)

    @property
    def month_to(self) -> dt.date:
        return self.end.replace(day=1)

    @property
    def county_code(self) -> str:
        return self.county.ons_code if self.county is not None else ""

    def describe(self) -> str:
        county = self.county_code or "all"
        described = f"{self.start.isoformat()} to {self.end.isoformat()}; county {county}"
        if self.areas and self.county is None:
            described += "; areas " + ",".join(area.ons_code for area in self.areas)
        return described


@dataclass(frozen=True)
class Measure:
    """A figure worked out over ``over`` records (a median, a rate per 1,000, a ratio):
    not shown where ``over`` is from 1 to 4, "no data" where it is 0 or the value is None."""

    value: float | None
    over: int


Value = int | Rate | Measure | str | None

COUNT = "count"
PERCENT = "percent"
DAYS = "days"
NUMBER = "number"
RATIO = "ratio"


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    kind: str = COUNT


@dataclass(frozen=True)
class Row:
    key: str
    label: Text
    values: Mapping[str, Value]
    # A total or "all" row: shown in bold and left out of bar charts of the parts.
    total: bool = False


@dataclass(frozen=True)
class Chart:
    """``kind``: "bar" (one column, a bar per row), "line" (the rows are the x axis, a
    series per column) or "map" (a row per county, keyed by ONS code, shaded by one column;
    ``geometry`` maps the ONS code to its GeoJSON boundary)."""

    kind: str
    columns: tuple[str, ...]
    geometry: Mapping[str, dict[str, Any]] = field(default_factory=dict)


Suppressor = Callable[[Mapping[CellId, int]], set[CellId]]


@dataclass
class TileData:
    columns: list[Column]
    rows: list[Row]
    # (total, parts) whose counts add up, for secondary suppression.
    groups: list[tuple[CellId, list[CellId]]] = field(default_factory=list)
    # A derived cell (a rate, a median) and the counts it would give back: hidden with them.
    depends: Mapping[CellId, tuple[CellId, ...]] = field(default_factory=dict)
    # The user may open the rows behind the figures: exact counts.
    exact: bool = False
    # Published open data (police.uk, ONS): shown as published, never suppressed.
    public: bool = False
    chart: Chart | None = None
    # Shown instead of the table when there is nothing to count (a period with no data).
    missing: str = ""
    notes: list[str] = field(default_factory=list)
    # A capability's own secondary suppression (the funnel's nested steps), in place of the
    # groups' rule (``core.figures.suppressed_cells``).
    suppressor: Suppressor | None = None


TileBuilder = Callable[[Any, TileQuery], TileData]


@dataclass(frozen=True)
class Tile:
    key: str
    title: Text
    permission: str
    build: TileBuilder
    definition: Text
    # The heading's anchor in docs/metrics.md.
    anchor: str
    source: Text
    order: int = 100

    @property
    def docs(self) -> str:
        return f"docs/metrics.md#{self.anchor}"


_TILES: dict[str, Tile] = {}


def register_tile(tile: Tile) -> None:
    _TILES[tile.key] = tile


def get_tile(key: str) -> Tile | None:
    return _TILES.get(key)


def all_tiles() -> list[Tile]:
    return sorted(_TILES.values(), key=lambda t: (t.order, t.key))


def tiles_for(user: Any) -> list[Tile]:
    return [tile for tile in all_tiles() if has_permission(user, tile.permission)]


# --- what is shown ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    text: str
    # The figure for the chart: None where hidden or not held.
    value: float | None
    hidden: bool = False
    # The column's heading, repeated above the value on a narrow screen (data-label).
    label: str = ""


@dataclass(frozen=True)
class ShownRow:
    key: str
    label: str
    cells: list[Shown]
    total: bool = False


@dataclass
class Presented:
    tile: Tile
    query: TileQuery
    columns: list[Column]
    rows: list[ShownRow]
    suppressed: bool
    missing: str
    notes: list[str]
    chart: SafeString | None = None

    @property
    def hidden_any(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in row.cells)


def not_shown() -> str:
    return _("not shown (small numbers)")


def no_data() -> str:
    return _("no data")


def not_held() -> str:
    return _("not held")


def _decimals(value: float, places: int) -> str:
    # Rounded first: Django's number_format cuts the digits off (0.07 would read "0.0").
    return formats.number_format(round(value, places), places)


def format_value(value: float, kind: str) -> str:
    if kind == PERCENT:
        return _("%(percent)s%%") % {"percent": _decimals(value, 1)}
    if kind == COUNT:
        return formats.number_format(int(value))
    if kind == RATIO:
        return _decimals(value, 2)
    return _decimals(value, 1)


def _counts(data: TileData) -> dict[CellId, int]:
    return {
        (row.key, key): value
        for row in data.rows
        for key, value in row.values.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


def hidden_cells(data: TileData) -> set[CellId]:
    """The cells an aggregate-only viewer may not see: counts (primary and secondary) and
    the derived figures that rest on them or on a handful of records."""
    if data.exact or data.public:
        return set()
    counts = _counts(data)
    if data.suppressor is not None:
        hidden = set(data.suppressor(counts))
    else:
        hidden = suppressed_cells(counts, data.groups)
    for row in data.rows:
        for key, value in row.values.items():
            cell = (row.key, key)
            on_hidden = any(d in hidden for d in data.depends.get(cell, ()))
            small_rate = isinstance(value, Rate) and bool(value.denominator) and _rate_small(value)
            few = isinstance(value, Measure) and is_small(value.over)
            if on_hidden or small_rate or few:
                hidden.add(cell)
    return hidden


def _rate_small(rate: Rate) -> bool:
    rest = rate.denominator - rate.numerator
    return rate.denominator < SMALL or is_small(rate.numerator) or is_small(rest)


def show(value: Value, kind: str, hidden: bool) -> Shown:
    """One cell as text and as the chart's figure."""
    if value is None:
        return Shown(not_held(), None)
    if isinstance(value, str):
        return Shown(value, None)
    if isinstance(value, Rate):
        if not value.denominator:
            return Shown(no_data(), None)
        if hidden:
            return Shown(not_shown(), None, True)
        percent = value.percent
        assert percent is not None  # noqa: S101 - the denominator is not zero
        return Shown(format_value(percent, PERCENT), percent)
    if isinstance(value, Measure):
        if not value.over or value.value is None:
            return Shown(no_data(), None)
        if hidden:
            return Shown(not_shown(), None, True)
        return Shown(format_value(value.value, kind), value.value)
    if hidden:
        return Shown(fewer_than() if is_small(value) else not_shown(), None, True)
    return Shown(format_value(value, COUNT), float(value))


def present(tile: Tile, query: TileQuery, data: TileData) -> Presented:
    """The table as shown to this user (suppressed unless exact or public), and its chart."""
    hidden = hidden_cells(data)
    rows = [
        ShownRow(
            row.key,
            str(row.label),
            [
                replace(
                    show(row.values.get(column.key), column.kind, (row.key, column.key) in hidden),
                    label=str(column.label),
                )
                for column in data.columns
            ],
            row.total,
        )
        for row in data.rows
    ]
    result = Presented(
        tile=tile,
        query=query,
        columns=data.columns,
        rows=rows,
        suppressed=not (data.exact or data.public),
        missing=data.missing,
        notes=list(data.notes),
    )
    if not data.missing and data.rows and data.chart is not None:
        result.chart = draw(result, data.chart)
    return result


def _reason(cell: Shown) -> str:
    return cell.text if cell.value is None else ""


def draw(shown: Presented, chart: Chart) -> SafeString | None:
    index = {column.key: i for i, column in enumerate(shown.columns)}
    title = str(shown.tile.title)
    if chart.kind == "bar":
        i = index[chart.columns[0]]
        kind = shown.columns[i].kind
        bars = [
            charts.Bar(row.label, row.cells[i].value, _reason(row.cells[i]))
            for row in shown.rows
            if not row.total
        ]
        return charts.bar_chart(
            bars,
            title=title,
            desc=str(shown.columns[i].label),
            value_format=lambda v: format_value(v, kind),
            maximum=100.0 if kind == PERCENT else None,
        )
    if chart.kind == "line":
        series = [
            charts.Series(
                str(shown.columns[index[key]].label),
                [row.cells[index[key]].value for row in shown.rows if not row.total],
            )
            for key in chart.columns
        ]
        labels = [row.label for row in shown.rows if not row.total]
        kind = shown.columns[index[chart.columns[0]]].kind
        return charts.line_chart(
            series, x_labels=labels, title=title, value_format=lambda v: format_value(v, kind)
        )
    if chart.kind == "map":
        i = index[chart.columns[0]]
        kind = shown.columns[i].kind
        areas = [
            charts.Area(
                row.label, row.cells[i].value, chart.geometry[row.key], _reason(row.cells[i])
            )
            for row in shown.rows
            if row.key in chart.geometry
        ]
        return charts.choropleth(
            areas,
            title=title,
            desc=str(shown.columns[i].label),
            value_format=lambda v: format_value(v, kind),
        )
    return None


# --- the CSV ------------------------------------------------------------------------------------


def suppression_note() -> str:
    return _(
        "Counts from 1 to %(max)s are shown as “fewer than %(n)s”; where such a count could "
        "be worked out from a total, another figure is “not shown”."
    ) % {"max": SMALL - 1, "n": SMALL}


def csv_rows(shown: Presented, county_label: str) -> list[list[Any]]:
    """The tile's CSV: a heading (title, period, area, source, definition), then exactly the
    table of the page (the same shown texts, suppression included)."""
    rows: list[list[Any]] = [
        [str(shown.tile.title)],
        [_("Period"), shown.query.start.isoformat(), shown.query.end.isoformat()],
        [_("Area"), county_label],
        [_("Source"), str(shown.tile.source)],
        [_("Definition"), str(shown.tile.definition)],
    ]
    if shown.suppressed:
        rows.append([suppression_note()])
    rows.extend([note] for note in shown.notes)
    rows.append([])
    if shown.missing:
        rows.append([shown.missing])
        return rows
    rows.append(["", *(str(column.label) for column in shown.columns)])
    for row in shown.rows:
        rows.append([row.label, *(cell.text for cell in row.cells)])
    return rows


def write_csv(shown: Presented, county_label: str) -> str:
    return to_csv(csv_rows(shown, county_label))


# --- helpers for the tiles ----------------------------------------------------------------------


def column_group(
    total_row: str, part_rows: Sequence[str], columns: Sequence[str]
) -> list[tuple[CellId, list[CellId]]]:
    """For each column, the total row's cell is the sum of the part rows' cells."""
    return [((total_row, c), [(r, c) for r in part_rows]) for c in columns]


def key_of(value: Hashable) -> str:
    return "" if value is None else str(value)
