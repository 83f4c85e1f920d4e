"""The test-on-arrest funnel on the Commissioner's dashboards (``core.tiles``).

The counts are the funnel page's (``custody.funnel.selectors``: one query), and so is its
secondary suppression (``hidden_cells``: a step nests in its parent, so the rest between
them must not be worked out either). Imported by this app's ``dashboard.py`` at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.figures import Rate
from pontio.core.request_cache import cached
from pontio.core.tiles import (
    PERCENT,
    CellId,
    Chart,
    Column,
    Row,
    Tile,
    TileData,
    TileQuery,
    register_tile,
)
from pontio.custody.funnel import selectors

COUNT = "count"


def _suppressor(cells: Mapping[CellId, int]) -> set[CellId]:
    counts = {row: value for (row, column), value in cells.items() if column == COUNT}
    return {(key, COUNT) for key in selectors.hidden_cells(counts)}


def funnel(user: Any, query: TileQuery) -> TileData:
    filters = selectors.Filters(
        query.start, query.end, county_id=query.county.pk if query.county is not None else None
    )
    # Once per request for both languages when the worker builds the tiles ahead.
    counts = cached(
        ("tiles.custody.funnel", user.pk, filters),
        lambda: selectors.count_steps(selectors.cohort(user, filters)),
    )
    rows = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    for step in selectors.STEPS:
        values: dict[str, Any] = {COUNT: counts[step.key]}
        if step.parent is not None:
            values["conversion"] = Rate(counts[step.key], counts[step.parent])
            depends[(step.key, "conversion")] = ((step.key, COUNT), (step.parent, COUNT))
        else:
            values["conversion"] = ""
        step_label = str(step.label)
        rows.append(Row(step.key, f"\N{EN DASH} {step_label}" if step.part else step_label, values))
    # Beside the funnel, as on its page: refusals, and tests with no trigger offence.
    for key, (label, _flags) in selectors.NOTES.items():
        rows.append(Row(key, str(label), {COUNT: counts[key], "conversion": ""}))
    return TileData(
        columns=[
            Column(COUNT, gettext_lazy("Custody records")),
            Column("conversion", gettext_lazy("Conversion from the step before"), PERCENT),
        ],
        rows=rows,
        depends=depends,
        exact=selectors.sees_exact(user),
        suppressor=_suppressor,
        chart=Chart("bar", (COUNT,)),
        missing=""
        if counts[selectors.FIRST]
        else _("No arrest for a trigger offence in this period."),
    )


register_tile(
    Tile(
        key="test-on-arrest",
        title=gettext_lazy("Test on arrest: from arrest to treatment"),
        permission="custody.funnel",
        build=funnel,
        definition=gettext_lazy(
            "Custody records whose arrest for a trigger offence falls in the period, counted at "
            "every step they reached: tested, positive, initial assessment required, attended, "
            "failures to attend or remain, breaches pursued, treatment starts. Each step is a "
            "subset of the one it follows."
        ),
        anchor="dashboard-test-on-arrest",
        source=gettext_lazy("Pontio custody records"),
        order=50,
    )
)
