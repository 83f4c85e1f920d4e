"""Re-estimate the person matching model from the people table (run weekly from cron)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pontio.audit.services import AuditContext
from pontio.people.services.linkage import estimate_model


class Command(BaseCommand):
    help = "Estimate the matching model from the active people and make it current."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = estimate_model(context=AuditContext.system("estimate_match_model"), actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Matching model {model.pk} estimated from {model.records} records.")
