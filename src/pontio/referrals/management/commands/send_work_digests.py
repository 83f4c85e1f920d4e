"""Queue the daily link-only emails of work coming due (once per working day; run from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pontio.referrals.services.due import send_work_digests


class Command(BaseCommand):
    help = "Email each opted-in user with work coming due a link to their list (once a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = len(send_work_digests(timezone.localdate()))
        self.stdout.write(f"Queued {count} work digest email(s).")
