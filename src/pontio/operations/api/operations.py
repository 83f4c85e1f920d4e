"""Operations API (v1), read only: the operations list and one operation (operations leads,
their area's), and the results totals (leads, and the OPCC analyst with counts from 1 to 4
withheld as ``null`` and named in ``suppressed``). Outside the caller's scope an operation
is "not found" (404, audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.core.access import scoped_get
from pontio.core.figures import is_small
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.operations import selectors
from pontio.operations.api.serializers import (
    OperationDetailSerializer,
    OperationSummarySerializer,
    ResultsSerializer,
)
from pontio.operations.filters import OperationFilter
from pontio.operations.models import Briefing, Operation, PartnerMeeting
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED


def user_of(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class OperationList(generics.ListAPIView):
    serializer_class = OperationSummarySerializer
    required_permission = "operations.view"
    filter_backends = [DjangoFilterBackend]
    filterset_class = OperationFilter

    def get_queryset(self) -> QuerySet[Operation]:
        if getattr(self, "swagger_fake_view", False):
            return Operation.objects.none()
        return selectors.operations_for(user_of(self.request))

    @extend_schema(
        summary="Drug-disruption operations you lead or cover",
        responses={200: OperationSummarySerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OperationDetail(generics.GenericAPIView):
    serializer_class = OperationDetailSerializer
    required_permission = "operations.view"

    @extend_schema(
        summary="One operation: phases, engagement plan, forecast against demand",
        responses={200: OperationDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        operation = scoped_get(
            request, Operation.objects.prefetch_related("counties"), pk, "view", audit_read=False
        )
        operation.briefings_shown = (  # type: ignore[attr-defined]
            restrict(Briefing.objects.all(), user, "view")
            .filter(operation=operation)
            .select_related("organisation")
        )
        operation.meetings_shown = (  # type: ignore[attr-defined]
            restrict(PartnerMeeting.objects.all(), user, "view")
            .filter(operation=operation)
            .prefetch_related("organisations")
        )
        operation.demand_rows = selectors.demand_comparison(user, operation).rows  # type: ignore[attr-defined]
        data = OperationDetailSerializer(operation).data
        return Response(data)


def _date(request: Request, name: str, default: dt.date) -> dt.date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["Enter a date as YYYY-MM-DD"]}) from None


class Results(generics.GenericAPIView):
    serializer_class = ResultsSerializer
    required_permission = "operations.results"

    @extend_schema(
        summary="Results of operations in a period",
        description=(
            "Arrests, charges and convictions recorded, and drugs seized (street value in "
            "pence), with a date from start to end (both included; default: the last 12 "
            "months), in a county (ONS code) or the whole force area. Callers who may not "
            "open the records (the OPCC analyst) get counts from 1 to 4 as null, named in "
            "``suppressed``."
        ),
        parameters=[
            OpenApiParameter("start", dt.date, required=False),
            OpenApiParameter("end", dt.date, required=False),
            OpenApiParameter("county", str, required=False),
        ],
        responses={200: ResultsSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        user = user_of(request)
        today = timezone.localdate()
        end = _date(request, "end", today)
        start = _date(request, "start", end - dt.timedelta(days=365))
        if start > end:
            raise ValidationError({"start": ["The start must be on or before the end"]})
        code = request.query_params.get("county", "")
        county = None
        if code:
            county = County.objects.filter(ons_code=code).first()
            if county is None:
                raise ValidationError({"county": ["Unknown county code"]})
        totals = selectors.results_totals(user, start, end, county)
        exact = selectors.sees_rows(user)
        suppressed: list[str] = []

        def shown(name: str, value: int) -> int | None:
            if not exact and is_small(value):
                suppressed.append(name)
                return None
            return value

        data = {
            "start": start,
            "end": end,
            "county": code,
            "operations": shown("operations", totals.operations),
            "arrests": shown("arrests", totals.arrests),
            "charges": shown("charges", totals.charges),
            "convictions": shown("convictions", totals.convictions),
            "street_value_pence": totals.street_value_pence,
            "seizures": [
                {
                    "drug": s.drug,
                    "seizures": shown(f"seizures.{s.drug}", s.seizures),
                    "street_value_pence": s.street_value_pence,
                    "quantities": s.quantities,
                }
                for s in totals.seizures
            ],
            "suppressed": suppressed,
        }
        return Response(ResultsSerializer(data).data)


urlpatterns: list[URLPattern] = [
    path("v1/operations/", OperationList.as_view(), name="api-operation-list"),
    path("v1/operations/results/", Results.as_view(), name="api-operation-results"),
    path("v1/operations/<int:pk>/", OperationDetail.as_view(), name="api-operation-detail"),
]
