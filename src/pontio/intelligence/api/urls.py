"""Intelligence API (v1): reports for intelligence officers, read only (mounted by
``pontio.api_urls``).

- Rows through ``restrict(..., "view")``: intelligence officers of the report's county
  (force-wide officers every one); any other role is refused (403); a report outside the
  caller's scope is "not found" (404), the attempt audited.
- Every read is audited: the list with its filters, one report by its id.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import audit_request
from pontio.core.access import scoped_get
from pontio.core.recording import AuditAction
from pontio.intelligence import selectors
from pontio.intelligence.api.serializers import ReportDetailSerializer, ReportSummarySerializer
from pontio.intelligence.models import IntelligenceReport, ReportStatus
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED


class ListPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class ReportList(generics.GenericAPIView):
    serializer_class = ReportSummarySerializer
    required_permission = "intelligence.assess"
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[IntelligenceReport]:
        if getattr(self, "swagger_fake_view", False):
            return IntelligenceReport.objects.none()
        return (
            selectors.reports(self.request.user)
            .select_related("county")
            .order_by("-received_at", "-pk")
        )

    @extend_schema(
        summary="Intelligence reports you may assess",
        description=(
            "Intelligence officers: the reports of their counties (force-wide: every one), "
            "newest first, with the grade as coded fields and its scheme. Filter: status "
            "(received, assessed, actioned). Paging: limit (50, at most 200) and offset. "
            "Never the original text or the submitter. Every read is audited."
        ),
        parameters=[OpenApiParameter("status", str, enum=list(ReportStatus.values))],
        responses={200: ReportSummarySerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        status = request.query_params.get("status")
        if status:
            if status not in ReportStatus.values:
                raise ValidationError({"status": ["Choose received, assessed or actioned."]})
            queryset = queryset.filter(status=status)
        audit_request(
            request,
            AuditAction.READ,
            object_type="intelligence.intelligencereport",
            reason=f"api list filters: status={status or 'any'}"[:200],
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ReportSummarySerializer(page, many=True).data)


class ReportDetail(generics.GenericAPIView):
    serializer_class = ReportDetailSerializer
    required_permission = "intelligence.assess"

    @extend_schema(
        summary="One intelligence report",
        description=(
            "The assessment of one report and its actions. Outside your scope: 404 (audited)."
        ),
        responses={200: ReportDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        report = scoped_get(
            request,
            IntelligenceReport.objects.select_related("county").prefetch_related("actions"),
            pk,
            "view",
        )
        return Response(ReportDetailSerializer(report).data)


urlpatterns: list[URLPattern] = [
    path("v1/intelligence/reports/", ReportList.as_view(), name="api-intelligence-report-list"),
    path(
        "v1/intelligence/reports/<int:pk>/",
        ReportDetail.as_view(),
        name="api-intelligence-report-detail",
    ),
]
