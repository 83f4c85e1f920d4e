"""The Commissioner's dashboards: every tile the user may see (``core.tiles``), by county and
period, and each tile's CSV.

Aggregates only. Each tile is built for the user who asks (its rows are that user's
``aggregate`` scope) and shown through ``core.tiles.present``, which suppresses small numbers
for anyone who may not open the rows; the CSV is that same shown table, never more. Reading
the page writes nothing; a CSV leaving Pontio is audited, as every export is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pontio.audit.services import audit_request
from pontio.core import tiles
from pontio.core.access import permission_required
from pontio.core.figures import SMALL
from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.oversight import figures_cache, figures_warm

PERMISSION = "oversight.view_dashboards"
KEYS = ("start", "end", "county")
DATE_WIDGET = {"type": "date", "class": "govuk-input govuk-input--width-10"}
# Wide enough for the police.uk trend since 2016, narrow enough to stay cheap.
LONGEST_YEARS = 11
EARLIEST = dt.date(1990, 1, 1)


default_period = figures_warm.default_period
query_string = figures_warm.query_string
county_label = figures_warm.area_label


class DashboardForm(GovukForm):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The first day, included. For example, 2025-04-01"),
        error_messages={
            "invalid": gettext_lazy("Enter the first day as a real date, for example 2025-04-01")
        },
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The last day, included. For example, 2026-03-31"),
        error_messages={
            "invalid": gettext_lazy("Enter the last day as a real date, for example 2026-03-31")
        },
    )
    county = forms.ChoiceField(label=gettext_lazy("County"), required=False)

    def __init__(
        self, *args: Any, today: dt.date, areas: tuple[County, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.areas = areas
        self.counties = {c.ons_code: c for c in areas}
        self.fields["county"].choices = [  # type: ignore[attr-defined]
            ("", _("All counties")),
            *((code, str(c.label)) for code, c in self.counties.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("start"), data.get("end")
        if first and first < EARLIEST:
            self.add_error("start", _("The first day must be in 1990 or later"))
        if last and last > self.today:
            self.add_error("end", _("The last day must be today or earlier"))
        if first and last and first > last:
            self.add_error("end", _("The last day must be the same as or after the first"))
        elif first and last and last.year - first.year > LONGEST_YEARS:
            self.add_error(
                "end", _("Choose a period of %(years)s years or less") % {"years": LONGEST_YEARS}
            )
        return data


def read_query(
    query: QueryDict, today: dt.date, user: Any
) -> tuple[DashboardForm, tiles.TileQuery | None]:
    """The form and the tiles' query; None when the form has errors (the page says which and
    shows no figures for a period that was not asked for)."""
    data = {key: str(query[key]) for key in KEYS if query.get(key)}
    areas = figures_warm.dashboard_areas(user)
    if not data:
        opening = figures_warm.opening_query(today, user)
        form = DashboardForm(
            initial={"start": opening.start, "end": opening.end}, today=today, areas=areas
        )
        return form, opening
    start, end = default_period(today)
    form = DashboardForm(data, today=today, areas=areas)
    if not form.is_valid():
        return form, None
    county = form.counties.get(form.cleaned_data.get("county") or "")
    return form, tiles.TileQuery(
        form.cleaned_data.get("start") or start,
        form.cleaned_data.get("end") or end,
        county,
        today,
        areas,
    )


def rendered_tiles(request: HttpRequest, query: tiles.TileQuery) -> list[dict[str, Any]]:
    """Each tile the user may see, as HTML, from the figures cache when it is there (D78).

    A tile costs a handful of aggregate queries over a whole period, so each rendered (and
    already suppressed) tile is kept in the figures cache (``oversight.figures_cache``); the
    opening view is built ahead by the worker where the cache is shared (D79).
    """
    user = request.user
    wanted = tiles.tiles_for(user)
    keys = {tile.key: figures_warm.tile_key(user, tile, query) for tile in wanted}
    cached = figures_cache.get_many(keys.values())
    csv_query = query_string(query)
    out = []
    for tile in wanted:
        html = cached.get(keys[tile.key])
        if html is None:
            html = figures_warm.render_tile(user, tile, query, csv_query)
            figures_cache.put(keys[tile.key], html)
        out.append({"tile": tile, "html": mark_safe(html)})  # noqa: S308 - our own render
    return out


@permission_required(PERMISSION)
@require_GET
@replica_reads
def dashboards(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, query = read_query(request.GET, today, request.user)
    shown = []
    if query is not None:
        shown = rendered_tiles(request, query)
    return render(
        request,
        "oversight/dashboards/page.html",
        {
            "form": form,
            "query": query,
            "area": county_label(query) if query is not None else "",
            "tiles": shown,
            "csv_query": query_string(query) if query is not None else "",
            "small": SMALL,
            "small_max": SMALL - 1,
            "crumbs": [(_("Dashboards"), None)],
        },
    )


@permission_required(PERMISSION)
@require_GET
@replica_reads
def dashboard_csv(request: HttpRequest, key: str) -> HttpResponse:
    user = request.user
    tile = tiles.get_tile(key)
    if tile is None:
        raise Http404
    if not has_permission(user, tile.permission):
        raise PermissionDenied
    today = timezone.localdate()
    _form, query = read_query(request.GET, today, request.user)
    if query is None:
        return HttpResponseBadRequest(_("The period or county is not valid."))
    shown = tiles.present(tile, query, tile.build(user, query))
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="oversight.dashboard",
        reason=f"dashboard tile {tile.key}; {query.describe()}; suppressed: {shown.suppressed}",
    )
    response = HttpResponse(
        tiles.write_csv(shown, county_label(query)), content_type="text/csv; charset=utf-8"
    )
    name = f"pontio-{tile.key}-{query.start.isoformat()}-{query.end.isoformat()}"
    if query.county is not None:
        name += f"-{query.county_code}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
