"""The audit log for auditors: search, read an event with its change values, export, verify."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.audit import selectors
from pontio.audit.chain import PUBLISHED_FIELDS as EXPORT_COLUMNS
from pontio.audit.forms import SubjectSearchForm
from pontio.audit.models import ChangeRecord
from pontio.audit.services import audit_request
from pontio.audit.tasks import verify_audit_log
from pontio.core.access import permission_required, scoped_get
from pontio.core.keyset import keyset_page
from pontio.core.recording import AuditAction, find_subjects


@permission_required("audit.view_log")
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest) -> HttpResponse:
    """The log, filtered by ids and codes (GET); finding a person by name or reference is a
    POST (no name in a URL) that lists the people found, each a link to their history."""
    filters, events = selectors.events_for(request.user, request.GET or None, "view")
    page = keyset_page(events, ("-sequence",), request.GET.get("after"), 50)
    if filters.is_bound and filters.is_valid():
        audit_request(
            request, AuditAction.READ, object_type="audit.auditevent", reason=filters.describe()
        )
    search = SubjectSearchForm(request.POST or None)
    found = None
    if request.method == "POST" and search.is_valid():
        found = find_subjects(
            request.user, search.cleaned_data["text"], search.cleaned_data["date_of_birth"]
        )
        # Who was shown is a read of their identity, as on the people pages.
        for match in found:
            audit_request(
                request,
                AuditAction.READ,
                object_type="people.person",
                object_id=match.person_id,
                person_id=match.person_id,
                reason="audit log: person search",
            )
    actors = selectors.actor_names(request.user, page)
    for event in page:
        event.actor_name = actors.get(event.actor_id or 0, "")  # type: ignore[attr-defined]
    return render(
        request,
        "audit/event_list.html",
        {
            "form": filters.form,
            "search": search,
            "found": found,
            "page": page,
            "query": request.GET.urlencode(),
            "crumbs": [(_("Audit log"), None)],
        },
    )


@permission_required("audit.view_log")
def event_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    event = selectors.event_for(request.user, sequence)
    if event is None:
        raise Http404
    change = None
    change_pk = selectors.change_record_id(request.user, event)
    if change_pk is not None:
        # Reading change values is reading personal data: it is itself audited.
        change = scoped_get(
            request, ChangeRecord.objects.all(), change_pk, person_id=event.person_id
        )
    rows = []
    if change is not None:
        for name in event.fields:
            rows.append((name, change.before.get(name, ""), change.after.get(name, "")))
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "actor_name": selectors.actor_names(request.user, [event]).get(event.actor_id or 0, ""),
            "rows": rows,
            "crumbs": [(_("Audit log"), reverse("audit:event-list")), (str(event.sequence), None)],
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required("audit.export_log")
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    filters, events = selectors.events_for(request.user, request.GET or None, "export")
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="audit.auditevent",
        reason=filters.describe(),
    )
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(EXPORT_COLUMNS)
        for event in events.order_by("sequence").iterator(chunk_size=2000):
            values = []
            for name in EXPORT_COLUMNS:
                value = getattr(event, name)
                if name == "fields":
                    value = " ".join(value)
                elif name == "occurred_at":
                    value = value.isoformat()
                values.append("" if value is None else value)
            yield writer.writerow(values)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pontio-audit-{stamp}.csv"'
    return response


@permission_required("audit.verify_log")
def verify(request: HttpRequest) -> HttpResponse:
    results = [selectors.verification_outcome(e) for e in selectors.verifications(request.user)]
    return render(
        request,
        "audit/verify.html",
        {
            "results": results,
            "crumbs": [(_("Audit log"), reverse("audit:event-list")), (_("Verify the log"), None)],
        },
    )


@permission_required("audit.verify_log")
@require_POST
def verify_start(request: HttpRequest) -> HttpResponse:
    verify_audit_log.enqueue(requested_by=request.user.pk)
    messages.success(
        request,
        _("Verification has started. The result appears below when it finishes: reload the page."),
    )
    return HttpResponseRedirect(reverse("audit:verify"))
