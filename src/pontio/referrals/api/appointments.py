"""Referrals API (v1): rescheduling a booked appointment (``services.appointments``), the
same rules as the page. The answer is the appointment with its history of changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import AuditContext
from pontio.core.access import scoped_get
from pontio.core.concurrency import StaleVersionError
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
from pontio.referrals.api.serializers import AppointmentSerializer, RescheduleSerializer
from pontio.referrals.models import Appointment
from pontio.referrals.services.appointments import appointment_reschedule


class AppointmentReschedule(generics.GenericAPIView):
    serializer_class = AppointmentSerializer
    required_permission = "referrals.work"

    @extend_schema(
        summary="Reschedule an appointment",
        description="A booked appointment only (not attended, missed, left early or "
        "cancelled): a new date and time, way (in_person, phone, video) or place, with a "
        "required reason; something must change. The date may not be before the referral "
        "was sent nor beyond the planning horizon. The change is kept in the appointment's "
        "changes; the police see only that it was rescheduled and when.",
        request=RescheduleSerializer,
        responses={
            200: AppointmentSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
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
        body = RescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        try:
            change = appointment_reschedule(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                appointment_id=appointment.pk,
                expected_version=values["version"],
                starts_at=values["starts_at"],
                mode=values["mode"],
                place=values["place"],
                reason=values["reason"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error, appointment)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(AppointmentSerializer(change.appointment).data)


urlpatterns: list[URLPattern] = [
    path(
        "v1/referrals/<int:pk>/appointments/<int:aid>/reschedule/",
        AppointmentReschedule.as_view(),
        name="api-referral-appointment-reschedule",
    ),
]
