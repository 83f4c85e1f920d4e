"""Custody API (v1): the custody records list (filters, limit/offset), booking, one record,
and the required assessment with its moves.

- Reads go through ``custody.selectors`` (``restrict``): outside the caller's scope a record
  or an assessment is "not found" (404) and the attempt is audited (``scoped_get``); every
  read is audited with the person's id. Provider staff may read the assessment behind
  their own referral (and record the assessor's follow-up decision), never the custody
  record (403).
- Booking needs an ``Idempotency-Key`` header, kept on the record (unique per caller): a
  retry with the same key and the same booking returns the record already made (200) and
  changes nothing; the same key with a different booking is refused (422,
  ``idempotency_key_reused``), as the referrals API does. A custody number already in use
  under another key is refused by the service (400).
- Every move names the version it was read with; a stale one answers 409 and says which
  version to send. Refusals answer 400 with the service's messages, by field, and are
  audited as denials.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.api import refusal_codes, stale_version_response
from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import has_permission, require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.custody import services
from pontio.custody.api.filters import CustodyRecordFilterSet
from pontio.custody.api.serializers import (
    AssessmentSerializer,
    AssessmentTransitionSerializer,
    RecordCreateSerializer,
    RecordDetailSerializer,
    RecordSummarySerializer,
)
from pontio.custody.models import CustodyRecord, CustodySuite, Offence, RequiredAssessment
from pontio.referrals.api.errors import (
    FORBIDDEN,
    NOT_FOUND,
    REFUSED,
    STALE,
    key_refused,
    messages_of,
)
from pontio.referrals.api.serializers import ErrorSerializer
from pontio.referrals.services import check_idempotency_key

RECORD_PARTS = ("suite__county", "person")

BOOKING_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=(
        "A key you make for this booking (for example a UUID), at most 80 characters, kept "
        "on the record. Sending the same key again with the same booking returns the record "
        "already made (200) and changes nothing; the same key with a different booking is "
        "refused (422)."
    ),
)
BOOKING_KEY_REUSED = OpenApiResponse(
    ErrorSerializer,
    description="The Idempotency-Key was already used for a different booking "
    "(code idempotency_key_reused).",
)


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _record_rows() -> QuerySet[CustodyRecord]:
    return CustodyRecord.objects.select_related(*RECORD_PARTS).defer("suite__county__boundary")


def _audit_refusal(
    request: Request, error: ValidationError, person_id: int | str, what: str
) -> None:
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="custody.custodyrecord",
        person_id=person_id,
        reason=f"api {what} refused: {refusal_codes(error)}"[:200],
    )


def _refused(request: Request, error: ValidationError, person_id: int | str, what: str) -> Response:
    _audit_refusal(request, error, person_id, what)
    return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)


def _stale(request: Request, row: CustodyRecord | RequiredAssessment, person_id: int) -> Response:
    current = type(row).objects.filter(pk=row.pk).values_list("version", flat=True).first()
    audit_request(
        request,
        AuditAction.DENIED,
        obj=row,
        person_id=person_id,
        reason="api refused: stale_version",
    )
    return stale_version_response(current)


def record_data(pk: int) -> dict[str, Any]:
    record = (
        _record_rows().prefetch_related("record_offences__offence", "assessment__events").get(pk=pk)
    )
    return dict(RecordDetailSerializer(record).data)


class KeepFilterSet(DjangoFilterBackend):
    """django-filter's backend, keeping the filter it used on the view (for the audit)."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset


class CustodyPagination(LimitOffsetPagination):
    """``?limit=`` rows (50 unless told, at most 200) from ``?offset=`` (0 unless told)."""

    default_limit = 50
    max_limit = 200


class CustodyRecordList(generics.GenericAPIView):
    serializer_class = RecordSummarySerializer
    required_permission = "custody.view"
    pagination_class = CustodyPagination
    filter_backends = [KeepFilterSet]
    filterset_class = CustodyRecordFilterSet
    filterset: CustodyRecordFilterSet

    def get_queryset(self) -> QuerySet[CustodyRecord]:
        if getattr(self, "swagger_fake_view", False):
            return CustodyRecord.objects.none()
        return (
            restrict(_record_rows(), _user(self.request), "view")
            .select_related("test", "assessment")
            .order_by("-arrested_at", "-pk")
        )

    @extend_schema(
        summary="Custody records you may see",
        description=(
            "Custody officers, sergeants and inspectors: the records of the suites of their "
            "counties (and those they booked); inspectors also those they were asked to "
            "authorise; officers those they are the officer in the case of.\n\n"
            "Filters: suite (suite code), county (ONS code), arrested_from and arrested_to "
            "(dates, both included), custody_number, assessment_state, step (a step of the "
            "custody funnel the record reached, as defined in docs/metrics.md). A value that "
            "is not one of these is refused (400, by field). No name travels in the URL.\n\n"
            "Paging: limit (50 unless given, at most 200) and offset."
        ),
        responses={200: RecordSummarySerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        chosen = self.filterset.chosen()
        described = ", ".join(f"{k}={v}" for k, v in sorted(chosen.items())) or "none"
        audit_request(
            request,
            AuditAction.READ,
            object_type="custody.custodyrecord",
            reason=f"api list filters: {described}"[:200],
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(RecordSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Book a detainee in",
        description=(
            "Custody officers and sergeants (and inspectors), at a suite of their area. The "
            "person is a Pontio person id (find them with the people API). The booking is "
            "checked as on the booking page: the custody number, the arrest time (not in the "
            "future), the suite, and each offence (by code; class_a_involved answers the "
            "question of the offences that trigger only with a specified Class A drug). "
            "Send an Idempotency-Key: a retry with the same key and the same booking "
            "(person, custody number, suite, arrest time, offences, appropriate adult) "
            "returns the record already made (200) and changes nothing; the same key with a "
            "different booking is refused (422)."
        ),
        parameters=[BOOKING_KEY],
        request=RecordCreateSerializer,
        responses={
            201: RecordDetailSerializer,
            200: OpenApiResponse(RecordDetailSerializer, description="A retry: the same one."),
            400: REFUSED,
            403: FORBIDDEN,
            422: BOOKING_KEY_REUSED,
        },
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        require_permission(user, "custody.book")
        try:
            key = check_idempotency_key(request.headers.get("Idempotency-Key"), required=True)
        except ValidationError as error:
            return key_refused(error) or Response(
                messages_of(error), status=status.HTTP_400_BAD_REQUEST
            )
        body = RecordCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        errors: dict[str, list[str]] = {}
        suite = CustodySuite.objects.filter(code=values["suite"]).first()
        entries = []
        for entry in values["offences"]:
            offence = Offence.objects.effective().filter(code=entry["code"]).first()
            if offence is None:
                errors.setdefault("offences", []).append(
                    _("“%(code)s” is not an offence code in force") % {"code": entry["code"][:40]}
                )
                continue
            entries.append(services.OffenceEntry(offence, entry["class_a_involved"]))
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        data = services.BookingData(
            custody_number=values["custody_number"],
            suite=suite,
            arrested_at=values["arrested_at"],
            offences=entries,
            appropriate_adult_name=values["appropriate_adult_name"],
            appropriate_adult_relationship=values["appropriate_adult_relationship"],
        )
        try:
            earlier = self._retry_of(request, key, values["person"], data)
            if earlier is not None:
                return earlier
            record = services.custody_book(
                context=AuditContext.from_request(request),
                actor=user,
                data=data,
                person_id=values["person"],
                idempotency_key=key,
            )
        except IntegrityError:
            # Two bookings with one key at the same moment: the other one won.
            try:
                earlier = self._retry_of(request, key, values["person"], data)
            except ValidationError as error:
                _audit_refusal(request, error, values["person"], "booking")
                return key_refused(error) or _refused(request, error, values["person"], "booking")
            if earlier is None:
                raise
            return earlier
        except PermissionDenied:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="people.person",
                object_id=str(values["person"])[:64],
                reason="out of scope: book",
            )
            return Response(
                {"person": [_("There is no person with this id that you may book in")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except ValidationError as error:
            refusal = key_refused(error)
            if refusal is not None:
                _audit_refusal(request, error, values["person"], "booking")
                return refusal
            return _refused(request, error, values["person"], "booking")
        return Response(record_data(record.pk), status=status.HTTP_201_CREATED)

    def _retry_of(
        self, request: Request, key: str, person_id: int, data: services.BookingData
    ) -> Response | None:
        """The answer to a retry (the record the key made, 200), or None for a new key;
        the same key with a different booking raises (``idempotency_key_reused``)."""
        earlier = services.repeated_booking(
            actor=_user(request), key=key, person_id=person_id, data=data
        )
        if earlier is None:
            return None
        audit_request(
            request,
            AuditAction.READ,
            obj=earlier,
            person_id=earlier.person_id,
            reason="api: repeated Idempotency-Key",
        )
        return Response(record_data(earlier.pk), status=status.HTTP_200_OK)


class CustodyRecordDetail(generics.GenericAPIView):
    serializer_class = RecordDetailSerializer
    required_permission = "custody.view"

    @extend_schema(
        summary="One custody record",
        description=(
            "The record with its offences, its test and its required assessment (state, "
            "appointment, events, failure-to-attend tasks, the referral's reference). "
            "Outside your scope: 404 (audited). Every read is audited."
        ),
        responses={200: RecordDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        record = scoped_get(request, CustodyRecord.objects.all(), pk, "view", audit_read=False)
        audit_request(request, AuditAction.READ, obj=record, person_id=record.person_id)
        return Response(record_data(record.pk))


def _assessment_in_scope(request: Request, pk: int, action: str) -> RequiredAssessment:
    user = _user(request)
    if not has_permission(user, "custody.read_assessment"):
        raise PermissionDenied
    return scoped_get(
        request,
        RequiredAssessment.objects.select_related("record", "referral"),
        pk,
        action,
        audit_read=False,
    )


def assessment_data(user: User, pk: int) -> dict[str, Any]:
    assessment = (
        restrict(RequiredAssessment.objects.all(), user, "view")
        .select_related("record", "referral")
        .prefetch_related("events", "breach_tasks")
        .get(pk=pk)
    )
    data = dict(AssessmentSerializer(assessment).data)
    if not has_permission(user, "custody.view"):
        data.pop("breach_tasks", None)  # the police's task, not the provider's
    return data


class AssessmentDetail(generics.GenericAPIView):
    serializer_class = AssessmentSerializer
    required_permission = "custody.read_assessment"

    @extend_schema(
        summary="One required assessment",
        description=(
            "Its state (Drugs Act 2005 ss9-14: initial required, varied, attended, failed to "
            "attend, left early; then follow-up required or not, and the same states), the "
            "appointment, the events and, for the police, the failure-to-attend tasks. The "
            "police read it on their records; provider staff on the referral sent to them. "
            "Attendance is recorded on the referral (/referrals/{id}/appointments/{aid}/"
            "attendance/). Outside your scope: 404 (audited)."
        ),
        responses={200: AssessmentSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = _assessment_in_scope(request, pk, "view")
        audit_request(
            request, AuditAction.READ, obj=assessment, person_id=assessment.record.person_id
        )
        return Response(assessment_data(_user(request), assessment.pk))


class AssessmentTransition(generics.GenericAPIView):
    serializer_class = AssessmentTransitionSerializer

    required_permission = "custody.move_assessment"

    @extend_schema(
        summary="Move a required assessment",
        description=(
            "vary: custody officers and sergeants change the appointment (RA2; not inside "
            "the dispute window of a disputed test), naming the custody record's version. "
            "followup_required (RA4, with the appointment) or followup_not_required (RA5): "
            "the initial assessor's decision (s13), by provider staff on their referral or "
            "by the police, naming the assessment's version. A stale version answers 409; "
            "a move the lifecycle does not allow, 400."
        ),
        request=AssessmentTransitionSerializer,
        responses={
            200: AssessmentSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        assessment = _assessment_in_scope(request, pk, "change")
        body = AssessmentTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        context = AuditContext.from_request(request)
        person_id = assessment.record.person_id
        try:
            if values["action"] == "vary":
                services.assessment_vary(
                    context=context,
                    actor=user,
                    record_id=assessment.record_id,
                    expected_version=values["version"],
                    appointment_at=values["appointment_at"],
                    appointment_place=values["appointment_place"],
                    reason=values["reason"],
                )
            else:
                services.assessment_followup(
                    context=context,
                    actor=user,
                    assessment_id=assessment.pk,
                    expected_version=values["version"],
                    required=values["action"] == "followup_required",
                    appointment_at=values["appointment_at"],
                    appointment_place=values["appointment_place"],
                    reason=values["reason"],
                )
        except StaleVersionError:
            row = assessment.record if values["action"] == "vary" else assessment
            return _stale(request, row, person_id)
        except ValidationError as error:
            return _refused(request, error, person_id, values["action"])
        return Response(assessment_data(user, assessment.pk))
