"""Audit log API for auditors (read only)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics, serializers

from pontio.audit import selectors
from pontio.audit.chain import PUBLISHED_FIELDS
from pontio.audit.models import AuditEvent
from pontio.audit.services import audit_request
from pontio.core.recording import AuditAction


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = list(PUBLISHED_FIELDS)


class AuditEventList(generics.ListAPIView):
    """Audit events, newest first.

    Filters: person_id, actor_id, action, object_type, object_id, date_from/date_to.
    """

    serializer_class = AuditEventSerializer
    required_permission = "audit.view_log"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):  # schema generation reads nothing
            return AuditEvent.objects.none()
        filters, events = selectors.events_for(self.request.user, self.request.query_params)
        if filters.is_valid():
            audit_request(
                self.request,
                AuditAction.READ,
                object_type="audit.auditevent",
                reason="api " + filters.describe(),
            )
        return events
