"""Background work of oversight: the reminders of positions falling due (daily, idempotent)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from pontio.oversight.services.reminders import remind_due


@task()
def remind_position_updates() -> int:
    return remind_due(timezone.localdate())
