"""Disposals API (v1): the list (filters, limit/offset) and one disposal, read only.

- Rows through ``selectors.lists`` (``restrict(..., "view")``), as the list page: custody
  officers, sergeants and inspectors their counties', officers those they decided,
  navigators those behind a contract of their organisation. Outside the caller's scope a
  disposal is "not found" (404) and the attempt is audited (``scoped_get``).
- Every read is audited: the list with its filters, one disposal with the person's id.
- Users whose role reads aggregates only (the OPCC analyst) are refused (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import scoped_get
from pontio.core.recording import AuditAction
from pontio.disposals.api.serializers import DisposalDetailSerializer, DisposalSummarySerializer
from pontio.disposals.filters import DisposalFilter
from pontio.disposals.models import Disposal
from pontio.disposals.selectors.lists import disposal_rows
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED


def user_of(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class KeepFilterSet(DjangoFilterBackend):
    """django-filter's backend, keeping the filter it used on the view (for the audit)."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset


class ListPagination(LimitOffsetPagination):
    """``?limit=`` rows (50 unless told, at most 200) from ``?offset=`` (0 unless told)."""

    default_limit = 50
    max_limit = 200


def described(filterset: Any) -> str:
    chosen = filterset.chosen() if filterset is not None else {}
    return ", ".join(f"{k}={v}" for k, v in sorted(chosen.items())) or "none"


class DisposalList(generics.GenericAPIView):
    serializer_class = DisposalSummarySerializer
    required_permission = "disposals.view"
    pagination_class = ListPagination
    filter_backends = [KeepFilterSet]
    filterset_class = DisposalFilter
    filterset: DisposalFilter | None = None

    def get_queryset(self) -> QuerySet[Disposal]:
        if getattr(self, "swagger_fake_view", False):
            return Disposal.objects.none()
        return disposal_rows(user_of(self.request))

    @extend_schema(
        summary="Out-of-court disposals you may see",
        description=(
            "Custody officers, sergeants and inspectors: the disposals of their counties (and "
            "those they decided); officers those they decided; navigators those behind a "
            "diversion contract of their organisation. Roles that read aggregates only get "
            "403.\n\n"
            "Filters: state, outcome (nfa, disposal, charge), disposal_type (code), county "
            "(ONS code), decided_from and decided_to (dates, both included), reference (the "
            "disposal's reference, custody or crime number). A value that is not one of the "
            "choices is refused (400, by field). No name travels in the URL.\n\n"
            "Paging: limit (50 unless given, at most 200) and offset. Every read is audited."
        ),
        responses={200: DisposalSummarySerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        audit_request(
            request,
            AuditAction.READ,
            object_type="disposals.disposal",
            reason=f"api list filters: {described(self.filterset)}"[:200],
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(DisposalSummarySerializer(page, many=True).data)


class DisposalDetail(generics.GenericAPIView):
    serializer_class = DisposalDetailSerializer
    required_permission = "disposals.view"

    @extend_schema(
        summary="One out-of-court disposal",
        description=(
            "The disposal with its gravity score, factors (codes), recommendation, decision, "
            "conditions (and their compliance) and its transitions. Outside your scope: 404 "
            "(audited). Every read is audited with the person's id."
        ),
        responses={200: DisposalDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        disposal = scoped_get(request, Disposal.objects.all(), pk, "view", audit_read=False)
        audit_request(request, AuditAction.READ, obj=disposal, person_id=disposal.person_id)
        row = (
            disposal_rows(user_of(request))
            .select_related("recommended_type")
            .prefetch_related("factors", "conditions", "events")
            .get(pk=disposal.pk)
        )
        return Response(DisposalDetailSerializer(row).data)


urlpatterns: list[URLPattern] = [
    path("v1/disposals/", DisposalList.as_view(), name="api-disposal-list"),
    path("v1/disposals/<int:pk>/", DisposalDetail.as_view(), name="api-disposal-detail"),
]
