"""The custody funnel page, its CSV, and the records behind a step (issue 12 item 7).

The figures are counts only. People who may open custody records (custody sergeants and
inspectors, in their area) see exact counts, each a link to the records behind it; the OPCC
analyst and the operations lead see the whole force's figures suppressed (counts from 1 to 4
and those that would give them away), with no link. The CSV is the page's table, audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.figures import SMALL, Rate, fewer_than
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.core.tabular import to_csv
from pontio.custody.funnel import filters as funnel_filters
from pontio.custody.funnel import selectors
from pontio.custody.funnel.selectors import Funnel, Row
from pontio.custody.models import CustodyRecord

PAGE_SIZE = 50
# The record page of helper C's custody pages, if it exists under one of these names.
DETAIL_URL_NAMES = ("custody:record-detail", "custody:detail")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def not_shown() -> str:
    return _("not shown")


def show(row: Row, suppress: bool) -> str:
    if row.hidden:
        return fewer_than() if 0 < row.count < SMALL else not_shown()
    return formats.number_format(row.count)


def show_rate(rate: Rate | None, hidden: bool) -> str:
    if rate is None:
        return ""
    if hidden:
        return not_shown()
    percent = rate.percent
    return "" if percent is None else f"{formats.number_format(percent, 1)}%"


def _lines(result: Funnel, query: str, links: bool) -> list[dict[str, Any]]:
    url = reverse("custody:funnel-records")
    return [
        {
            "row": row,
            "count": show(row, result.suppress),
            "from_previous": show_rate(row.from_previous, row.previous_hidden),
            "from_first": show_rate(row.from_first, row.first_hidden),
            "url": f"{url}?{query}&step={row.key}" if links and row.count else "",
        }
        for row in [*result.rows, *result.notes]
    ]


@permission_required("custody.funnel")
@require_GET
@replica_reads
def funnel_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form, filters = funnel_filters.read(request.GET)
    result = selectors.funnel(user, filters)
    query = funnel_filters.query_for(filters, form)
    links = not result.suppress
    lines = _lines(result, query, links)
    return render(
        request,
        "custody/funnel/funnel.html",
        {
            "form": form,
            "filters": filters,
            "result": result,
            "steps": [line for line in lines if line["row"].step is not None],
            "notes": [line for line in lines if line["row"].step is None],
            "suppress": result.suppress,
            "small": SMALL,
            "small_max": SMALL - 1,
            "export_query": query,
            "crumbs": [(_("Custody funnel"), None)],
        },
    )


def table(result: Funnel, lines: list[dict[str, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [_("Custody funnel")],
        [
            _("Arrested from %(start)s to %(end)s")
            % {"start": result.filters.start.isoformat(), "end": result.filters.end.isoformat()}
        ],
    ]
    if result.suppress:
        rows.append([_("Counts from 1 to 4 are shown as “fewer than 5”.")])
        rows.append([_("Some other counts are “not shown” so that those cannot be worked out.")])
    rows.append([])
    rows.append(
        [_("Step"), _("Count"), _("Conversion from the step before"), _("Conversion from arrests")]
    )
    for line in lines:
        rows.append(
            [str(line["row"].label), line["count"], line["from_previous"], line["from_first"]]
        )
    return rows


@permission_required("custody.funnel")
@require_GET
@replica_reads
def funnel_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _form, filters = funnel_filters.read(request.GET)
    result = selectors.funnel(user, filters)
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="custody.custodyrecord",
        reason=(
            f"custody funnel; {filters.describe()}; "
            f"arrests: {result.counts['arrests']}; suppressed: {result.suppress}"
        ),
    )
    rows = table(result, _lines(result, "", links=False))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pontio-custody-funnel-{stamp}.csv"'
    return response


def detail_url(record: CustodyRecord) -> str:
    for name in DETAIL_URL_NAMES:
        try:
            return reverse(name, args=[record.pk])
        except NoReverseMatch:
            continue
    return ""


@permission_required("custody.funnel_records")
@require_GET
def funnel_records(request: HttpRequest) -> HttpResponse:
    """The records behind one step that the user may open. Aggregate-only roles: refused."""
    user = _user(request)
    if not selectors.sees_exact(user):
        raise PermissionDenied
    key = request.GET.get("step", "")
    if key not in selectors.BY_KEY and key not in selectors.NOTES:
        key = selectors.FIRST
    form, filters = funnel_filters.read(request.GET)
    rows = selectors.records_at(user, filters, key).select_related("test", "assessment")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page:
        record.detail_url = detail_url(record)  # type: ignore[attr-defined]
    label = selectors.BY_KEY[key].label if key in selectors.BY_KEY else selectors.NOTES[key][0]
    query = funnel_filters.query_for(filters, form)
    return render(
        request,
        "custody/funnel/records.html",
        {
            "page": page,
            "label": label,
            "filters": filters,
            "back_query": query,
            "crumbs": [
                (_("Custody funnel"), f"{reverse('custody:funnel')}?{query}"),
                (str(label), None),
            ],
        },
    )
