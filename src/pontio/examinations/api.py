"""Device examination API (v1): the requests list and one request, scoped like the pages
(``policies`` through ``selectors``), read-only. Out of scope is "not found" (404) and the
attempt is audited; every read is audited. Results carry outcome categories and counts,
never content (there is none to carry). The lead mounts the views in ``api_urls``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import audit_request
from pontio.core.access import scoped_get
from pontio.core.recording import AuditAction
from pontio.examinations import selectors
from pontio.examinations.models import Device, ExaminationRequest
from pontio.examinations.timers import timer_of
from pontio.examinations.vocab import Status
from pontio.referrals.api.errors import FORBIDDEN, REFUSED


class DeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["id", "kind", "exhibit_reference", "outcome", "items_of_interest"]


class RequestSummarySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.ons_code")
    devices = serializers.IntegerField(source="device_count", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ExaminationRequest
        fields = [
            "id",
            "reference",
            "source_kind",
            "county",
            "legal_basis",
            "level",
            "priority",
            "status",
            "requested_on",
            "due_on",
            "completed_on",
            "working_days_taken",
            "devices",
            "overdue",
        ]

    def get_overdue(self, obj: ExaminationRequest) -> bool:
        from django.utils import timezone

        return timer_of(obj, timezone.localdate()).overdue


class RequestDetailSerializer(RequestSummarySerializer):
    device_list = DeviceSerializer(source="devices", many=True, read_only=True)
    custody_number = serializers.SerializerMethodField()
    examiner_unit = serializers.SerializerMethodField()

    class Meta(RequestSummarySerializer.Meta):
        fields = [
            *RequestSummarySerializer.Meta.fields,
            "legal_basis_reference",
            "priority_reason",
            "custody_number",
            "examiner_unit",
            "result_summary",
            "report_reference",
            "device_list",
            "version",
        ]

    def get_custody_number(self, obj: ExaminationRequest) -> str:
        return obj.custody_record.custody_number if obj.custody_record_id else ""  # type: ignore[union-attr]

    def get_examiner_unit(self, obj: ExaminationRequest) -> str:
        return obj.assigned_to.unit if obj.assigned_to_id else ""  # type: ignore[union-attr]


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


STATUS = OpenApiParameter("status", str, enum=list(Status.values), required=False)


class ExaminationRequestList(generics.GenericAPIView):
    serializer_class = RequestSummarySerializer
    required_permission = "examinations.view"
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ExaminationRequest]:
        if getattr(self, "swagger_fake_view", False):
            return ExaminationRequest.objects.none()
        return selectors.requests(self.request.user).order_by(  # type: ignore[arg-type]
            "priority_rank", "due_on", "pk"
        )

    @extend_schema(
        summary="Device examination requests you may see",
        description=(
            "Requesters: their own requests (supervisors, intelligence officers and "
            "operations leads those of their counties); digital media examiners the requests "
            "of their counties and those assigned to them. Filter: status (one of the "
            "statuses; anything else is refused, 400). Paging: limit and offset."
        ),
        parameters=[STATUS],
        responses={200: RequestSummarySerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        rows = self.get_queryset()
        status = request.query_params.get("status", "")
        if status:
            if status not in Status.values:
                return Response({"status": [_("Choose a status from the list")]}, status=400)
            rows = rows.filter(status=status)
        audit_request(
            request,
            AuditAction.READ,
            object_type="examinations.examinationrequest",
            reason=f"api list filters: status={status or 'any'}"[:200],
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RequestSummarySerializer(page, many=True).data)


class ExaminationRequestDetail(generics.GenericAPIView):
    serializer_class = RequestDetailSerializer
    required_permission = "examinations.view"

    @extend_schema(
        summary="One device examination request", responses={200: RequestDetailSerializer}
    )
    def get(self, request: Request, pk: int) -> Response:
        row: Any = scoped_get(
            request,
            selectors.requests(request.user).select_related("custody_record"),  # type: ignore[arg-type]
            pk,
        )
        return Response(RequestDetailSerializer(row).data)
