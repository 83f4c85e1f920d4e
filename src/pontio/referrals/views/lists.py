"""The referral inbox of every side, and its exports.

One page serves providers (their organisation's referrals, or their counties'), officers
(the referrals they made) and supervisors (their area's): the scope policies decide the
rows. The filters are ``filters.ReferralFilterSet``, the same as the API list's; exports
take the same filters and are audited with the filters and the number of rows.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.referrals import export, selectors, services, sla
from pontio.referrals.filters import ReferralFilterSet
from pontio.referrals.models import Party, Status
from pontio.referrals.views.common import user_of

FILTER_KEYS = tuple(ReferralFilterSet.base_filters)


def _filter_data(request: HttpRequest) -> QueryDict:
    """The filters of the query string (the page number and anything else left out)."""
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    return query


def _query(request: HttpRequest, **changes: str) -> str:
    """The filters of this page with some changed (and the page number dropped)."""
    query = _filter_data(request)
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
    """The referrals the user may see, what breaches first unless sorted otherwise, each row
    with the working days left to its next due timer (or how long it is overdue)."""
    user = user_of(request)
    party = services.party_of(user)
    today = timezone.localdate()
    found = selectors.inbox(user, _filter_data(request), today=today)
    page = Paginator(found.rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.tag_class = selectors.STATUS_TAGS.get(referral.status, "")  # type: ignore[attr-defined]
        # Working days to the next due timer (negative: overdue), as the row says it.
        left = sla.days_left(referral.breaches_on, today)  # type: ignore[attr-defined]
        referral.days_left = left  # type: ignore[attr-defined]
        referral.overdue_by = -left if left is not None and left < 0 else 0  # type: ignore[attr-defined]
    title, intro = _heading(user, party)
    status = found.filters.chosen().get("status", "")
    statuses = [
        {
            "label": _("All"),
            "count": sum(found.counts.values()),
            "url": _query(request, status=""),
            "current": not status,
        },
        *(
            {
                "label": label,
                "count": found.counts.get(value, 0),
                "url": _query(request, status=value),
                "current": status == value,
            }
            for value, label in Status.choices
        ),
    ]
    context: dict[str, Any] = {
        "form": found.filters.form,
        "page": page,
        "title": title,
        "intro": intro,
        "is_provider": party == Party.PROVIDER,
        "statuses": statuses,
        "may_export": has_permission(user, "referrals.export"),
        "export_query": _query(request),
        "crumbs": [(_("Referrals"), None)],
    }
    return render(request, "referrals/inbox.html", context)


def _export_rows(request: HttpRequest, file_format: str) -> tuple[list[list[Any]], str] | None:
    """The rows to export, audited; None when the filters are wrong (back to the inbox)."""
    user = user_of(request)
    found = selectors.inbox(user, _filter_data(request), action="export")
    if not found.filters.is_valid():
        return None
    referrals = list(
        found.rows.select_related("status_code", "referred_by", "referring_organisation")
    )
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="referrals.referral",
        reason=f"{found.filters.describe()}; format: {file_format}; rows: {len(referrals)}",
    )
    table = list(export.table(referrals, export.columns_for(services.party_of(user))))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return table, f"pontio-referrals-{stamp}"


@permission_required("referrals.export")
@replica_reads
def export_csv(request: HttpRequest) -> HttpResponse:
    result = _export_rows(request, "csv")
    if result is None:
        return HttpResponseRedirect(reverse("referrals:inbox") + _query(request))
    table, name = result
    response = HttpResponse(export.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@permission_required("referrals.export")
@replica_reads
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
