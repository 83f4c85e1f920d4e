"""The daily digest of work coming due: who asked for it, and sending it once a working day.

The email is link-only (GOV.UK Notify, template ``work_due_digest``): it carries the address
of the due list and nothing else, no name, no reference, no count of a person's records.
It goes once per working day (``last_sent_on``: a second run the same day sends nothing) to
each active user who opted in and has at least one item due or overdue.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import Notification
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.core.working_days import is_working_day
from pontio.referrals import due
from pontio.referrals.models import WorkDigestSubscription
from pontio.referrals.services.common import snapshot
from pontio.referrals.services.notify import page_link

TEMPLATE = "work_due_digest"


def subscription_of(user: User) -> WorkDigestSubscription | None:
    return restrict(WorkDigestSubscription.objects.all(), user, "view").filter(user=user).first()


@transaction.atomic
def digest_subscribe(*, context: AuditContext, actor: User, daily: bool) -> WorkDigestSubscription:
    """Turn the actor's daily digest on or off (their own setting; audited as a change)."""
    existing = (
        restrict(WorkDigestSubscription.objects.select_for_update(), actor, "change")
        .filter(user=actor)
        .first()
    )
    if existing is None:
        made = WorkDigestSubscription.objects.create(user=actor, daily=daily)
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            obj=made,
            reason="work digest setting",
            after=snapshot(made),
        )
        return made
    if existing.daily == daily:
        return existing
    before = snapshot(existing)
    existing.daily = daily
    existing.save(update_fields=["daily"])
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=existing,
        reason="work digest setting",
        before=before,
        after=snapshot(existing),
    )
    return existing


def digest_link() -> str:
    return page_link(reverse("referrals:due"))


def send_work_digests(today: dt.date) -> list[int]:
    """Queue today's digests (working days only); the ids of the notifications made."""
    if not is_working_day(today):
        return []
    ids: list[int] = []
    pending = WorkDigestSubscription.objects.filter(daily=True, user__is_active=True).exclude(
        last_sent_on=today
    )
    for pk in pending.values_list("pk", flat=True):
        made = _send_one(pk, today)
        if made is not None:
            ids.append(made)
    if ids:
        from pontio.referrals.tasks import send_notifications

        transaction.on_commit(lambda: send_notifications.enqueue(notification_ids=ids))
    return ids


@transaction.atomic
def _send_one(subscription_id: int, today: dt.date) -> int | None:
    # Locked, and read again: two runs at once send one email.
    subscription = (
        WorkDigestSubscription.objects.select_for_update()
        .select_related("user")
        .filter(pk=subscription_id, daily=True, user__is_active=True)
        .exclude(last_sent_on=today)
        .first()
    )
    if subscription is None:
        return None
    user = subscription.user
    if not user.email or not due.due_items(user, today):
        return None
    notification = Notification.objects.create(
        template=TEMPLATE,
        language=user.preferred_language,
        recipient_user_id=user.pk,
        email_address=user.email,
        link=digest_link(),
    )
    subscription.last_sent_on = today
    subscription.save(update_fields=["last_sent_on"])
    return notification.pk
