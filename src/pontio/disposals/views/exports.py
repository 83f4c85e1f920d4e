"""CSV downloads of the disposal and diversion contract lists (inspectors and custody
sergeants: ``disposals.export``).

The rows are the list's: ``selectors.lists`` (``restrict(..., "view")``) narrowed by the
same FilterSets as the pages and the API, so a download never holds a row the page would
not show. Each download is audited as an export with its filters and its number of rows.
Codes, dates and Pontio ids only: no name, no free text (the rationale, the victim's words
and the offence summary stay on the pages). Cells are made safe for spreadsheets
(``core.tabular``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.core.tabular import to_csv
from pontio.disposals.models import Disposal, DiversionContract
from pontio.disposals.selectors.lists import contracts_for, disposals_for


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def disposal_table(rows: Iterable[Disposal]) -> Iterable[list[Any]]:
    yield [
        _("Reference"),
        _("Person id"),
        _("County (ONS code)"),
        _("Offence (code)"),
        _("Date of the offence"),
        _("Gravity score"),
        _("Recommended outcome"),
        _("Decision"),
        _("Disposal type (code)"),
        _("State"),
        _("Decided"),
        _("Authorised"),
        _("Conditions to be complied with by"),
        _("Breach route followed"),
    ]
    for d in rows:
        yield [
            d.reference,
            d.person_id,
            d.county.ons_code,
            d.offence.code,
            _date(d.offence_date),
            d.gravity_score,
            d.recommended_outcome,
            d.outcome,
            d.disposal_type.code if d.disposal_type else "",
            d.state,
            _when(d.decided_at),
            _when(d.authorised_at),
            _date(d.compliance_due),
            d.breach_route,
        ]


def contract_table(rows: Iterable[DiversionContract]) -> Iterable[list[Any]]:
    yield [
        _("Reference"),
        _("Person id"),
        _("County (ONS code)"),
        _("Scheme (code)"),
        _("Disposal reference"),
        _("State"),
        _("Referred"),
        _("Contract starts"),
        _("Contract ends"),
        _("Next review due"),
        _("Closed"),
        _("Route after failure"),
    ]
    for c in rows:
        yield [
            c.reference,
            c.person_id,
            c.county.ons_code,
            c.scheme.code,
            c.disposal.reference if c.disposal else "",
            c.state,
            _when(c.referred_at),
            _date(c.starts_on),
            _date(c.ends_on),
            _date(c.next_review_due),
            _when(c.closed_at),
            c.failure_route,
        ]


def _refused(errors: dict[str, Any]) -> HttpResponse:
    """Wrong filters: nothing is exported; the reasons, by field (as the API answers)."""
    lines = [f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def _download(
    request: HttpRequest, object_type: str, filterset: Any, table: Iterable[list[Any]], n: int
) -> HttpResponse:
    chosen = ", ".join(f"{k}={v}" for k, v in sorted(filterset.chosen().items())) or "none"
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type=object_type,
        reason=f"CSV; filters: {chosen}; rows: {n}"[:200],
    )
    name = object_type.split(".")[-1]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pontio-{name}s-{stamp}.csv"'
    return response


@permission_required("disposals.export")
@replica_reads
def export_disposals(request: HttpRequest) -> HttpResponse:
    filterset, rows = disposals_for(_user(request), request.GET, request)
    if not filterset.is_valid():
        return _refused(filterset.errors)
    found = list(rows)
    return _download(request, "disposals.disposal", filterset, disposal_table(found), len(found))


@permission_required("disposals.export")
@replica_reads
def export_contracts(request: HttpRequest) -> HttpResponse:
    filterset, rows = contracts_for(_user(request), request.GET, request)
    if not filterset.is_valid():
        return _refused(filterset.errors)
    found = list(rows)
    return _download(
        request, "disposals.diversioncontract", filterset, contract_table(found), len(found)
    )


urlpatterns: list[URLPattern] = [
    path("export/disposals.csv", export_disposals, name="export"),
    path("export/diversion-contracts.csv", export_contracts, name="contracts-export"),
]
