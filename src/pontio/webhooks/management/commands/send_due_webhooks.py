"""Send the webhook deliveries that are due: new ones the worker missed, and retries
(idempotent; run every minute from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pontio.webhooks.sending import send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (first attempts and retries)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due()
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "none due"
        self.stdout.write(f"Webhook deliveries: {summary}.")
