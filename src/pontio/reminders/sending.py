"""Sending the messages (the task worker's work only, ``tasks``).

Per message: it is claimed (``sending``, one more attempt) in a transaction of its own,
with ``select_for_update(skip_locked=True)`` on PostgreSQL so two workers never take the
same row; then Notify is called outside any transaction and the outcome recorded.

Never sent twice: each message has the reference ``pontio-msg-<id>``. When an attempt ended
without knowing whether Notify accepted it (a timeout, a dropped connection, a 5xx, or a
worker that died while sending), the next attempt first asks Notify for notifications with
that reference and, if there is one, records it as sent instead of sending again.

Retries: a 5xx, a timeout or 429 (rate limit) is retried after 1, 5, 15 and 30 minutes, at
most ``MAX_ATTEMPTS`` in all, then "technical failure". Any other 4xx (a bad number, a
missing template) is a permanent failure at once. A reminder whose appointment has already
started is cancelled, never sent late.

Local mode (no ``NOTIFY_API_KEY``, or ``PONTIO_NOTIFY_MODE=local``): the message is
rendered by Pontio and recorded as ``recorded_locally`` instead of being sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from pontio.core.notify import client, local_mode
from pontio.referrals.models import Appointment, Referral
from pontio.reminders import texts
from pontio.reminders.consent import reach_for
from pontio.reminders.models import FINAL, Channel, MessageStatus, PersonMessage

log = logging.getLogger(__name__)

BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(minutes=30),
)
MAX_ATTEMPTS = 5
# A row left "sending" this long was dropped by a worker: its outcome is unknown.
STALE_SENDING = dt.timedelta(minutes=10)
BATCH = 200


def _locked(queryset: Any) -> Any:
    if connection.vendor == "postgresql":
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def recover_stale(now: dt.datetime) -> int:
    """Rows a dead worker left "sending": retried, after a look-up at Notify."""
    return PersonMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(status=MessageStatus.SCHEDULED, uncertain=True, due_at=now)


def due_ids(now: dt.datetime, limit: int = BATCH) -> list[int]:
    return list(
        PersonMessage.objects.filter(status=MessageStatus.SCHEDULED, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def send_due(now: dt.datetime | None = None) -> int:
    """Send every message due (the periodic task); how many were handled."""
    now = now or timezone.now()
    recover_stale(now)
    return sum(1 for pk in due_ids(now) if send_one(pk, now) is not None)


def _claim(pk: int, now: dt.datetime) -> PersonMessage | None:
    with transaction.atomic():
        message = (
            _locked(PersonMessage.objects.filter(pk=pk, status=MessageStatus.SCHEDULED))
            .filter(due_at__lte=now)
            .first()
        )
        if message is None:
            return None  # taken by another worker, sent, or not yet due
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.claimed_at = now
        message.save(update_fields=["status", "attempts", "claimed_at"])
        return message


def _finish(message: PersonMessage, status: str, now: dt.datetime, **fields: Any) -> PersonMessage:
    if status == MessageStatus.SENT:
        with transaction.atomic():
            # Notify's delivery callback may have come before this: keep its final status.
            stored = PersonMessage.objects.select_for_update().get(pk=message.pk)
            if stored.status in FINAL:
                PersonMessage.objects.filter(pk=message.pk).update(
                    sent_at=now, uncertain=False, **fields
                )
                stored.refresh_from_db()
                return stored
    message.status = status
    for name, value in fields.items():
        setattr(message, name, value)
    if status in (MessageStatus.SENT, MessageStatus.RECORDED_LOCALLY):
        message.sent_at = now
        message.uncertain = False
    if status != MessageStatus.SENT:  # sent waits for Notify's callback: a final status
        message.to = ""
    message.save()
    return message


def send_one(pk: int, now: dt.datetime | None = None) -> PersonMessage | None:
    now = now or timezone.now()
    message = _claim(pk, now)
    if message is None:
        return None
    appointment = (
        Appointment.objects.filter(pk=message.appointment_id).first()
        if message.appointment_id is not None
        else None
    )
    if (
        appointment is None
        or appointment.attendance != Appointment.Attendance.BOOKED
        or appointment.starts_at != message.for_starts_at
    ):
        return _finish(message, MessageStatus.CANCELLED, now, last_error="appointment changed")
    if now >= appointment.starts_at:
        return _finish(message, MessageStatus.CANCELLED, now, last_error="too late: started")
    referral = Referral.objects.get(pk=message.referral_id)
    reach = reach_for(referral)
    if reach.channel != message.channel or reach.channel == Channel.NONE:
        return _finish(message, MessageStatus.NOT_SENT_NO_CONSENT, now, last_error="no consent")
    values = texts.personalisation(appointment, appointment.starts_at, message.language)
    message.body = texts.render(message.kind, values, message.language)
    message.to = reach.to
    if local_mode():
        return _finish(message, MessageStatus.RECORDED_LOCALLY, now)
    return _send(message, values, now)


def _send(message: PersonMessage, values: dict[str, str], now: dt.datetime) -> PersonMessage:
    from notifications_python_client.errors import HTTPError

    template = texts.template_id(message.kind, message.channel, message.language)
    if not template:
        log.warning("person message %s: no Notify template configured", message.pk)
        return _finish(
            message, MessageStatus.TECHNICAL_FAILURE, now, last_error="no template configured"
        )
    api = client()
    try:
        if message.uncertain:
            found = api.get_all_notifications(reference=message.reference)
            notifications = (found or {}).get("notifications") or []
            if notifications:
                log.info("person message %s was already accepted by Notify", message.pk)
                return _finish(
                    message, MessageStatus.SENT, now, notify_id=str(notifications[0].get("id", ""))
                )
        if message.channel == Channel.SMS:
            response = api.send_sms_notification(
                phone_number=message.to,
                template_id=template,
                personalisation=values,
                reference=message.reference,
            )
        else:
            response = api.send_email_notification(
                email_address=message.to,
                template_id=template,
                personalisation=values,
                reference=message.reference,
            )
    except HTTPError as error:
        code = error.status_code
        if code >= 500 or code == 429:
            return _retry(message, now, f"Notify {code}")
        log.warning("person message %s refused by Notify (%s)", message.pk, code)
        return _finish(
            message, MessageStatus.PERMANENT_FAILURE, now, last_error=f"Notify refused: {code}"
        )
    except Exception as error:  # an unknown outcome: looked up before any resend
        return _retry(message, now, type(error).__name__)
    return _finish(message, MessageStatus.SENT, now, notify_id=str(response.get("id", "")))


def _retry(message: PersonMessage, now: dt.datetime, reason: str) -> PersonMessage:
    # Notify may have accepted it: the next attempt looks it up first.
    message.uncertain = True
    log.warning("person message %s attempt %s failed: %s", message.pk, message.attempts, reason)
    if message.attempts >= MAX_ATTEMPTS:
        return _finish(
            message,
            MessageStatus.TECHNICAL_FAILURE,
            now,
            last_error=f"gave up after {message.attempts} attempts ({reason})"[:200],
        )
    wait = BACKOFF[min(message.attempts - 1, len(BACKOFF) - 1)]
    message.status = MessageStatus.SCHEDULED
    message.due_at = now + wait
    message.last_error = reason[:200]
    message.save()
    return message
