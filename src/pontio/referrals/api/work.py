"""Referrals API (v1): the provider's work on one referral (contact attempts,
appointments and attendance, clinical records, Treatment Outcomes Profiles), through the
same services as the pages. Each answer carries the referral's new version."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.referrals import services
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
from pontio.referrals.api.serializers import (
    AppointmentCreateSerializer,
    AppointmentSerializer,
    AttendanceSerializer,
    ClinicalRecordCreateSerializer,
    ClinicalRecordSerializer,
    ContactAttemptCreateSerializer,
    ContactAttemptSerializer,
    TopEntryCreateSerializer,
    TopEntrySerializer,
)
from pontio.referrals.models import Appointment, Referral
from pontio.referrals.services import TOP_DAY_FIELDS, TOP_SCORE_FIELDS


class _ProviderWork(generics.GenericAPIView):
    """A piece of provider work on one referral: validate, call the service, answer 201."""

    required_permission = "referrals.work"
    input_class: ClassVar[type[serializers.Serializer]]

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        referral = referral_in_scope(request, pk)
        body = self.input_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = self.save(
                user_of(request), AuditContext.from_request(request), referral, body.validated_data
            )
        except ValidationError as error:
            return refused(request, referral, error)
        output = self.get_serializer_class()
        return Response(output(made).data, status=status.HTTP_201_CREATED)


WORK_RESPONSES: dict[int, Any] = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}


class ContactAttemptCreate(_ProviderWork):
    serializer_class = ContactAttemptSerializer
    input_class = ContactAttemptCreateSerializer

    @extend_schema(
        summary="Record a contact attempt",
        description="The first attempt meets the first-contact timer; speaking to the person "
        "starts the work (accepted -> in-progress).",
        request=ContactAttemptCreateSerializer,
        responses={201: ContactAttemptSerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.contact_attempt_add(
            context=context,
            actor=user,
            referral_id=referral.pk,
            at=values["at"],
            channel=values["channel"],
            outcome=values["outcome"],
            notes=values["notes"],
        )


class AppointmentCreate(_ProviderWork):
    serializer_class = AppointmentSerializer
    input_class = AppointmentCreateSerializer

    @extend_schema(
        summary="Book an appointment",
        request=AppointmentCreateSerializer,
        responses={201: AppointmentSerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.appointment_book(
            context=context,
            actor=user,
            referral_id=referral.pk,
            kind=values["kind"],
            starts_at=values["starts_at"],
            place=values["place"],
            mode=values["mode"],
        )


class ClinicalRecordCreate(_ProviderWork):
    serializer_class = ClinicalRecordSerializer
    input_class = ClinicalRecordCreateSerializer

    @extend_schema(
        summary="Record the assessment or the treatment start",
        description="Clinical: the provider's alone, never shown to the police.",
        request=ClinicalRecordCreateSerializer,
        responses={201: ClinicalRecordSerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.clinical_record_add(
            context=context,
            actor=user,
            referral_id=referral.pk,
            kind=values["kind"],
            on=values["on"],
            intervention=values["intervention"],
            notes=values["notes"],
        )


class TopEntryCreate(_ProviderWork):
    serializer_class = TopEntrySerializer
    input_class = TopEntryCreateSerializer

    @extend_schema(
        summary="Record a Treatment Outcomes Profile",
        description="Days in the past 28 (0-28) and scores (0-20); null means not disclosed. "
        "The start profile comes first; review and exit follow it.",
        request=TopEntryCreateSerializer,
        responses={201: TopEntrySerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.top_record(
            context=context,
            actor=user,
            referral_id=referral.pk,
            stage=values["stage"],
            interview_date=values["interview_date"],
            main_substance=values["main_substance"],
            values={k: values[k] for k in (*TOP_DAY_FIELDS, *TOP_SCORE_FIELDS, "shared_equipment")},
        )


class AppointmentAttendance(generics.GenericAPIView):
    serializer_class = AppointmentSerializer
    required_permission = "referrals.work"

    @extend_schema(
        summary="Record attendance",
        description="Attended, did not attend (the police are alerted) or cancelled.",
        request=AttendanceSerializer,
        responses={200: AppointmentSerializer, **WORK_RESPONSES, 409: STALE},
    )
    def post(self, request: Request, pk: int, aid: int) -> Response:
        referral = referral_in_scope(request, pk)
        appointment = scoped_get(
            request,
            Appointment.objects.filter(referral=referral),
            aid,
            "change",
            audit_read=False,
        )
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            appointment = services.appointment_record_attendance(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                appointment_id=appointment.pk,
                expected_version=body.validated_data["version"],
                attendance=body.validated_data["attendance"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error, appointment)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(AppointmentSerializer(appointment).data)
