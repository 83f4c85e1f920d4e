"""Builders shared by the webhook tests."""

from __future__ import annotations

from typing import Any

from pontio.audit.services import AuditContext
from pontio.webhooks import services
from pontio.webhooks.events import EVENT_TYPES
from pontio.webhooks.models import WebhookSubscription

CONTEXT = AuditContext.system("test")


def subscribe(
    admin: Any, organisation: Any, url: str, events: Any = None
) -> tuple[WebhookSubscription, str]:
    return services.subscription_create(
        context=CONTEXT,
        actor=admin,
        organisation_id=organisation.pk,
        url=url,
        events=sorted(EVENT_TYPES) if events is None else events,
    )
