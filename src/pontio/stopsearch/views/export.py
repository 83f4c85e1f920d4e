"""The police.uk stop-and-search CSV of our searches (the publication export).

It holds only what police.uk publishes (no names, no grounds, no officer, no reference);
our own coordinates are coarsened. Rows leave Pontio only for those who may read them: the
``export`` scope (``policies``) gives inspectors their area and administrators the force's
publication. The OPCC analyst, who may read no record, gets aggregates only (the analysis
page and its CSV of counts), not this file.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.stopsearch import policeuk, selectors
from pontio.stopsearch.forms.imports import ExportForm
from pontio.stopsearch.views.common import user_of


def _export_crumbs() -> list[tuple[str, str | None]]:
    return [(_("Download in police.uk format"), None)]


@permission_required("stopsearch.export")
def export_form(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stopsearch/import_export.html",
        {"form": ExportForm(), "crumbs": _export_crumbs()},
    )


@permission_required("stopsearch.export")
@replica_reads
def export_policeuk(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "stopsearch/import_export.html",
            {"form": form, "crumbs": _export_crumbs()},
            status=400,
        )
    month = form.cleaned_data["month"]
    county = form.cleaned_data["county"]
    rows = list(selectors.publication(user_of(request), month=month, county=county))
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="stopsearch.stopsearch",
        reason=(
            f"police.uk CSV; month: {month:%Y-%m}; " if month else "police.uk CSV; month: all; "
        )
        + f"county: {county.code if county else 'all'}; rows: {len(rows)}",
    )
    if month is not None:
        forces = {search.force for search in rows}
        force = forces.pop() if len(forces) == 1 else "pontio"
        name = f"{month:%Y-%m}-{force}-stop-and-search.csv"
    else:
        name = f"pontio-stop-and-search-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response = HttpResponse(policeuk.export_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
