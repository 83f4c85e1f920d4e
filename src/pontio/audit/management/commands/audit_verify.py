"""Verify the audit log's hash chain; exit non-zero and name the first broken link if any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pontio.audit.chain import verify_chain
from pontio.audit.tasks import verification_summary


class Command(BaseCommand):
    help = "Verify the audit log hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        summary = verification_summary(report)
        if not report.intact:
            raise CommandError(f"Audit log {summary}")
        self.stdout.write(self.style.SUCCESS(f"Audit log {summary}"))
