"""Referrals API (v1): the case notes of a referral, both ways (``services.notes``): list,
write, and acknowledge a concern. 400 with the specific refusal, 409 for a stale version,
404 outside the caller's scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
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
from pontio.referrals.models import CaseNote
from pontio.referrals.services import notes as service


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__", read_only=True)
    author_organisation = serializers.CharField(
        source="author_organisation.display_name", read_only=True
    )
    acknowledged_by_organisation = serializers.CharField(
        source="acknowledged_by.organisation.display_name", default="", read_only=True
    )
    is_open_concern = serializers.BooleanField(read_only=True)

    class Meta:
        model = CaseNote
        fields = [
            "id",
            "version",
            "created_at",
            "category",
            "text",
            "author",
            "author_organisation",
            "author_party",
            "notify_other_side",
            "is_open_concern",
            "acknowledged_at",
            "acknowledged_by_organisation",
        ]


class NoteCreateSerializer(serializers.Serializer):
    category = serializers.CharField(
        max_length=20, help_text="general, change (of circumstances) or concern."
    )
    text = serializers.CharField(
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="At most 4000 characters. Shared with both sides: never clinical detail.",
    )
    notify_other_side = serializers.BooleanField(
        default=False,
        help_text="Email the other side a link (a concern always alerts the other side).",
    )


class AcknowledgeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The note's version you read.")


def _notes(request: Request, referral_id: int) -> QuerySet[CaseNote]:
    return (
        restrict(CaseNote.objects.filter(referral_id=referral_id), user_of(request), "view")
        .select_related("author", "author_organisation", "acknowledged_by__organisation")
        .order_by("created_at", "pk")
    )


class ReferralNotes(generics.GenericAPIView):
    serializer_class = CaseNoteSerializer
    required_permission = "referrals.view"
    # A referral has few of them: the whole list, never in pages (so the description
    # gives a list, not a page).
    pagination_class = None

    @extend_schema(
        summary="The notes of a referral",
        description="Oldest first, from both sides.",
        responses={200: CaseNoteSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk, "view")
        audit_request(request, AuditAction.READ, obj=referral, person_id=referral.person_id)
        return Response(CaseNoteSerializer(_notes(request, referral.pk), many=True).data)

    @extend_schema(
        summary="Write a note on a referral",
        description="Police who may see the referral, or the provider's staff, while it is "
        "open (code closed otherwise). A concern alerts the other side at once; another note "
        "emails the other side a link when notify_other_side is true.",
        request=NoteCreateSerializer,
        responses={201: CaseNoteSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk)
        body = NoteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            note = service.note_add(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                referral_id=referral.pk,
                category=body.validated_data["category"],
                text=body.validated_data["text"],
                notify_other_side=body.validated_data["notify_other_side"],
            )
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class NoteAcknowledge(generics.GenericAPIView):
    serializer_class = CaseNoteSerializer
    required_permission = "referrals.view"

    @extend_schema(
        summary="Acknowledge a concern",
        description="By someone on the other side from its author, once "
        "(code already_acknowledged; same_side for the author's own side).",
        request=AcknowledgeSerializer,
        responses={
            200: CaseNoteSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int, note_id: int) -> Response:
        referral = referral_in_scope(request, pk)
        note = scoped_get(
            request,
            CaseNote.objects.filter(referral_id=referral.pk),
            note_id,
            "change",
            audit_read=False,
        )
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            note = service.concern_acknowledge(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                note_id=note.pk,
                expected_version=body.validated_data["version"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error, note)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(CaseNoteSerializer(note).data)


urlpatterns: list[URLPattern] = [
    path("v1/referrals/<int:pk>/notes/", ReferralNotes.as_view(), name="api-referral-notes"),
    path(
        "v1/referrals/<int:pk>/notes/<int:note_id>/acknowledge/",
        NoteAcknowledge.as_view(),
        name="api-referral-note-acknowledge",
    ),
]
