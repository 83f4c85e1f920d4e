"""Directory API: services as Open Referral UK (HSDS 3) objects, as in the JSON export."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from pontio.core.access import require_permission
from pontio.directory.models import Service
from pontio.directory.selectors import export_queryset, hsds_service


class HsdsServiceSerializer(serializers.Serializer):
    """One HSDS 3 service object (see schemas/hsds-3/service.json); main fields listed."""

    id = serializers.UUIDField(read_only=True)
    organization_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    alternate_name = serializers.CharField(read_only=True, help_text="Welsh name")
    description = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    application_process = serializers.CharField(read_only=True)
    eligibility_description = serializers.CharField(read_only=True)
    minimum_age = serializers.IntegerField(read_only=True)
    maximum_age = serializers.IntegerField(read_only=True)
    organization = serializers.JSONField(read_only=True)
    phones = serializers.JSONField(read_only=True)
    schedules = serializers.JSONField(read_only=True)
    service_at_locations = serializers.JSONField(read_only=True)
    service_areas = serializers.JSONField(read_only=True)

    def to_representation(self, instance: Service) -> dict[str, Any]:
        return hsds_service(instance)


@extend_schema(
    summary="Directory services (Open Referral UK / HSDS 3)",
    responses={200: HsdsServiceSerializer(many=True)},
)
class ServiceList(generics.ListAPIView):
    serializer_class = HsdsServiceSerializer

    def get_queryset(self) -> QuerySet[Service]:
        # directory.search is every role today; checked here so narrowing it narrows the API.
        require_permission(self.request, "directory.search")
        return export_queryset(self.request.user)
