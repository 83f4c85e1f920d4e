"""A partner token and webhook history for the demo (through ``seed_demo``). Safe to run
again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pontio.webhooks.demo import seed_interop


class Command(BaseCommand):
    help = "Issue the demo partner token of DDAS's case system and its webhook history."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_interop()
        if result.token:
            self.stdout.write(
                "Partner API token of DDAS's case system (FHIR and REST API), shown once: "
                f"{result.token}"
            )
            self.stdout.write(
                '  try: curl -H "Authorization: Bearer <token>" '
                "'http://127.0.0.1:8000/fhir/R4/Task?status=requested&_count=5'"
            )
        self.stdout.write(f"Webhooks: {result.deliveries} deliveries in the demo's log.")
