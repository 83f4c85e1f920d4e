"""Run the demo's first de-duplication, as the weekly schedule would (PONTIO_ENV=demo or test
only), so the review queue holds the near-duplicates the demo seeds. Safe to run again: it
does nothing once a run has finished."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand

from pontio.audit.services import AuditContext
from pontio.people.models import DeduplicationRun
from pontio.people.services.linkage import run_deduplication, start_deduplication


class Command(BaseCommand):
    help = "Find the possible duplicates among the demo people (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PONTIO_ENV not in {"demo", "test"}:
            raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")
        if DeduplicationRun.objects.filter(status=DeduplicationRun.Status.FINISHED).exists():
            self.stdout.write("Duplicates: already looked for.")
            return
        run = start_deduplication(context=AuditContext.system("seed_duplicates"), actor=None)
        run = run_deduplication(run.pk)
        self.stdout.write(
            f"Duplicates: {run.clusters} groups to review among {run.records} people."
        )
