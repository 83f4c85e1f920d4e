"""Who is told about a referral, and how: link-only emails and in-app alerts to the police.

An email never carries a name or a detail, only where to look (GOV.UK Notify); the alert
is a row the police user sees in Pontio. Recipients are staff, chosen by organisation,
role and area, so these lists read user accounts, never case data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES, PROVIDER_ROLES, Role
from pontio.core.models import Notification
from pontio.core.scopes import restrict
from pontio.referrals.models import Alert, Referral


def _link(referral: Referral) -> str:
    return page_link(reverse("referrals:detail", args=[referral.pk]))


def page_link(path: str) -> str:
    """The public address of a page of Pontio (what a link-only email points at)."""
    return settings.PONTIO_BASE_URL.rstrip("/") + path


def queue_notifications(users: list[User], template: str, referral: Referral) -> None:
    """Link-only emails (GOV.UK Notify) about a referral: no name, no detail, just where to
    look (the referral's page)."""
    queue_link_emails(users, template, _link(referral))


def queue_link_emails(users: list[User], template: str, link: str) -> None:
    """Link-only emails to a page (``page_link``), sent by the task worker after commit."""
    made = [
        Notification.objects.create(
            template=template,
            language=user.preferred_language,
            recipient_user_id=user.pk,
            email_address=user.email,
            link=link,
        )
        for user in users
        if user.email
    ]
    if made:
        from pontio.referrals.tasks import send_notifications

        ids = [n.pk for n in made]
        transaction.on_commit(lambda: send_notifications.enqueue(notification_ids=ids))


def provider_recipients(referral: Referral) -> list[User]:
    """Staff of the provider who look after referrals in the referral's county."""
    users = (
        User.objects.filter(
            organisation_id=referral.provider_id,
            is_active=True,
            role_grants__role__in=list(PROVIDER_ROLES),
        )
        .filter(
            Q(force_wide=True)
            | Q(counties=referral.county_id)
            | Q(role_grants__role=Role.PROVIDER_MANAGER)
        )
        .distinct()
    )
    return list(users)


def police_recipients(referral: Referral) -> list[User]:
    """The referring officer and their supervisors (sergeants and inspectors of the area)."""
    supervisors = (
        User.objects.filter(
            organisation_id=referral.referring_organisation_id,
            is_active=True,
            role_grants__role__in=list(POLICE_SUPERVISOR_ROLES),
        )
        .filter(Q(force_wide=True) | Q(counties=referral.county_id))
        .exclude(pk=referral.referred_by_id)
        .distinct()
    )
    officer = referral.referred_by
    return ([officer] if officer.is_active else []) + list(supervisors)


def notify_provider(referral: Referral, template: str = "referral_received") -> None:
    queue_notifications(provider_recipients(referral), template, referral)


def alert_police(referral: Referral, kind: str) -> list[Alert]:
    recipients = police_recipients(referral)
    alerts = [Alert.objects.create(recipient=u, referral=referral, kind=kind) for u in recipients]
    queue_notifications(recipients, "referral_update", referral)
    return alerts


def mark_alerts_read(user: User, referral: Referral) -> int:
    """The user has opened the referral: their alerts about it are read."""
    unread = restrict(Alert.objects.filter(referral=referral, read_at__isnull=True), user, "change")
    return unread.update(read_at=timezone.now())
