"""GOV.UK Notify's delivery callbacks: the final status of a message.

Notify posts {id, reference, to, status, created_at, completed_at, sent_at,
notification_type}. The reference names our row (``pontio-msg-<id>``); an unknown one is
ignored (logged by reference shape only: no number, no address). A final status clears the
stored address. Repeated callbacks change nothing more (idempotent); a callback never moves
a message back from a final status.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pontio.reminders.models import FINAL, MessageStatus, PersonMessage

log = logging.getLogger(__name__)
PREFIX = "pontio-msg-"
STATUSES = {
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}


def _message_id(reference: Any) -> int | None:
    if not isinstance(reference, str) or not reference.startswith(PREFIX):
        return None
    rest = reference[len(PREFIX) :]
    return int(rest) if rest.isdigit() and len(rest) < 19 else None


def _when(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


@transaction.atomic
def receive(payload: dict[str, Any]) -> str:
    pk = _message_id(payload.get("reference"))
    message = (
        PersonMessage.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    )
    if message is None:
        log.info("Notify callback for an unknown reference ignored")
        return "ignored"
    status = STATUSES.get(str(payload.get("status", "")))
    if status is None:
        return "ignored"  # "sending", "pending", "created": not final yet
    if message.status in FINAL:
        return "unchanged"
    message.status = status
    message.to = ""
    notify_id = payload.get("id")
    if isinstance(notify_id, str) and not message.notify_id:
        message.notify_id = notify_id[:64]
    message.delivered_at = _when(payload.get("completed_at")) or timezone.now()
    message.save(update_fields=["status", "to", "notify_id", "delivered_at"])
    return "updated"
