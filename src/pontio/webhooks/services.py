"""Webhook writes: subscriptions (create, rotate the secret, disable), the deliveries made
when something happens to a referral, and an administrator's replay of a delivery.

Sending is in ``webhooks.sending`` (run by the task worker and the cron command, never
inside a request).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.webhooks import payloads
from pontio.webhooks.addresses import check_url
from pontio.webhooks.events import EVENT_TYPES, EventType
from pontio.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
    new_secret,
)

# What the audit log keeps of a subscription: never the secret.
AUDITED_FIELDS = ("organisation_id", "url", "events", "active", "disabled_at")


def _snapshot(subscription: WebhookSubscription) -> dict[str, Any]:
    return {name: getattr(subscription, name) for name in AUDITED_FIELDS}


def check_events(events: Iterable[str]) -> list[str]:
    chosen = sorted({str(e) for e in events})
    if not chosen:
        raise ValidationError({"events": [_("Select at least one event")]}, code="events_required")
    unknown = [e for e in chosen if e not in EVENT_TYPES]
    if unknown:
        raise ValidationError({"events": [_("Select events from the list")]}, code="unknown_event")
    return chosen


def _locked_subscription(actor: User, subscription_id: int) -> WebhookSubscription:
    found = (
        restrict(WebhookSubscription.objects.all(), actor, "change")
        .select_for_update()
        .filter(pk=subscription_id)
        .first()
    )
    if found is None:
        raise ValidationError(_("There is no such webhook subscription"), code="not_found")
    return found


@transaction.atomic
def subscription_create(
    *,
    context: AuditContext,
    actor: User,
    organisation_id: int,
    url: str,
    events: Iterable[str],
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (the only time the caller receives it)."""
    require_permission(actor, "webhooks.manage")
    errors: dict[str, list[str]] = {}
    cleaned_url = ""
    chosen: list[str] = []
    try:
        cleaned_url = check_url(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        chosen = check_events(events)
    except ValidationError as error:
        errors.update(error.message_dict)
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        errors["organisation"] = [_("Select the organisation that receives the events")]
    if errors or organisation is None:
        raise ValidationError(errors, code="invalid_subscription")
    duplicate = WebhookSubscription.objects.filter(
        organisation=organisation, url=cleaned_url, active=True
    ).exists()
    if duplicate:
        raise ValidationError(
            {"url": [_("This organisation already has an active subscription to this URL")]},
            code="duplicate_subscription",
        )
    secret = new_secret()
    subscription = WebhookSubscription.objects.create(
        organisation=organisation,
        url=cleaned_url,
        events=chosen,
        secret=secret,
        created_by=actor,
    )
    audit_record(
        context=context, action=AuditAction.CREATE, obj=subscription, after=_snapshot(subscription)
    )
    return subscription, secret


@transaction.atomic
def subscription_rotate_secret(
    *, context: AuditContext, actor: User, subscription_id: int
) -> tuple[WebhookSubscription, str]:
    """Replace the secret (the old one stops working at once); the new one is returned once."""
    require_permission(actor, "webhooks.manage")
    subscription = _locked_subscription(actor, subscription_id)
    if not subscription.active:
        raise ValidationError(
            _("This subscription is disabled: add a new one instead"), code="disabled"
        )
    secret = new_secret()
    subscription.secret = secret
    subscription.secret_rotated_at = timezone.now()
    subscription.save(update_fields=["secret", "secret_rotated_at"])
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=subscription,
        reason="webhook secret rotated",
    )
    return subscription, secret


@transaction.atomic
def subscription_disable(
    *, context: AuditContext, actor: User, subscription_id: int
) -> WebhookSubscription:
    """Stop sending to a subscription; what is waiting is abandoned, the log is kept."""
    require_permission(actor, "webhooks.manage")
    subscription = _locked_subscription(actor, subscription_id)
    if not subscription.active:
        raise ValidationError(_("This subscription is already disabled"), code="disabled")
    before = _snapshot(subscription)
    now = timezone.now()
    subscription.active = False
    subscription.disabled_at = now
    subscription.disabled_by = actor
    subscription.save(update_fields=["active", "disabled_at", "disabled_by"])
    subscription.deliveries.filter(
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED)
    ).update(status=DeliveryStatus.ABANDONED, next_attempt_at=None, last_error="Disabled")
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=subscription,
        before=before,
        after=_snapshot(subscription),
    )
    return subscription


def event_publish(
    *,
    event_type: EventType | str,
    referral: Any,
    created: dt.datetime,
    status: str | None = None,
    appointment_id: int | None = None,
) -> list[WebhookDelivery]:
    """Make the deliveries of one event, in the caller's transaction, and send them after
    it commits. Only the referral's provider and referring organisation hear of it: each
    organisation receives events about the referrals shared with it, nothing else."""
    organisations = {referral.provider_id, referral.referring_organisation_id}
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(active=True, organisation_id__in=organisations)
        if event_type in s.events
    ]
    made: list[WebhookDelivery] = []
    now = timezone.now()
    for subscription in subscriptions:
        delivery = WebhookDelivery(
            subscription=subscription, event_type=str(event_type), next_attempt_at=now
        )
        delivery.payload = payloads.build(
            event_id=delivery.event_id,
            event_type=str(event_type),
            created=created,
            referral_id=referral.pk,
            reference=referral.reference,
            status=status or referral.status,
            appointment_id=appointment_id,
        )
        delivery.save()
        made.append(delivery)
    if made:
        _send_after_commit([d.pk for d in made])
    return made


def _send_after_commit(delivery_ids: list[int]) -> None:
    from pontio.webhooks.tasks import deliver_webhook

    def enqueue() -> None:
        for delivery_id in delivery_ids:
            deliver_webhook.enqueue(delivery_id=delivery_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def delivery_replay(*, context: AuditContext, actor: User, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again: the same event id and body, a fresh signature timestamp, and
    a new round of attempts. The receiver decides whether it wants an event it has seen."""
    require_permission(actor, "webhooks.manage")
    delivery = (
        restrict(WebhookDelivery.objects.all(), actor, "change")
        .select_for_update()
        .filter(pk=delivery_id)
        .select_related("subscription")
        .first()
    )
    if delivery is None:
        raise ValidationError(_("There is no such delivery"), code="not_found")
    if not delivery.subscription.active:
        raise ValidationError(
            _("The subscription is disabled: nothing can be sent to it"), code="disabled"
        )
    before = {"status": delivery.status, "attempts": delivery.attempts}
    now = timezone.now()
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.replayed_at = now
    delivery.replayed_by = actor
    delivery.save(
        update_fields=["status", "attempts", "next_attempt_at", "replayed_at", "replayed_by"]
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=delivery,
        before=before,
        after={"status": delivery.status, "attempts": 0},
        reason="webhook delivery replayed by an administrator",
    )
    _send_after_commit([delivery.pk])
    return delivery
