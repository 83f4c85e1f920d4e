"""Delete referral drafts not changed for 30 days (idempotent; run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pontio.audit.services import AuditContext
from pontio.referrals.services.drafts import DRAFT_DAYS, delete_old_drafts


class Command(BaseCommand):
    help = f"Delete referral drafts not changed for {DRAFT_DAYS} days."

    def handle(self, *args: Any, **options: Any) -> None:
        count = delete_old_drafts(context=AuditContext.system("delete_old_drafts"))
        self.stdout.write(f"Deleted {count} old referral draft(s).")
