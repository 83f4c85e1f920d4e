"""GOV.UK Notify: emails that carry a link into Pontio and nothing personal.

Template ids are configured per language (NOTIFY_TEMPLATE_<NAME>_<EN|CY>), because Notify
keeps one template per language; the only personalisation sent is ``link``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.utils import timezone

from pontio.core.models import Notification

log = logging.getLogger(__name__)

TEMPLATES = (
    "account_invitation",
    "password_reset",
    "referral_received",
    "referral_update",
    "referral_transfer",
    "referral_amended",
    "referral_allocated",
    "work_due_digest",
    "referral_note",
    "referral_concern",
    "recommendation_update_due",
)


def template_id(template: str, language: str) -> str:
    return os.environ.get(f"NOTIFY_TEMPLATE_{template.upper()}_{language.upper()}", "")


def local_mode() -> bool:
    """Nothing leaves Pontio: no Notify key, or ``PONTIO_NOTIFY_MODE`` "local" (the demo,
    tests, training). Staff notices and the messages to people (reminders) obey it alike."""
    return not settings.NOTIFY_API_KEY or getattr(settings, "PONTIO_NOTIFY_MODE", "") == "local"


def client() -> Any:
    """GOV.UK Notify's official client, with the configured key."""
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(settings.NOTIFY_API_KEY)


def notification_send(notification: Notification) -> Notification:
    """Send one queued message. In local mode (no Notify key, or ``PONTIO_NOTIFY_MODE``
    "local") it is recorded locally; with a key but no template id it stays visible as not
    sent (a configuration gap, not a choice)."""
    if notification.status == Notification.Status.SENT:
        return notification
    if local_mode():
        notification.status = Notification.Status.RECORDED_LOCALLY
        notification.save(update_fields=["status"])
        log.info("notification %s recorded locally", notification.pk)
        return notification
    tid = template_id(notification.template, notification.language)
    if not tid:
        notification.status = Notification.Status.NOT_CONFIGURED
        notification.save(update_fields=["status"])
        log.info("notification %s not sent: no template configured", notification.pk)
        return notification
    try:
        response = client().send_email_notification(
            email_address=notification.email_address,
            template_id=tid,
            personalisation={"link": notification.link},
            reference=f"pontio-{notification.pk}",
        )
    except Exception:
        notification.status = Notification.Status.FAILED
        notification.save(update_fields=["status"])
        log.exception("notification %s failed", notification.pk)
        raise
    notification.status = Notification.Status.SENT
    notification.notify_id = str(response.get("id", ""))
    notification.sent_at = timezone.now()
    notification.email_address = ""
    notification.save(update_fields=["status", "notify_id", "sent_at", "email_address"])
    return notification
