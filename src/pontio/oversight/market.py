"""The drug market picture for analysts: intelligence, operations and police.uk drug crime
by county and month, with a map of the force's counties.

Three sources side by side, each counted through the reader's ``aggregate`` scope:

- intelligence reports received (``intelligence.selectors.monthly_counts``);
- the operations' arrests and seizures, and the seizures' estimated street value
  (``operations`` results, dated by the day they were recorded or seized);
- police.uk street-level crimes of the type "Drugs" (``CrimeCount``: open data, shown as
  published, never suppressed; possession and supply are one type there).

Counts of reports, arrests and seizures are suppressed from 1 to 4 for everyone, with
enough others hidden that none can be worked out from a county's or the force's total
(``core.tiles.present``): the page is a picture of a market, not a way to find one
report. The map is the dashboards' police.uk map (from the tile registry, so this module
imports no dashboard), shaded by drug crimes per 1,000 residents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core import tiles
from pontio.core.scopes import restrict
from pontio.intelligence.selectors import monthly_counts
from pontio.operations.models import ResultEntry, Seizure
from pontio.oversight.crime_counts import drug_counts, months_between

PERMISSION = "oversight.view_market"
ALL = "all"
REPORTS, ARRESTS, SEIZURES, VALUE, CRIMES = "reports", "arrests", "seizures", "value", "crimes"
COUNTED = (REPORTS, ARRESTS, SEIZURES)
MAP_TILE = "drug-crime-map"


def _by_month(rows: Any, date_field: str, **sums: Any) -> dict[tuple[int, dt.date], dict[str, Any]]:
    found: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(dict)
    for row in (
        rows.annotate(month=TruncMonth(date_field))
        .values("county_id", "month")
        .annotate(**sums)
        .order_by()
    ):
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        found[(row["county_id"], month)].update({k: row[k] or 0 for k in sums})
    return found


def _operations(user: Any, query: tiles.TileQuery) -> tuple[dict[Any, dict[str, Any]], bool]:
    results = restrict(ResultEntry.objects.all(), user, "aggregate").filter(
        recorded_on__gte=query.start, recorded_on__lte=query.end
    )
    seizures = restrict(Seizure.objects.all(), user, "aggregate").filter(
        seized_on__gte=query.start, seized_on__lte=query.end
    )
    if results.query.is_empty():
        return {}, False
    found = _by_month(results, "recorded_on", arrests=Sum("arrests"))
    for key, values in _by_month(
        seizures, "seized_on", seizures=Count("pk"), value=Sum("street_value_pence")
    ).items():
        found.setdefault(key, {}).update(values)
    return found, True


def _pounds(pence: int) -> str:
    return "£" + formats.number_format(
        int((Decimal(pence) / 100).to_integral_value()), use_l10n=True, force_grouping=True
    )


def build(user: Any, query: tiles.TileQuery) -> tiles.TileData:
    """A row per county and month, a total row per county and one for all the counties."""
    counties = [query.county] if query.county is not None else list(query.areas)
    reports = monthly_counts(user, query.start, query.end)
    operations, sees_operations = _operations(user, query)
    held, crimes = drug_counts(user, query)
    months = months_between(query.month_from, query.month_to)
    rows: list[tiles.Row] = []
    groups: list[tuple[tiles.CellId, list[tiles.CellId]]] = []
    overall: dict[str, int] = defaultdict(int)
    crimes_overall = 0
    for county in counties:
        month_rows = []
        county_sums: dict[str, int] = defaultdict(int)
        county_crimes = 0
        for month in months:
            ops = operations.get((county.pk, month), {})
            values: dict[str, Any] = {
                REPORTS: reports.get((county.pk, month), 0),
                ARRESTS: ops.get(ARRESTS, 0) if sees_operations else None,
                SEIZURES: ops.get(SEIZURES, 0) if sees_operations else None,
                VALUE: _pounds(ops.get(VALUE, 0)) if sees_operations else None,
                # Open data, as published: a string is never suppressed.
                CRIMES: formats.number_format(crimes.get((month, county.pk), 0))
                if month in held
                else None,
            }
            for key in COUNTED:
                county_sums[key] += values[key] or 0
            county_sums[VALUE] += ops.get(VALUE, 0)
            county_crimes += crimes.get((month, county.pk), 0)
            key = f"{county.ons_code}:{month.isoformat()}"
            label = f"{county.label}, {formats.date_format(month, 'F Y')}"
            month_rows.append(tiles.Row(key, label, values))
        total_key = county.ons_code
        rows.append(
            tiles.Row(
                total_key,
                _("%(county)s: the whole period") % {"county": county.label},
                _totals(county_sums, county_crimes, sees_operations, bool(held)),
                total=True,
            )
        )
        rows.extend(month_rows)
        groups += tiles.column_group(
            total_key, [r.key for r in month_rows], _counted(sees_operations)
        )
        for key in (*COUNTED, VALUE):
            overall[key] += county_sums[key]
        crimes_overall += county_crimes
    if len(counties) > 1:
        rows.insert(
            0,
            tiles.Row(
                ALL,
                _("All counties: the whole period"),
                _totals(overall, crimes_overall, sees_operations, bool(held)),
                total=True,
            ),
        )
        groups += tiles.column_group(ALL, [c.ons_code for c in counties], _counted(sees_operations))
    notes = [_("“not held”: no police.uk file for that month has been imported.")]
    if not sees_operations:
        notes.append(_("The operations' results are not open to your role."))
    return tiles.TileData(
        columns=[
            tiles.Column(REPORTS, gettext_lazy("Intelligence reports received")),
            tiles.Column(ARRESTS, gettext_lazy("Arrests in operations")),
            tiles.Column(SEIZURES, gettext_lazy("Drug seizures in operations")),
            tiles.Column(VALUE, gettext_lazy("Estimated street value seized"), tiles.NUMBER),
            tiles.Column(CRIMES, gettext_lazy("Drug crimes (police.uk)"), tiles.NUMBER),
        ],
        rows=rows,
        groups=groups,
        exact=False,
        notes=notes,
    )


def _counted(sees_operations: bool) -> list[str]:
    return list(COUNTED) if sees_operations else [REPORTS]


def _totals(sums: dict[str, int], crimes: int, sees_operations: bool, held: bool) -> dict[str, Any]:
    return {
        REPORTS: sums[REPORTS],
        ARRESTS: sums[ARRESTS] if sees_operations else None,
        SEIZURES: sums[SEIZURES] if sees_operations else None,
        VALUE: _pounds(sums[VALUE]) if sees_operations else None,
        CRIMES: formats.number_format(crimes) if held else None,
    }


TABLE = tiles.Tile(
    key="drug-market",
    title=gettext_lazy("The drug market by county and month"),
    permission=PERMISSION,
    build=build,
    definition=gettext_lazy(
        "Intelligence reports received, arrests and drug seizures recorded in the force's "
        "operations with the seizures' estimated street value, and police.uk drug crimes, "
        "by county and month of the period."
    ),
    anchor="market-picture",
    source=gettext_lazy("Pontio intelligence and operations records; police.uk street crime"),
)


def map_tile() -> tiles.Tile | None:
    return tiles.get_tile(MAP_TILE)
