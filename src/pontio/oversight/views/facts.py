"""The facts page: the deep dive's seven facts, computed live for a period and county.

Read-only: a GET computes the figures from the user's ``aggregate`` scope and writes
nothing (no audit event either: no record is opened, only counts are shown). The facts of a
period are kept in the figures cache for a few minutes (``oversight.figures_cache``, D78).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pontio.core.access import permission_required
from pontio.core.figures import SMALL
from pontio.core.replica import replica_reads
from pontio.oversight import figures_cache, figures_warm
from pontio.oversight.facts import compute_facts
from pontio.oversight.facts.form import read


def _numeric_columns(headers: list[str], rows: list[list[str]]) -> list[bool]:
    """Columns (after the first) that hold figures, right-aligned as GOV.UK tables do: those
    where most filled cells start with a digit, a pound sign or a sign. Names stay left."""

    def figure(cell: str) -> bool:
        return cell[:1].isdigit() or cell[:1] in ("£", "+", "-")

    flags = []
    for index in range(len(headers)):
        cells = [row[index] for row in rows if index < len(row) and row[index]]
        flags.append(index > 0 and bool(cells) and 2 * sum(map(figure, cells)) > len(cells))
    return flags


@permission_required("oversight.view_facts")
@require_GET
@replica_reads
def facts_page(request: HttpRequest) -> HttpResponse:
    form, chosen = read(
        request.GET, timezone.localdate(), figures_warm.dashboard_areas(request.user)
    )
    tiles = []
    start = end = county = None
    if chosen is not None:
        start, end, county = chosen
        cache_key = figures_warm.facts_key(request.user, start, end, county, timezone.localdate())
        facts = figures_cache.get_or_build(
            cache_key,
            lambda: compute_facts(user=request.user, start=start, end=end, county=county),
        )
        for fact in facts:
            # Each cell with its column's header, for the data-label of the stacked table.
            numeric = _numeric_columns(fact.table_headers, fact.table_rows)
            rows = [
                list(zip(fact.table_headers, row, numeric, strict=False)) for row in fact.table_rows
            ]
            headers = list(zip(fact.table_headers, numeric, strict=False))
            tiles.append({"fact": fact, "rows": rows, "headers": headers})
    return render(
        request,
        "oversight/facts/page.html",
        {
            "form": form,
            "tiles": tiles,
            "start": start,
            "end": end,
            "county": county,
            "small": SMALL,
            "small_max": SMALL - 1,
            "crumbs": [(_("Facts"), None)],
        },
        status=200 if chosen is not None else 400,
    )
