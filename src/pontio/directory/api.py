"""Directory API: services as Open Referral UK (HSDS 3) objects, as in the JSON export.

The list takes the officers' search parameters (``directory.filters.ServiceFilter``), with
the same messages; an invalid value answers 400.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from pontio.core.access import require_permission
from pontio.directory.filters import ServiceFilter
from pontio.directory.models import Service
from pontio.directory.selectors import export_queryset, hsds_service


class HsdsServiceSerializer(serializers.Serializer):
    """One HSDS 3 service object (see schemas/hsds-3/service.json); main fields listed.

    Empty values are left out of the object (as HSDS does), so a field that can be empty is
    not required here: a service with no upper age limit has no ``maximum_age``.
    """

    id = serializers.UUIDField(read_only=True)
    organization_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    alternate_name = serializers.CharField(required=False, help_text="Welsh name")
    description = serializers.CharField(read_only=True)
    url = serializers.URLField(required=False)
    email = serializers.EmailField(required=False)
    status = serializers.CharField(read_only=True)
    application_process = serializers.CharField(required=False)
    eligibility_description = serializers.CharField(required=False)
    minimum_age = serializers.IntegerField(required=False)
    maximum_age = serializers.IntegerField(required=False)
    last_modified = serializers.DateTimeField(read_only=True)
    organization = serializers.JSONField(read_only=True)
    phones = serializers.JSONField(read_only=True)
    contacts = serializers.JSONField(read_only=True)
    schedules = serializers.JSONField(read_only=True)
    service_at_locations = serializers.JSONField(read_only=True)
    service_areas = serializers.JSONField(read_only=True)

    def to_representation(self, instance: Service) -> dict[str, Any]:
        return hsds_service(instance)


@extend_schema(
    summary="Directory services (Open Referral UK / HSDS 3)",
    description=(
        "Every service the caller may export, active and inactive, that matches the search "
        "parameters (those of the officers' search page). Paginated."
    ),
    responses={
        200: HsdsServiceSerializer(many=True),
        400: OpenApiResponse(description="A search parameter is not valid: a message per field."),
    },
)
class ServiceList(generics.ListAPIView):
    serializer_class = HsdsServiceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ServiceFilter
    # For the OpenAPI description (the model the filters belong to); never read as such.
    queryset = Service.objects.none()

    def get_queryset(self) -> QuerySet[Service]:
        # directory.search is every role today; checked here so narrowing it narrows the API.
        require_permission(self.request, "directory.search")
        return export_queryset(self.request.user)
