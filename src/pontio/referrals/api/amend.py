"""Referrals API (v1): amendments of a referral (the changelog; the police amend) and the
provider's questions to the police with their answers, through ``services.amend``.
409 for a stale version, 400 with the specific refusal, 404 outside the caller's scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema, extend_schema_field
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
from pontio.referrals.models import InformationRequest, ReferralAmendment
from pontio.referrals.services import amend as service

LONG = "Free text, at most 4000 characters."


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(help_text="The value before (a list for contact_channels).")
    after = serializers.JSONField(help_text="The value after (a list for contact_channels).")


class AmendmentSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="actor_organisation.display_name", read_only=True)
    actor = serializers.CharField(source="actor.__str__", read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ReferralAmendment
        fields = ["id", "at", "actor", "organisation", "reason", "changes"]

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, obj: ReferralAmendment) -> list[dict[str, Any]]:
        return list(obj.changes)


class AmendSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The referral's version you started from.")
    changes = serializers.DictField(
        child=serializers.JSONField(),
        help_text="New values by field: " + ", ".join(service.AMENDABLE) + ". "
        "contact_channels is a list of channel codes.",
    )
    reason = serializers.CharField(allow_blank=True, default="", help_text=LONG)


class InformationRequestSerializer(serializers.ModelSerializer):
    code: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    stops_timer = serializers.BooleanField(source="code.stops_timer", read_only=True)
    asked_by_organisation = serializers.CharField(
        source="asked_by.organisation.display_name", default="", read_only=True
    )
    answered_by_organisation = serializers.CharField(
        source="answered_by.organisation.display_name", default="", read_only=True
    )

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "version",
            "code",
            "stops_timer",
            "question",
            "asked_at",
            "asked_by_organisation",
            "answer",
            "answered_at",
            "answered_by_organisation",
        ]


class AskSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The referral's version you started from.")
    code = serializers.CharField(
        max_length=40, help_text="HOLD_AWAITING_INFO or HOLD_CONTACT_DETAILS."
    )
    question = serializers.CharField(allow_blank=True, default="", help_text=LONG)


class AnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The question's version you started from.")
    answer = serializers.CharField(allow_blank=True, default="", help_text=LONG)
    changes = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text="Optional amendment made with the answer (as for amendments).",
    )


class ReferralAmendments(generics.GenericAPIView):
    serializer_class = AmendmentSerializer
    required_permission = "referrals.view"
    # A referral has few of them: the whole list, never in pages (so the description
    # gives a list, not a page).
    pagination_class = None

    @extend_schema(
        summary="The amendments of a referral (its changelog)",
        responses={200: AmendmentSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk, "view")
        rows = restrict(
            ReferralAmendment.objects.select_related("actor", "actor_organisation"),
            user_of(request),
            "view",
        ).filter(referral=referral)
        return Response(AmendmentSerializer(rows, many=True).data)

    @extend_schema(
        summary="Amend a referral",
        description="By the police who may change it, while it is open. The new contact route "
        "is checked as when sending (code no_contact_route if none would be left); nothing "
        "changed is refused (nothing_changed). Timers do not change.",
        request=AmendSerializer,
        responses={
            201: AmendmentSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk)
        body = AmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = service.referral_amend(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=body.validated_data["version"],
                changes=dict(body.validated_data["changes"]),
                reason=body.validated_data["reason"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(AmendmentSerializer(made).data, status=status.HTTP_201_CREATED)


class ReferralInformationRequests(generics.GenericAPIView):
    serializer_class = InformationRequestSerializer
    required_permission = "referrals.view"
    # A referral has few of them: the whole list, never in pages (so the description
    # gives a list, not a page).
    pagination_class = None

    @extend_schema(
        summary="The provider's questions to the police about a referral",
        responses={200: InformationRequestSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk, "view")
        rows = restrict(
            InformationRequest.objects.select_related(
                "code", "asked_by__organisation", "answered_by__organisation"
            ),
            user_of(request),
            "view",
        ).filter(referral=referral)
        return Response(InformationRequestSerializer(rows, many=True).data)

    @extend_schema(
        summary="Ask the police for missing information",
        description="By the provider. The status does not change; the police act next. With "
        "HOLD_CONTACT_DETAILS the first-contact target waits until the answer. One question "
        "waits at a time (request_open).",
        request=AskSerializer,
        responses={
            201: InformationRequestSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk)
        body = AskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = service.information_request(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=body.validated_data["version"],
                code=body.validated_data["code"],
                question=body.validated_data["question"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(InformationRequestSerializer(made).data, status=status.HTTP_201_CREATED)


class InformationAnswer(generics.GenericAPIView):
    serializer_class = InformationRequestSerializer
    required_permission = "referrals.withdraw"

    @extend_schema(
        summary="Answer the provider's question",
        description="By the police who may change the referral, optionally amending it in the "
        "same step (changes).",
        request=AnswerSerializer,
        responses={
            200: InformationRequestSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int, rid: int) -> Response:
        referral = referral_in_scope(request, pk)
        asked = scoped_get(
            request,
            InformationRequest.objects.filter(referral=referral),
            rid,
            "change",
            audit_read=False,
        )
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            asked = service.information_answer(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                request_id=asked.pk,
                expected_version=body.validated_data["version"],
                answer=body.validated_data["answer"],
                amend_changes=dict(body.validated_data["changes"]) or None,
            )
        except StaleVersionError as error:
            return stale(request, referral, error, asked)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(InformationRequestSerializer(asked).data)


urlpatterns: list[URLPattern] = [
    path(
        "v1/referrals/<int:pk>/amendments/",
        ReferralAmendments.as_view(),
        name="api-referral-amendments",
    ),
    path(
        "v1/referrals/<int:pk>/information-requests/",
        ReferralInformationRequests.as_view(),
        name="api-referral-information-requests",
    ),
    path(
        "v1/referrals/<int:pk>/information-requests/<int:rid>/answer/",
        InformationAnswer.as_view(),
        name="api-referral-information-answer",
    ),
]
