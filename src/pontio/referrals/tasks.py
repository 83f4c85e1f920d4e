"""Background work of referrals: link-only emails about referrals (GOV.UK Notify)."""

from __future__ import annotations

from django_tasks import task

from pontio.core.models import Notification
from pontio.core.notify import notification_send


@task()
def send_notifications(notification_ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids):
        notification_send(notification)
        sent += 1
    return sent
