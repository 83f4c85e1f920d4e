"""Background work of webhooks: each delivery is sent by the task worker, never inside a
request; the retries are swept by ``manage.py send_due_webhooks`` (cron, every minute)."""

from __future__ import annotations

from django_tasks import task

from pontio.webhooks.sending import delivery_send


@task()
def deliver_webhook(delivery_id: int) -> str:
    return delivery_send(delivery_id)
