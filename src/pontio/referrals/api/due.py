"""Referrals API (v1): the caller's work coming due (``referrals.due``).

- ``GET v1/referrals/due/``: every item falling due in the next working days, overdue first,
  each with its kind, the referral's id and reference, the due date, the working days left
  (negative: overdue) and the page to open; with the counts the home page shows.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pontio.referrals import due
from pontio.referrals.api.errors import FORBIDDEN, user_of


class DueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(due.KINDS))
    label = serializers.CharField()  # type: ignore[assignment]
    referral = serializers.IntegerField(source="referral_id")
    reference = serializers.CharField()
    due = serializers.DateField()
    working_days_left = serializers.IntegerField(source="days_left")
    overdue = serializers.BooleanField()
    url = serializers.CharField()


class DueListSerializer(serializers.Serializer):
    window_working_days = serializers.IntegerField()
    until = serializers.DateField()
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()
    items = DueItemSerializer(many=True)


class DueList(APIView):
    required_permission = "referrals.view"

    @extend_schema(
        summary="Work coming due",
        description=(
            "What falls due for the caller in the next working days (Wales), overdue first: "
            "running service-level timers, appointments whose attendance is not recorded "
            "(provider staff), concerns from the other side to acknowledge, and unanswered "
            "information requests (the police answer them; the provider waits for them)."
        ),
        responses={200: DueListSerializer, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        items = due.due_items(user_of(request), today)
        found = due.counts(items)
        data: dict[str, Any] = {
            "window_working_days": due.WINDOW,
            "until": due.window_end(today),
            "due": found.due,
            "overdue": found.overdue,
            "items": items,
        }
        return Response(DueListSerializer(data).data)


urlpatterns: list[URLPattern] = [
    path("v1/referrals/due/", DueList.as_view(), name="api-referral-due"),
]
