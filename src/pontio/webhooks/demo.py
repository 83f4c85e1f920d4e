"""The demo's partner interfaces (demo and tests only, never production).

So that a person trying the demo can call the API at once, and an administrator finds the
token list and the delivery log in use:

- a partner API token for DDAS's case system (FHIR and REST, provider caseworker,
  force-wide, 90 days), issued by the demo administrator through the service; its
  plaintext is returned once, for ``seed_demo`` to print, as an administrator would see it;
- a webhook subscription of DDAS to its case system (a reserved ``.example`` address, so
  nothing ever leaves the demo), through the service;
- the delivery history of the last few moves of DDAS's referrals: events made by the same
  code the signals run (``services.event_publish``), then attempted as the worker would have
  against a system that answered 200, once after a 503 (a retry after back-off).

Idempotent: a second run finds the subscription and does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import Role
from pontio.accounts.tokens import ApiToken, token_create
from pontio.audit.services import AuditContext
from pontio.referrals.models import ReferralEvent
from pontio.webhooks import services
from pontio.webhooks.events import EVENT_TYPES, EventType
from pontio.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from pontio.webhooks.sending import backoff_after

PROVIDER = "Dyfed Drug and Alcohol Service"
SYSTEM_NAME = "DDAS case system (demo)"
RECEIVER = "https://cases.ddas.example/pontio/events"
HISTORY = 6


@dataclass
class InteropSeed:
    token: str = ""
    deliveries: int = 0


@transaction.atomic
def seed_interop() -> InteropSeed:
    result = InteropSeed()
    provider = Organisation.objects.get(name=PROVIDER)
    admin = User.objects.get(username="admin")
    if WebhookSubscription.objects.filter(organisation=provider, url=RECEIVER).exists():
        return result
    if not ApiToken.objects.filter(organisation=provider, name=SYSTEM_NAME).exists():
        _token, result.token = token_create(
            actor=admin,
            organisation=provider,
            name=SYSTEM_NAME,
            scopes=["api", "fhir"],
            role=Role.PROVIDER_CASEWORKER,
            expires_at=timezone.now() + dt.timedelta(days=90),
            force_wide=True,
        )
    context = AuditContext.system("seed_interop")
    subscription, _secret = services.subscription_create(
        context=context,
        actor=admin,
        organisation_id=provider.pk,
        url=RECEIVER,
        events=sorted(EVENT_TYPES),
    )
    moves = (
        ReferralEvent.objects.filter(referral__provider=provider)
        .select_related("referral")
        .order_by("-at", "-pk")[:HISTORY]
    )
    for number, move in enumerate(reversed(list(moves))):
        kind = (
            EventType.REFERRAL_CREATED
            if not move.from_status
            else EventType.REFERRAL_STATUS_CHANGED
        )
        for delivery in services.event_publish(
            event_type=kind, referral=move.referral, created=move.at, status=move.to_status
        ):
            if delivery.subscription_id != subscription.pk:
                continue
            _attempted(delivery, move.at, retried=number == 1)
            result.deliveries += 1
    return result


def _attempted(delivery: WebhookDelivery, at: dt.datetime, *, retried: bool) -> None:
    """The attempts a reachable system would have answered (the seed sends nothing)."""
    tries = [(503, "HTTP 503")] if retried else []
    tries.append((200, ""))
    when = at + dt.timedelta(seconds=2)
    for number, (code, error) in enumerate(tries, start=1):
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=when,
            number=number,
            status_code=code,
            error=error,
            succeeded=not error,
            replay=False,
        )
        wait = backoff_after(number) if error else None
        when = when + (wait or dt.timedelta(0))
    delivery.attempts = len(tries)
    delivery.last_status_code = 200
    delivery.last_error = ""
    delivery.status = DeliveryStatus.DELIVERED
    delivery.delivered_at = when
    delivery.next_attempt_at = None
    delivery.save()
