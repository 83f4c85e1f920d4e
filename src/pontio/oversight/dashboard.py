"""What oversight contributes at start-up (``core.registry``): the dashboards in the service
navigation, and the dashboard tiles of published open data (``core.tiles``):

- the police.uk drug crime trend: street crimes of type "Drugs" by month and county
  (``CrimeCount``, imported by ``services.policeuk_crime``);
- drug-poisoning deaths by county: the ONS registrations (``ons``);
- the map of the four counties: drug crimes per 1,000 residents in the period, with the
  table beside it.

Open data is shown as published: it counts crimes and deaths, not Pontio's records, so it
is never suppressed. The other tiles come from the apps that own the measures.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.models import County
from pontio.core.navigation import NavItem, register
from pontio.core.request_cache import cached
from pontio.core.tiles import (
    NUMBER,
    Chart,
    Column,
    Measure,
    Row,
    Tile,
    TileData,
    TileQuery,
    register_tile,
)
from pontio.oversight import ons
from pontio.oversight.crime_counts import drug_counts, months_between
from pontio.stopsearch import denominators

PERMISSION = "oversight.view_dashboards"
ALL = "all"
POLICE_UK = gettext_lazy("police.uk street-level crime data (Open Government Licence v3.0)")


def _counties(query: TileQuery) -> list[Any]:
    if query.county is not None:
        return [query.county]
    if query.areas:
        return list(query.areas)
    return cached("tiles.oversight.counties", lambda: list(County.objects.all()))


def drug_crime_trend(user: Any, query: TileQuery) -> TileData:
    held, counts = drug_counts(user, query)
    counties = _counties(query)
    columns = [Column(str(c.pk), c.label) for c in counties]
    rows = []
    for month in months_between(query.month_from, query.month_to):
        values: dict[str, Any] = {
            str(c.pk): counts.get((month, c.pk), 0) if month in held else None for c in counties
        }
        rows.append(Row(month.isoformat(), formats.date_format(month, "M Y"), values))
    return TileData(
        columns=columns,
        rows=rows,
        public=True,
        chart=Chart("line", tuple(c.key for c in columns)),
        missing="" if held else _("No police.uk street crime figures are held for this period."),
        notes=[_("“not held”: no police.uk file for that month has been imported.")],
    )


def deaths_years(query: TileQuery) -> tuple[list[int], str]:
    """The registration years the tile shows, and a note when they are not the period's."""
    first, last = ons.years_held()
    inside = [y for y in range(query.start.year, query.end.year + 1) if first <= y <= last]
    if inside:
        return inside, ""
    if query.start.year > last:
        years = list(range(max(first, last - 4), last + 1))
        return years, _(
            "The latest ONS figures held are for %(year)s: the five latest years are shown."
        ) % {"year": last}
    return [], ""


def drug_deaths(user: Any, query: TileQuery) -> TileData:
    years, note = deaths_years(query)
    columns = [Column(str(y), str(y)) for y in years]
    areas = ons.by_local_authority()
    counties = _counties(query)
    rows = []
    sums: dict[str, int] = defaultdict(int)
    for county in counties:
        area = areas.get(county.ons_code)
        values: dict[str, Any] = {}
        for y in years:
            value = area.deaths.get(y) if area is not None else None
            values[str(y)] = value
            if value is not None:
                sums[str(y)] += value
        rows.append(Row(county.ons_code, county.label, values))
    if len(counties) > 1:
        rows.append(Row(ALL, _("All four counties"), dict(sums), total=True))
    first, last = ons.years_held()
    return TileData(
        columns=columns,
        rows=rows,
        public=True,
        chart=Chart("bar", (str(years[-1]),)) if years else None,
        missing=""
        if years
        else _(
            "No ONS figures are held for this period: they cover registrations from "
            "%(first)s to %(last)s."
        )
        % {"first": first, "last": last},
        notes=[note] if note else [],
    )


def drug_crime_map(user: Any, query: TileQuery) -> TileData:
    """Every county on the map (the county chosen is one of four), shaded by drug crimes per
    1,000 residents over the months of the period held."""
    held, counts = drug_counts(user, query)
    # The force's own counties: those the Census denominators hold (a national deployment
    # holds other forces' areas too, which this force's map does not show).
    census = set(denominators.area_codes())
    counties = [
        county
        for county in cached("tiles.oversight.boundaries", lambda: list(County.objects.defer(None)))
        if county.ons_code in census
    ]
    rows = []
    for county in counties:
        crimes = sum(n for (_month, county_id), n in counts.items() if county_id == county.pk)
        residents = denominators.population([county.ons_code]).total
        rows.append(
            Row(
                county.ons_code,
                county.label,
                {
                    "crimes": crimes if held else None,
                    "residents": formats.number_format(residents),
                    "rate": Measure(
                        1000 * crimes / residents if held and residents else None, residents
                    ),
                },
            )
        )
    return TileData(
        columns=[
            Column("crimes", gettext_lazy("Drug crimes")),
            Column("residents", gettext_lazy("Residents (Census 2011)"), NUMBER),
            Column("rate", gettext_lazy("Drug crimes per 1,000 residents"), NUMBER),
        ],
        rows=rows,
        public=True,
        chart=Chart("map", ("rate",), geometry={c.ons_code: c.boundary for c in counties}),
        missing="" if held else _("No police.uk street crime figures are held for this period."),
        notes=[_("The map and its table show every county, whichever county is chosen.")]
        if query.county is not None
        else [],
    )


register(
    NavItem(
        gettext_lazy("Dashboards"),
        "oversight:dashboards",
        PERMISSION,
        order=58,
        section_prefix="/oversight/dashboards/",
    )
)
register(
    NavItem(
        gettext_lazy("Drug market picture"),
        "oversight:market",
        "oversight.view_market",
        order=59,
        section_prefix="/oversight/market/",
    )
)
register_tile(
    Tile(
        key="drug-crime-trend",
        title=gettext_lazy("Drug crimes recorded by month"),
        permission=PERMISSION,
        build=drug_crime_trend,
        definition=gettext_lazy(
            "Street-level crimes of the police.uk type “Drugs” (possession and supply) by month, "
            "in each county, from the police.uk files imported."
        ),
        anchor="dashboard-drug-crime-trend",
        source=POLICE_UK,
        order=110,
    )
)
register_tile(
    Tile(
        key="drug-crime-map",
        title=gettext_lazy("Drug crimes per 1,000 residents by county"),
        permission=PERMISSION,
        build=drug_crime_map,
        definition=gettext_lazy(
            "Street-level crimes of the police.uk type “Drugs” in the months of the period, "
            "divided by the county's usual residents at the 2011 Census, times 1,000."
        ),
        anchor="dashboard-drug-crime-map",
        source=POLICE_UK,
        order=120,
    )
)
register_tile(
    Tile(
        key="drug-deaths",
        title=gettext_lazy("Deaths related to drug poisoning by county"),
        permission=PERMISSION,
        build=drug_deaths,
        definition=gettext_lazy(
            "Deaths whose underlying cause was a drug poisoning (accidental or intentional, "
            "legal or illegal drugs), by the year the death was registered and the county of "
            "usual residence."
        ),
        anchor="dashboard-drug-deaths",
        source=ons.SOURCE,
        order=130,
    )
)

# The tracker's navigation and home panel (the tracker's own module).
from pontio.oversight import dashboard_tracker  # noqa: E402, F401
