"""Operations on the Commissioner's dashboards (``core.tiles``):

- ``operations-demand``: the referral demand forecast for operations against the referrals
  linked to them, by county, for the weeks starting in the period;
- ``operations-results``: arrests, charges, convictions and the estimated street value of
  drugs seized, by county (the figures behind "117 convicted, £23.6m disrupted").

Counts over ``restrict(..., "aggregate")``; for the OPCC analyst, small counts are
suppressed by ``core.tiles.present`` (operations leads see exact figures). Imported by this
app's ``dashboard.py`` at start-up; nothing else imports it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.models import County
from pontio.core.tiles import (
    Chart,
    Column,
    Row,
    Tile,
    TileData,
    TileQuery,
    column_group,
    register_tile,
)
from pontio.operations import selectors

PERMISSION = "operations.results"
SOURCE = gettext_lazy("Pontio drug-disruption operations")
TOTAL = "total"


def _counties(query: TileQuery) -> list[County]:
    if query.county is not None:
        return [query.county]
    if query.areas:  # the counties of the reader's area (the dashboards' breakdown)
        return list(query.areas)
    return list(County.objects.order_by("sort_order", "pk").defer("boundary"))


def demand(user: Any, query: TileQuery) -> TileData:
    columns = [
        Column("forecast", gettext_lazy("Referrals forecast")),
        Column("actual", gettext_lazy("Referrals made")),
        Column("forecast_safeguarding", gettext_lazy("Safeguarding forecast")),
        Column("actual_safeguarding", gettext_lazy("Safeguarding recorded")),
    ]
    keys = [c.key for c in columns]
    rows: list[Row] = []
    sums = dict.fromkeys(keys, 0)
    for county in _counties(query):
        found = selectors.demand_in_period(user, query.start, query.end, county).total
        values = {
            "forecast": found.forecast_referrals,
            "actual": found.actual_referrals,
            "forecast_safeguarding": found.forecast_safeguarding,
            "actual_safeguarding": found.actual_safeguarding,
        }
        for key in keys:
            sums[key] += values[key]
        rows.append(Row(county.ons_code, county.label, values))
    groups = []
    if len(rows) > 1:
        rows.append(Row(TOTAL, _("All counties"), sums, total=True))
        groups = column_group(TOTAL, [r.key for r in rows[:-1]], keys)
    empty = not any(sums.values())
    return TileData(
        columns=columns,
        rows=rows,
        groups=groups,
        exact=selectors.sees_rows(user),
        chart=Chart("bar", ("actual",)),
        missing=_("No operation forecast or linked referrals in this period.") if empty else "",
    )


def results(user: Any, query: TileQuery) -> TileData:
    columns = [
        Column("arrests", gettext_lazy("Arrests")),
        Column("charges", gettext_lazy("Charges")),
        Column("convictions", gettext_lazy("Convictions")),
        Column("value", gettext_lazy("Estimated street value of drugs seized")),
    ]
    counted = ["arrests", "charges", "convictions"]
    rows: list[Row] = []
    sums = dict.fromkeys(counted, 0)
    pence = 0
    for county in _counties(query):
        totals = selectors.results_totals(user, query.start, query.end, county)
        values: dict[str, Any] = {
            "arrests": totals.arrests,
            "charges": totals.charges,
            "convictions": totals.convictions,
            "value": _money(totals.street_value_pence),
        }
        for key in counted:
            sums[key] += values[key]
        pence += totals.street_value_pence
        rows.append(Row(county.ons_code, county.label, values))
    groups = []
    if len(rows) > 1:
        rows.append(Row(TOTAL, _("All counties"), {**sums, "value": _money(pence)}, total=True))
        groups = column_group(TOTAL, [r.key for r in rows[:-1]], counted)
    empty = not any(sums.values()) and not pence
    return TileData(
        columns=columns,
        rows=rows,
        groups=groups,
        exact=selectors.sees_rows(user),
        chart=Chart("bar", ("convictions",)),
        missing=_("No operation results in this period.") if empty else "",
    )


def _money(pence: int) -> str:
    """Street values are estimates, not counts of people: shown as pounds, never suppressed."""
    if pence >= 100_000_000:
        return _("£%(m)sm") % {"m": f"{pence / 100_000_000:,.1f}"}
    return f"£{pence // 100:,}"


register_tile(
    Tile(
        key="operations-demand",
        title=gettext_lazy("Operations: referral demand against the forecast"),
        permission=PERMISSION,
        build=demand,
        definition=gettext_lazy(
            "For drug-disruption operations, the referrals and safeguarding referrals the "
            "operations lead expected in the weeks starting in the period, and the referrals "
            "made in those weeks that were linked to the operation."
        ),
        anchor="dashboard-operations-demand",
        source=SOURCE,
        order=80,
    )
)
register_tile(
    Tile(
        key="operations-results",
        title=gettext_lazy("Operations: arrests, charges, convictions and drugs seized"),
        permission=PERMISSION,
        build=results,
        definition=gettext_lazy(
            "The arrests, charges and convictions recorded for drug-disruption operations with "
            "a date in the period, and the estimated street value of the drugs seized in it, "
            "by the county where they happened."
        ),
        anchor="dashboard-operations-results",
        source=SOURCE,
        order=81,
    )
)
