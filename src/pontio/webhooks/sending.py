"""Sending deliveries: one signed POST per attempt, back-off on failure, and the sweep that
picks up what is due (run by the task worker and by ``manage.py send_due_webhooks``).

A delivery is claimed under a row lock held for the POST (at most ``TIMEOUT`` seconds):
another worker skips the row (``SKIP LOCKED`` on PostgreSQL), and a delivered or abandoned
row is never picked again, so each attempt is made once whoever runs the sweep.
"""

from __future__ import annotations

import datetime as dt
import time

import requests
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from pontio.webhooks import payloads, signing
from pontio.webhooks.addresses import check_url
from pontio.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

TIMEOUT = 5
MAX_ATTEMPTS = 6
# Wait after the 1st, 2nd, ... failed attempt; the 6th failure abandons the delivery.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
USER_AGENT = "Pontio-Webhooks/1"
DUE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def unix_now() -> int:
    """Seconds since the epoch for the signature (a function, so tests can move it)."""
    return int(time.time())


def backoff_after(attempts: int) -> dt.timedelta | None:
    """The wait after ``attempts`` failed attempts, or None when it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _locked(queryset: QuerySet[WebhookDelivery]) -> QuerySet[WebhookDelivery]:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    # SQLite has no row locks: its single writer already serialises the sweeps.
    return queryset.select_for_update()


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.sign(delivery.subscription.secret, body, timestamp),
        signing.EVENT_ID_HEADER: str(delivery.event_id),
        signing.EVENT_TYPE_HEADER: delivery.event_type,
    }


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """(status code, short error). Nothing of the response body is read or kept."""
    try:
        response = requests.post(
            url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False, stream=True
        )
    except requests.Timeout:
        return None, f"Timed out after {TIMEOUT} seconds"
    except requests.ConnectionError:
        return None, "Could not connect"
    except requests.RequestException as error:
        return None, type(error).__name__[:100]
    try:
        code = response.status_code
    finally:
        response.close()
    if 200 <= code < 300:
        return code, ""
    if 300 <= code < 400:
        return code, f"HTTP {code}: redirects are not followed"
    return code, f"HTTP {code}"


def _give_up(delivery: WebhookDelivery, error: str) -> str:
    delivery.status = DeliveryStatus.ABANDONED
    delivery.next_attempt_at = None
    delivery.last_error = error[:200]
    delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
    return delivery.status


def delivery_send(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Make the due attempt of one delivery; return its status ("skipped" if not due)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            _locked(
                WebhookDelivery.objects.filter(
                    pk=delivery_id, status__in=DUE, next_attempt_at__lte=now
                )
            )
            .select_related("subscription")
            .first()
        )
        if delivery is None:
            return "skipped"
        subscription = delivery.subscription
        if not subscription.active:
            return _give_up(delivery, "Subscription disabled")
        try:
            check_url(subscription.url)
        except ValidationError:
            return _give_up(delivery, "The URL is no longer allowed")
        body = payloads.body_of(delivery.payload)
        # A fresh timestamp for every attempt: the receiver's replay window is measured
        # from the moment of sending, not from the event.
        code, error = _post(subscription.url, body, headers_for(delivery, body, unix_now()))
        replay = delivery.replayed_at is not None and delivery.attempts == 0
        delivery.attempts += 1
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=now,
            number=delivery.tries.count() + 1,
            status_code=code,
            error=error,
            succeeded=not error,
            replay=replay,
        )
        delivery.last_status_code = code
        delivery.last_error = error
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        else:
            wait = backoff_after(delivery.attempts)
            if wait is None:
                delivery.status = DeliveryStatus.ABANDONED
                delivery.next_attempt_at = None
            else:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = now + wait
        delivery.save()
        return delivery.status


def send_due(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Attempt every delivery that is due (oldest first); counts by resulting status."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status__in=DUE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for delivery_id in due:
        result = delivery_send(delivery_id, now=now)
        counts[result] = counts.get(result, 0) + 1
    return counts
