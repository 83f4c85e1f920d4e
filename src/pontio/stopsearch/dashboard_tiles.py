"""Stop and search on the Commissioner's dashboards (``core.tiles``): searches and the find
rate by county, and disproportionality by officer-defined ethnic group.

The figures are the analysis page's (``stopsearch.analysis``: ``figures``, ``breakdown``,
``disproportionality``), over the rows ``restrict(..., "aggregate")`` gives the user, read
once per request for both tiles. Imported by this app's ``dashboard.py`` at start-up.
"""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.request_cache import cached
from pontio.core.tiles import (
    NUMBER,
    PERCENT,
    RATIO,
    CellId,
    Chart,
    Column,
    Measure,
    Row,
    Tile,
    TileData,
    TileQuery,
    column_group,
    register_tile,
)
from pontio.stopsearch import analysis, denominators
from pontio.stopsearch.vocab import OfficerEthnicity

PERMISSION = "stopsearch.analyse"
ALL = "all"
SOURCE = gettext_lazy("Pontio stop and search records and police.uk (Dyfed-Powys Police)")


def _filters(query: TileQuery) -> analysis.Filters:
    return analysis.Filters(
        month_from=query.month_from, month_to=query.month_to, county=query.county_code
    )


def _rows(user: Any, query: TileQuery) -> list[dict[str, Any]]:
    key = ("tiles.stopsearch", user.pk, query.month_from, query.month_to, query.county_code)
    return cached(
        key,
        lambda: analysis.search_rows(
            analysis.apply_filters(analysis.rows_for(user), _filters(query))
        ),
    )


def by_county(user: Any, query: TileQuery) -> TileData:
    rows = _rows(user, query)
    labels = cached("tiles.stopsearch.counties", analysis.county_labels)
    if query.county is not None:
        labels = {query.county_code: labels.get(query.county_code, query.county_code)}
    groups = analysis.breakdown(rows, "county", labels)
    total = analysis.figures(rows)
    out = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    entries = [(g.key or "unknown", g.label, g.figures, False) for g in groups]
    entries.append((ALL, _("All counties"), total, True))
    for key, label, figures, is_total in entries:
        out.append(
            Row(
                key,
                label,
                {
                    "searches": figures.searches,
                    "finds": figures.find.numerator,
                    "rate": figures.find,
                },
                total=is_total,
            )
        )
        depends[(key, "rate")] = ((key, "searches"), (key, "finds"))
    parts = [key for key, *_rest in entries[:-1]]
    return TileData(
        columns=[
            Column("searches", gettext_lazy("Searches")),
            Column("finds", gettext_lazy("Found what was searched for")),
            Column("rate", gettext_lazy("Find rate"), PERCENT),
        ],
        rows=out,
        groups=column_group(ALL, parts, ["searches", "finds"]),
        depends=depends,
        exact=analysis.sees_exact(user),
        chart=Chart("bar", ("searches",)),
        missing="" if total.searches else _("No stop and search in this period."),
    )


def disproportionality(user: Any, query: TileQuery) -> TileData:
    """Searches per 1,000 residents of each group (Census 2011) and the ratio to the White
    group's rate, for the county chosen or the force area."""
    rows = _rows(user, query)
    population = denominators.population(analysis.area_codes(user, _filters(query)))
    result = analysis.disproportionality(rows, population)
    labels = {str(v): str(label) for v, label in OfficerEthnicity.choices}
    out = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    for group in result.groups:
        ratio: Any
        if group.ratio is not None:
            ratio = Measure(group.ratio.ratio, group.searches)
        elif group.is_reference:
            ratio = _("the group compared with")
        else:
            ratio = str(analysis.NO_RATIO_REASONS.get(group.reason, "")) or None
        out.append(
            Row(
                group.group,
                labels.get(group.group, group.group),
                {
                    "searches": group.searches,
                    "residents": formats.number_format(group.population),
                    "per_thousand": Measure(group.per_thousand, group.population),
                    "ratio": ratio,
                },
            )
        )
        depends[(group.group, "per_thousand")] = ((group.group, "searches"),)
        depends[(group.group, "ratio")] = (
            (group.group, "searches"),
            (analysis.REFERENCE_GROUP, "searches"),
        )
    out.append(
        Row(
            "not_recorded",
            _("Not recorded"),
            {"searches": result.not_recorded, "residents": "", "per_thousand": "", "ratio": ""},
        )
    )
    searches = sum(g.searches for g in result.groups) + result.not_recorded
    out.append(
        Row(
            ALL,
            _("All searches"),
            {
                "searches": searches,
                "residents": formats.number_format(population.total),
                "per_thousand": Measure(
                    1000 * searches / population.total if population.total else None,
                    population.total,
                ),
                "ratio": "",
            },
            total=True,
        )
    )
    parts = [row.key for row in out[:-1]]
    return TileData(
        columns=[
            Column("searches", gettext_lazy("Searches")),
            Column("residents", gettext_lazy("Residents (Census 2011)"), NUMBER),
            Column("per_thousand", gettext_lazy("Searches per 1,000 residents"), NUMBER),
            Column("ratio", gettext_lazy("Ratio to the White group's rate"), RATIO),
        ],
        rows=out,
        groups=[((ALL, "searches"), [(key, "searches") for key in parts])],
        depends=depends,
        exact=analysis.sees_exact(user),
        chart=Chart("bar", ("per_thousand",)),
        missing="" if searches else _("No stop and search in this period."),
        notes=[_("Residents: %(source)s") % {"source": denominators.source()}],
    )


register_tile(
    Tile(
        key="stop-search",
        title=gettext_lazy("Stop and search: searches and find rate"),
        permission=PERMISSION,
        build=by_county,
        definition=gettext_lazy(
            "Dyfed-Powys searches in the months of the period, by county, and the share that "
            "found what was searched for (or whose outcome is linked to the object of the "
            "search)."
        ),
        anchor="dashboard-stop-search",
        source=SOURCE,
        order=90,
    )
)
register_tile(
    Tile(
        key="disproportionality",
        title=gettext_lazy("Stop and search: disproportionality"),
        permission=PERMISSION,
        build=disproportionality,
        definition=gettext_lazy(
            "Searches per 1,000 residents of each officer-defined ethnic group in the county "
            "chosen (or the force area), and each group's rate divided by the White group's "
            "rate."
        ),
        anchor="dashboard-disproportionality",
        source=SOURCE,
        order=100,
    )
)
