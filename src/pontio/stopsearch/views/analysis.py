"""The stop and search analysis page and its CSV export.

Aggregates only: no record, name or reference is shown. Inspectors see exact figures for
the searches of their area; the OPCC analyst, operations lead and panel members see every
Dyfed-Powys search, counted, with small numbers suppressed and the cells that would give
them away hidden too (``analysis.suppression``). Filters travel in the query string as
months and codes only (``filters.AnalysisFilterSet``). The definitions are on the page and
in docs/stopsearch-analysis.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.core.scopes import restrict
from pontio.core.tabular import to_csv
from pontio.stopsearch import analysis, denominators
from pontio.stopsearch.filters import AnalysisFilterSet
from pontio.stopsearch.models import StreetCrime
from pontio.stopsearch.views.common import query_of, user_of

FILTER_KEYS = ("month_from", "month_to", "county", "source", "power", "object")


def _months(user: User) -> list[dt.date]:
    """Months with searches in the user's figures or with street crime, newest first."""
    searched = set(analysis.rows_for(user).filter(force=analysis.FORCE).dates("month", "month"))
    crimes = set(restrict(StreetCrime.objects.all(), user, "view").dates("month", "month"))
    return sorted(searched | crimes, reverse=True)


def _filterset(request: HttpRequest) -> AnalysisFilterSet:
    user = user_of(request)
    return AnalysisFilterSet(
        query_of(request, FILTER_KEYS),
        analysis.rows_for(user),
        months=_months(user),
        counties=list(County.objects.effective()),
    )


def _query(request: HttpRequest) -> str:
    query = query_of(request, FILTER_KEYS)
    return f"?{query.urlencode()}" if query else ""


@permission_required("stopsearch.analyse")
@require_GET
@replica_reads
def analysis_page(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    result = analysis.analyse(user_of(request), filterset.analysis_filters())
    ratios = result.disproportionality
    return render(
        request,
        "stopsearch/analysis.html",
        {
            "form": filterset.form,
            "result": result,
            "tables": analysis.tables(result),
            "suppress": result.suppress,
            "small": analysis.SMALL,
            "small_max": analysis.SMALL - 1,
            "not_recorded": analysis.not_recorded(result),
            "area": ratios.population.name,
            "census_source": denominators.source(),
            "census_licence": denominators.licence(),
            "export_query": _query(request),
            "crumbs": [(_("Stop and search analysis"), None)],
        },
    )


@permission_required("stopsearch.analyse")
@require_GET
@replica_reads
def analysis_export(request: HttpRequest) -> HttpResponse:
    filters = _filterset(request).analysis_filters()
    result = analysis.analyse(user_of(request), filters)
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="stopsearch.stopsearch",
        reason=(
            f"stop and search analysis; {filters.describe()}; "
            f"searches: {result.summary.searches}; suppressed: {result.suppress}"
        ),
    )
    rows: list[list[Any]] = [
        [_("Stop and search analysis")],
        [_("Denominators: %(source)s") % {"source": denominators.source()}],
        [denominators.licence()],
    ]
    if result.suppress:
        rows.append([_("Counts from 1 to 4 are shown as “fewer than 5”.")])
        rows.append([_("Some other counts are “not shown” so that those cannot be worked out.")])
    for table in analysis.tables(result):
        rows.append([])
        rows.append([table.title])
        rows.append(table.headers)
        rows.extend(table.rows or [[table.empty]])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pontio-stop-search-analysis-{stamp}.csv"'
    )
    return response
