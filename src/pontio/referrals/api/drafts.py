"""Referrals API (v1): the caller's referral drafts, through the same services as the pages.

- ``GET v1/referrals/drafts/``: the caller's drafts (people they may still see), last saved
  first. ``POST``: a new draft for a person (``person``, ``data``); one draft per person, so a
  second one is refused (400, ``draft_exists``: PUT the existing one).
- ``GET v1/referrals/drafts/<id>/``: one draft with its data and ``open_referrals``, the
  person's open referrals the caller may see (the duplicate warning; the others are not
  mentioned). ``PUT`` replaces its data and names the ``version`` it started from (409 if
  stale); ``DELETE`` discards it. Another user's draft is "not found", and audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.api import messages_of, stale_version_response
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED, STALE, user_of
from pontio.referrals.models import Referral, ReferralDraft
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.services import drafts


class OpenReferralSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.display_name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Referral
        fields = ["id", "reference", "service", "status", "status_label", "sent_on"]


class DraftSummarySerializer(serializers.ModelSerializer):
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = ReferralDraft
        fields = ["id", "person", "person_name", "version", "created_at", "updated_at"]

    def get_person_name(self, draft: ReferralDraft) -> str:
        return str(draft.person)


class DraftSerializer(DraftSummarySerializer):
    data = serializers.JSONField()  # type: ignore[assignment]
    open_referrals = serializers.SerializerMethodField()

    class Meta(DraftSummarySerializer.Meta):
        fields = [*DraftSummarySerializer.Meta.fields, "data", "open_referrals"]

    @extend_schema_field(OpenReferralSerializer(many=True))
    def get_open_referrals(self, draft: ReferralDraft) -> list[dict[str, Any]]:
        found = drafts.open_referrals(self.context["user"], draft.person_id)
        return list(OpenReferralSerializer(found, many=True).data)


class DraftCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1)
    data = serializers.JSONField()  # type: ignore[assignment]


class DraftUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    data = serializers.JSONField()  # type: ignore[assignment]


class DraftPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


def _answer(draft: ReferralDraft, request: Request, code: int = status.HTTP_200_OK) -> Response:
    return Response(DraftSerializer(draft, context={"user": user_of(request)}).data, status=code)


def _draft_in_scope(request: Request, pk: int, action: str = "view") -> ReferralDraft:
    return scoped_get(
        request,
        ReferralDraft.objects.select_related("person"),
        pk,
        action,
        audit_read=action == "view",
    )


class DraftList(generics.GenericAPIView):
    serializer_class = DraftSummarySerializer
    required_permission = "referrals.create"
    pagination_class = DraftPagination

    @extend_schema(
        summary="Your referral drafts",
        description="The drafts you saved and have not sent, last saved first (only yours). "
        "Paged by limit and offset.",
        responses={200: DraftSummarySerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        audit_request(
            request, AuditAction.READ, object_type="referrals.referraldraft", reason="api drafts"
        )
        page = self.paginate_queryset(drafts.drafts_of(user_of(request)))
        return self.get_paginated_response(DraftSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Save a new referral draft",
        description="A draft for one person you may refer: data holds the referral's fields "
        "by name (as the referral has them), complete or not. One draft per person: a second "
        "is refused (400, code draft_exists).",
        request=DraftCreateSerializer,
        responses={201: DraftSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        body = DraftCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user, person_id = user_of(request), body.validated_data["person"]
        if drafts.draft_for(user, person_id) is not None:
            return Response(
                {"person": [_draft_exists_message()], "code": "draft_exists"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            draft = drafts.draft_save(
                context=AuditContext.from_request(request),
                actor=user,
                person_id=person_id,
                data=body.validated_data["data"],
                check=False,
            )
        except PermissionDenied:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="people.person",
                object_id=str(person_id)[:64],
                person_id=person_id,
                reason="out of scope: draft",
            )
            return Response({"person": [_no_person_message()]}, status=status.HTTP_400_BAD_REQUEST)
        except ValidationError as error:
            audit_refusal(request, error, person_id=person_id, what="draft")
            return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)
        return _answer(draft, request, status.HTTP_201_CREATED)


def _draft_exists_message() -> str:
    return _("You already have a draft for this person: change it instead")


def _no_person_message() -> str:
    return _("There is no person with this id that you may refer")


class DraftDetail(generics.GenericAPIView):
    serializer_class = DraftSerializer
    required_permission = "referrals.create"

    @extend_schema(
        summary="One of your referral drafts",
        description="With open_referrals: the person's open referrals you may see (to add to "
        "one instead of sending another). Another user's draft: 404 (audited).",
        responses={200: DraftSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(_draft_in_scope(request, pk), request)

    @extend_schema(
        summary="Change a referral draft",
        description="Replaces the draft's data; send the version you read (409 if stale).",
        request=DraftUpdateSerializer,
        responses={200: DraftSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE},
    )
    def put(self, request: Request, pk: int) -> Response:
        draft = _draft_in_scope(request, pk, "change")
        body = DraftUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            draft = drafts.draft_save(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                person_id=draft.person_id,
                data=body.validated_data["data"],
                expected_version=body.validated_data["version"],
            )
        except StaleVersionError as error:
            audit_refusal(request, error, person_id=draft.person_id, what="draft")
            current = drafts.draft_for(user_of(request), draft.person_id)
            return stale_version_response(current.version if current else None)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            audit_refusal(request, error, person_id=draft.person_id, what="draft")
            return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)
        return _answer(draft, request)

    @extend_schema(
        summary="Discard a referral draft",
        request=None,
        responses={
            204: OpenApiResponse(description="Discarded."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def delete(self, request: Request, pk: int) -> Response:
        request.data  # noqa: B018  (parsed even without a body: a bad one is refused)
        draft = _draft_in_scope(request, pk, "change")
        try:
            drafts.draft_discard(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                draft_id=draft.pk,
            )
        except PermissionDenied:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns: list[URLPattern] = [
    path("v1/referrals/drafts/", DraftList.as_view(), name="api-referral-drafts"),
    path("v1/referrals/drafts/<int:pk>/", DraftDetail.as_view(), name="api-referral-draft-detail"),
]
