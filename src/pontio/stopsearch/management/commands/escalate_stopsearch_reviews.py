"""Escalate stop and search reviews that are past their due date (idempotent; run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pontio.audit.services import AuditContext
from pontio.stopsearch.services import escalate_overdue


class Command(BaseCommand):
    help = "Mark overdue stop and search reviews as escalated."

    def handle(self, *args: Any, **options: Any) -> None:
        count = escalate_overdue(
            timezone.localdate(), context=AuditContext.system("escalate_stopsearch_reviews")
        )
        self.stdout.write(f"Escalated {count} overdue review(s).")
