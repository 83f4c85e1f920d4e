"""Webhook reads, scoped to the user (administrators see every row, nobody else any)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from pontio.core.scopes import restrict
from pontio.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

PAGE_SIZE = 50


def subscriptions_of(user: Any) -> QuerySet[WebhookSubscription]:
    return (
        restrict(WebhookSubscription.objects.all(), user, "view")
        .select_related("organisation")
        .annotate(delivery_count=Count("deliveries"))
        .order_by("-active", "-created_at", "-pk")
    )


def deliveries_of(
    user: Any, *, subscription: WebhookSubscription | None = None, status: str = ""
) -> QuerySet[WebhookDelivery]:
    rows = restrict(WebhookDelivery.objects.all(), user, "view").select_related(
        "subscription__organisation"
    )
    if subscription is not None:
        rows = rows.filter(subscription=subscription)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def attempts_of(user: Any, delivery: WebhookDelivery) -> QuerySet[WebhookAttempt]:
    return restrict(WebhookAttempt.objects.all(), user, "view").filter(delivery=delivery)
