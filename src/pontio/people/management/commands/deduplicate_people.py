"""De-duplicate the whole people table into the review queue (run weekly from cron, after
``estimate_match_model``). Refused while another run is in progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pontio.audit.services import AuditContext
from pontio.people.services.linkage import run_deduplication, start_deduplication


class Command(BaseCommand):
    help = "Find groups of person records that are probably one person, for review."

    def handle(self, *args: Any, **options: Any) -> None:
        context = AuditContext.system("deduplicate_people")
        try:
            run = start_deduplication(context=context, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run = run_deduplication(run.pk)
        self.stdout.write(
            f"Run {run.pk}: {run.records} records, {run.pairs} pairs compared, "
            f"{run.clusters} groups to review, in {run.seconds} s."
        )
