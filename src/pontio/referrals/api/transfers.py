"""Referrals API (v1): provider-to-provider transfers, through the same services as the
pages (``services.transfers``). 409 for a stale version, 400 with the specific refusal,
404 for a referral or transfer outside the caller's scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import AuditContext
from pontio.core.access import scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.scopes import restrict
from pontio.referrals.api.errors import (
    FORBIDDEN,
    NOT_FOUND,
    REFUSED,
    STALE,
    refused,
    stale,
    user_of,
)
from pontio.referrals.api.referrals import referral_in_scope
from pontio.referrals.lifecycle import party_of
from pontio.referrals.models import Party, Transfer
from pontio.referrals.services import transfers as service


class TransferSerializer(serializers.ModelSerializer):
    referral = serializers.CharField(source="referral.reference", read_only=True)
    referral_id = serializers.IntegerField(read_only=True)
    to_service = serializers.CharField(source="to_service.display_name", read_only=True)
    to_service_id = serializers.IntegerField(read_only=True)
    to_provider = serializers.CharField(source="to_provider.display_name", read_only=True)
    new_referral_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "version",
            "referral",
            "referral_id",
            "to_service",
            "to_service_id",
            "to_provider",
            "state",
            "reason",
            "proposed_at",
            "decided_at",
            "decision_reason",
            "new_referral_id",
        ]


class PoliceTransferSerializer(TransferSerializer):
    """The police see the move, never the providers' reasons (they may be clinical)."""

    class Meta(TransferSerializer.Meta):
        fields = [
            f for f in TransferSerializer.Meta.fields if f not in ("reason", "decision_reason")
        ]


class TransferProposeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The referral's version.")
    service = serializers.IntegerField(min_value=1, help_text="The directory service's id.")
    reason = serializers.CharField(allow_blank=True)


class TransferDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The transfer's version.")
    decision = serializers.ChoiceField(choices=["accept", "decline", "withdraw"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


RELATED = ("referral", "to_service", "to_provider")


class ReferralTransfers(generics.GenericAPIView):
    serializer_class = TransferSerializer
    required_permission = "referrals.view"
    # A referral has few of them: the whole list, never in pages (so the description
    # gives a list, not a page).
    pagination_class = None

    @extend_schema(
        summary="The transfers of a referral",
        description="The police see the services, states and dates, not the reasons.",
        responses={200: TransferSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk, "view")
        user = user_of(request)
        rows = restrict(Transfer.objects.select_related(*RELATED), user, "view").filter(
            referral=referral
        )
        output = (
            TransferSerializer if party_of(user) == Party.PROVIDER else PoliceTransferSerializer
        )
        return Response(output(rows, many=True).data)

    @extend_schema(
        summary="Propose a transfer to another service",
        description="By the current provider's staff. The service must be in the directory, "
        "differ from the current one and take the person by the routing rules; a refusal "
        "names the rule.",
        request=TransferProposeSerializer,
        responses={
            201: TransferSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk)
        body = TransferProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            transfer = service.transfer_propose(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=body.validated_data["version"],
                service_id=body.validated_data["service"],
                reason=body.validated_data["reason"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class TransferList(generics.GenericAPIView):
    serializer_class = TransferSerializer
    required_permission = "referrals.work"

    def get_queryset(self) -> QuerySet[Transfer]:
        user = user_of(self.request)
        rows = restrict(Transfer.objects.select_related(*RELATED), user, "view")
        direction = self.request.query_params.get("direction", "incoming")
        if direction == "outgoing":
            return rows.filter(referral__provider_id=user.organisation_id)
        return rows.filter(to_provider_id=user.organisation_id)

    @extend_schema(
        summary="Transfers to (incoming) or from (outgoing) your organisation",
        parameters=[
            OpenApiParameter("direction", OpenApiTypes.STR, enum=["incoming", "outgoing"]),
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(Transfer.State.values)),
        ],
        responses={200: TransferSerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        rows = self.get_queryset()
        state = request.query_params.get("state")
        if state:
            rows = rows.filter(state=state)
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(TransferSerializer(page, many=True).data)
        return Response(TransferSerializer(rows, many=True).data)


class TransferDecision(generics.GenericAPIView):
    serializer_class = TransferSerializer
    required_permission = "referrals.work"

    @extend_schema(
        summary="Accept, decline or withdraw a transfer",
        description="Accept or decline: the receiving provider's manager, or its caseworker "
        "covering the person's county (a decline needs a reason). Withdraw: the proposing "
        "provider. Accepting makes the new referral and closes the old one as transferred.",
        request=TransferDecisionSerializer,
        responses={
            200: TransferSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, tid: int) -> Response:
        transfer = scoped_get(
            request, Transfer.objects.select_related("referral"), tid, "change", audit_read=False
        )
        body = TransferDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        context = AuditContext.from_request(request)
        try:
            if values["decision"] == "withdraw":
                transfer = service.transfer_withdraw(
                    context=context,
                    actor=user_of(request),
                    transfer_id=transfer.pk,
                    expected_version=values["version"],
                )
            else:
                transfer = service.transfer_decide(
                    context=context,
                    actor=user_of(request),
                    transfer_id=transfer.pk,
                    expected_version=values["version"],
                    accept=values["decision"] == "accept",
                    reason=values["reason"],
                )
        except PermissionDenied as denied:
            raise Http404 from denied
        except StaleVersionError as error:
            return stale(request, transfer.referral, error, transfer)
        except ValidationError as error:
            return refused(request, transfer.referral, error)
        return Response(TransferSerializer(transfer).data)


urlpatterns: list[URLPattern] = [
    path(
        "v1/referrals/<int:pk>/transfers/",
        ReferralTransfers.as_view(),
        name="api-referral-transfers",
    ),
    path("v1/referral-transfers/", TransferList.as_view(), name="api-transfer-list"),
    path(
        "v1/referral-transfers/<int:tid>/decision/",
        TransferDecision.as_view(),
        name="api-transfer-decision",
    ),
]
