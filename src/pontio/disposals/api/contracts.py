"""Diversion contracts API (v1): the list (filters, limit/offset) and one contract, read only.

Rows through ``selectors.lists`` (``restrict(..., "view")``), as the contracts page:
navigators (and provider managers) their organisation's contracts; the police their area's
(officers those behind a disposal they decided). Outside the caller's scope a contract is
"not found" (404) and the attempt is audited; every read is audited. Roles that read
aggregates only are refused (403).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import audit_request
from pontio.core.access import scoped_get
from pontio.core.recording import AuditAction
from pontio.disposals.api.disposals import KeepFilterSet, ListPagination, described, user_of
from pontio.disposals.api.serializers import ContractDetailSerializer, ContractSummarySerializer
from pontio.disposals.filters import ContractFilter
from pontio.disposals.models import DiversionContract
from pontio.disposals.selectors.lists import contract_rows
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED


class ContractList(generics.GenericAPIView):
    serializer_class = ContractSummarySerializer
    required_permission = "disposals.view_contracts"
    pagination_class = ListPagination
    filter_backends = [KeepFilterSet]
    filterset_class = ContractFilter
    filterset: ContractFilter | None = None

    def get_queryset(self) -> QuerySet[DiversionContract]:
        if getattr(self, "swagger_fake_view", False):
            return DiversionContract.objects.none()
        return contract_rows(user_of(self.request))

    @extend_schema(
        summary="Diversion contracts you may see",
        description=(
            "Navigators: their organisation's contracts; custody officers, sergeants and "
            "inspectors: their counties'; officers those behind a disposal they decided. "
            "Roles that read aggregates only get 403.\n\n"
            "Filters: state, navigator (me: assigned to you; unassigned), county (ONS code), "
            "referred_from and referred_to (dates, both included). A value that is not one "
            "of the choices is refused (400, by field).\n\n"
            "Paging: limit (50 unless given, at most 200) and offset. Every read is audited."
        ),
        responses={200: ContractSummarySerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        audit_request(
            request,
            AuditAction.READ,
            object_type="disposals.diversioncontract",
            reason=f"api list filters: {described(self.filterset)}"[:200],
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ContractSummarySerializer(page, many=True).data)


class ContractDetail(generics.GenericAPIView):
    serializer_class = ContractDetailSerializer
    required_permission = "disposals.view_contracts"

    @extend_schema(
        summary="One diversion contract",
        description=(
            "The contract with its eligibility checks, conditions, needs assessments (one "
            "score per pathway, at the start and the end), progress reviews and transitions. "
            "Outside your scope: 404 (audited). Every read is audited with the person's id."
        ),
        responses={200: ContractDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        contract = scoped_get(
            request, DiversionContract.objects.all(), pk, "view", audit_read=False
        )
        audit_request(request, AuditAction.READ, obj=contract, person_id=contract.person_id)
        row = (
            contract_rows(user_of(request))
            .prefetch_related("conditions", "assessments__scores", "reviews", "events")
            .get(pk=contract.pk)
        )
        return Response(ContractDetailSerializer(row).data)


urlpatterns: list[URLPattern] = [
    path("v1/diversion-contracts/", ContractList.as_view(), name="api-contract-list"),
    path("v1/diversion-contracts/<int:pk>/", ContractDetail.as_view(), name="api-contract-detail"),
]
