"""Reads of device examinations, always through ``restrict``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.examinations.models import Device, ExaminationRequest, ExaminerProfile, StatusChange
from pontio.examinations.vocab import OPEN_STATUSES, Status

LIST_PARTS = ("county", "assigned_to__user")


def requests(user: User, action: str = "view") -> QuerySet[ExaminationRequest]:
    return (
        restrict(ExaminationRequest.objects.all(), user, action)
        .select_related(*LIST_PARTS)
        .defer("county__boundary")
        .annotate(device_count=Count("devices"))
    )


def queue(user: User) -> QuerySet[ExaminationRequest]:
    """Waiting to be taken: by priority, then the earliest due."""
    return (
        requests(user)
        .filter(status=Status.REQUESTED)
        .order_by("priority_rank", "due_on", "requested_at", "pk")
    )


def held_by(user: User) -> QuerySet[ExaminationRequest]:
    return (
        requests(user)
        .filter(status=Status.ASSIGNED, assigned_to__user_id=user.pk)
        .order_by("due_on", "priority_rank", "pk")
    )


def open_requests(user: User) -> QuerySet[ExaminationRequest]:
    return requests(user).filter(status__in=OPEN_STATUSES)


def overdue(user: User, today: dt.date) -> QuerySet[ExaminationRequest]:
    return open_requests(user).filter(due_on__lt=today)


def devices_of(user: User, row: ExaminationRequest) -> QuerySet[Device]:
    return restrict(Device.objects.filter(request=row), user, "view")


def changes_of(user: User, row: ExaminationRequest) -> QuerySet[StatusChange]:
    return restrict(StatusChange.objects.filter(request=row), user, "view").select_related("actor")


def profiles(user: User) -> QuerySet[ExaminerProfile]:
    return (
        restrict(ExaminerProfile.objects.all(), user, "view")
        .select_related("user", "county")
        .defer("county__boundary")
    )
