"""The referral inbox of every side, and its exports.

One page serves providers (their organisation's referrals, or their counties'), officers
(the referrals they made) and supervisors (their area's): the scope policies decide the
rows. Filters travel in the query string as codes only (status, ONS county code, pathway,
timer), never a name or a date of birth. Exports take the same filters and are audited
with the filters and the number of rows.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.referrals import export, selectors, services
from pontio.referrals.forms_provider import InboxFilterForm
from pontio.referrals.models import Party, Status

FILTER_KEYS = ("status", "county", "pathway", "breach", "sort", "order")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _filter_form(request: HttpRequest) -> tuple[InboxFilterForm, selectors.InboxFilters]:
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    form = InboxFilterForm(query or None, counties=list(County.objects.effective()))
    if form.is_bound:
        form.is_valid()
    return form, selectors.InboxFilters(**form.filters())


def _query(request: HttpRequest, **changes: str) -> str:
    """The filters of this page with some changed (and the page number dropped)."""
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    for key, value in changes.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


def _heading(user: User, party: str) -> tuple[str, str]:
    if party == Party.PROVIDER:
        return (
            _("Referrals to your organisation"),
            _("Referrals the police have sent to %(organisation)s that you can work on.")
            % {"organisation": user.organisation},
        )
    if user.has_role(*POLICE_SUPERVISOR_ROLES):
        return (
            _("Referrals you made or supervise"),
            _("Referrals you made, and those made by officers in your area."),
        )
    return _("Referrals you made"), _("The referrals you have sent to support services.")


@permission_required("referrals.view")
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    party = services.party_of(user)
    form, filters = _filter_form(request)
    rows, counts = selectors.inbox(user, filters)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.tag_class = selectors.STATUS_TAGS.get(referral.status, "")  # type: ignore[attr-defined]
    title, intro = _heading(user, party)
    statuses = [
        {
            "label": _("All"),
            "count": sum(counts.values()),
            "url": _query(request, status=""),
            "current": not filters.status,
        },
        *(
            {
                "label": label,
                "count": counts.get(value, 0),
                "url": _query(request, status=value),
                "current": filters.status == value,
            }
            for value, label in Status.choices
        ),
    ]
    may_export = has_permission(user, "referrals.export")
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "title": title,
        "intro": intro,
        "is_provider": party == Party.PROVIDER,
        "statuses": statuses,
        "may_export": may_export,
        "export_query": _query(request),
        "crumbs": [(_("Referrals"), None)],
    }
    return render(request, "referrals/inbox.html", context)


def _export_rows(request: HttpRequest, file_format: str) -> tuple[list[list[Any]], str] | None:
    """The rows to export, audited; None when the filters are wrong (back to the inbox)."""
    user = _user(request)
    form, filters = _filter_form(request)
    if form.is_bound and form.errors:
        return None
    rows, _counts = selectors.inbox(user, filters, action="export")
    referrals = list(rows.select_related("status_code", "referred_by", "referring_organisation"))
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="referrals.referral",
        reason=f"{filters.describe()}; format: {file_format}; rows: {len(referrals)}",
    )
    table = list(export.table(referrals, export.columns_for(services.party_of(user))))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return table, f"pontio-referrals-{stamp}"


@permission_required("referrals.export")
def export_csv(request: HttpRequest) -> HttpResponse:
    result = _export_rows(request, "csv")
    if result is None:
        return HttpResponseRedirect(reverse("referrals:inbox") + _query(request))
    table, name = result
    response = HttpResponse(export.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@permission_required("referrals.export")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    result = _export_rows(request, "xlsx")
    if result is None:
        return HttpResponseRedirect(reverse("referrals:inbox") + _query(request))
    table, name = result
    response = HttpResponse(
        export.to_xlsx(table, title=_("Referrals")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


urlpatterns = [
    path("", inbox, name="inbox"),
    path("export.csv", export_csv, name="export-csv"),
    path("export.xlsx", export_xlsx, name="export-xlsx"),
]
