"""Background work of reminders: messages to referred people (GOV.UK Notify).

``send_due_reminders`` is the periodic task (queued every minute by cron through
``manage.py send_due_reminders``); ``send_messages`` sends the confirmations due at once
after a booking is committed. Both only send rows still due (``sending.send_one`` claims
each row), so running them twice sends nothing twice.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from pontio.reminders import sending


@task()
def send_due_reminders() -> int:
    return sending.send_due(timezone.now())


@task()
def send_messages(message_ids: list[int]) -> int:
    now = timezone.now()
    return sum(1 for pk in message_ids if sending.send_one(pk, now) is not None)
