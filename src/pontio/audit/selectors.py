"""Reads of the audit log, always through the auditor's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pontio.audit.filters import AuditEventFilter
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.scopes import restrict


def events_for(
    user: Any, data: Any, action: str = "view"
) -> tuple[AuditEventFilter, QuerySet[AuditEvent]]:
    """The events the user may ``action`` that match the filters in ``data`` (none at all if
    a filter is invalid: a mistyped search never widens to the whole log)."""
    events = restrict(AuditEvent.objects.all(), user, action)
    filterset = AuditEventFilter(data, queryset=events)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, events.none()
    return filterset, filterset.qs


def event_for(user: Any, sequence: int) -> AuditEvent | None:
    return restrict(AuditEvent.objects.all(), user, "view").filter(sequence=sequence).first()


def change_record_id(user: Any, event: AuditEvent) -> int | None:
    """The id of the event's change values, if the user may read them."""
    return (
        restrict(ChangeRecord.objects.filter(event=event), user, "view")
        .values_list("pk", flat=True)
        .first()
    )


def verifications(user: Any, limit: int = 10) -> QuerySet[AuditEvent]:
    from pontio.audit.models import LogEvent

    return restrict(AuditEvent.objects.all(), user, "view").filter(action=LogEvent.VERIFY)[:limit]
