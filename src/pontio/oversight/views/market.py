"""The drug market picture (``oversight.market``): the map of the force's counties and the
table by county and month, for a period and county, and each one's CSV.

Read-only and aggregate: a GET writes nothing; the figures are kept in the figures cache
for a few minutes like the dashboards' (D78); a CSV leaving Pontio is audited.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pontio.audit.services import audit_request
from pontio.core import tiles
from pontio.core.access import permission_required
from pontio.core.figures import SMALL
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.oversight import figures_cache, figures_warm, market
from pontio.oversight.views.dashboards import read_query

CSV_URL = "oversight:market-csv"


def _tiles() -> list[tiles.Tile]:
    found = market.map_tile()
    return [t for t in (found, market.TABLE) if t is not None]


def _tile(key: str) -> tiles.Tile | None:
    return next((t for t in _tiles() if t.key == key), None)


@permission_required(market.PERMISSION)
@require_GET
@replica_reads
def market_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, query = read_query(request.GET, today, request.user)
    shown: list[dict[str, Any]] = []
    if query is not None:
        csv_query = figures_warm.query_string(query)
        for tile in _tiles():
            key = figures_cache.key(
                request.user, "market", tile.key, query.describe(), str(query.today)
            )

            def build(tile: tiles.Tile = tile, query: tiles.TileQuery = query) -> str:
                return figures_warm.render_tile(
                    request.user, tile, query, csv_query, csv_url=CSV_URL
                )

            html = figures_cache.get_or_build(key, build)
            shown.append({"tile": tile, "html": mark_safe(html)})  # noqa: S308 - our render
    return render(
        request,
        "oversight/market/page.html",
        {
            "form": form,
            "query": query,
            "area": figures_warm.area_label(query) if query is not None else "",
            "tiles": shown,
            "small": SMALL,
            "small_max": SMALL - 1,
            "crumbs": [(_("Drug market picture"), None)],
        },
        status=200 if query is not None else 400,
    )


@permission_required(market.PERMISSION)
@require_GET
@replica_reads
def market_csv(request: HttpRequest, key: str) -> HttpResponse:
    tile = _tile(key)
    if tile is None:
        raise Http404
    _form, query = read_query(request.GET, timezone.localdate(), request.user)
    if query is None:
        return HttpResponseBadRequest(_("The period or county is not valid."))
    shown = tiles.present(tile, query, tile.build(request.user, query))
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="oversight.market",
        reason=f"market {tile.key}; {query.describe()}; suppressed: {shown.suppressed}",
    )
    response = HttpResponse(
        tiles.write_csv(shown, figures_warm.area_label(query)),
        content_type="text/csv; charset=utf-8",
    )
    name = f"pontio-{tile.key}-{query.start.isoformat()}-{query.end.isoformat()}"
    if query.county is not None:
        name += f"-{query.county_code}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
