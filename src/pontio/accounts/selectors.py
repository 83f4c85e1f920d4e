"""Reads of accounts, always through the reader's scope."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.filters import UserFilter
from pontio.accounts.models import Organisation, User
from pontio.core.scopes import restrict


def organisations_for(user: Any, action: str = "view") -> QuerySet[Organisation]:
    return restrict(Organisation.objects.all(), user, action)


def users_for(user: Any, data: Any = None) -> tuple[UserFilter, QuerySet[User]]:
    """The accounts ``user`` may see that match the filters (none if a filter is invalid),
    each with its count of confirmed authenticators, by name."""
    users = restrict(User.objects.all(), user, "view").select_related("organisation")
    filters = UserFilter(data, queryset=users, organisations=organisations_for(user))
    rows = users.none() if filters.is_bound and not filters.is_valid() else filters.qs
    rows = rows.annotate(
        confirmed_devices=Count("totpdevice", filter=Q(totpdevice__confirmed=True))
    ).order_by("last_name", "first_name", "pk")
    return filters, rows


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def user_is_locked_out(user: User) -> bool:
    """Locked out by too many wrong passwords, and not yet cooled off (django-axes)."""
    cutoff = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=cutoff,
    ).exists()


def users_with_role(role: str) -> QuerySet[User]:
    """Active users of an organisation holding ``role`` (reviewers to hand work to)."""
    return User.objects.filter(
        is_active=True, organisation__isnull=False, role_grants__role=role
    ).distinct()
