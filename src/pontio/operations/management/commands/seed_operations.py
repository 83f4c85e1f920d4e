"""Load the demo drug-disruption operations (PONTIO_ENV=demo or test only). Safe to run
again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pontio.operations.demo import seed_operations


class Command(BaseCommand):
    help = (
        "Create two demo drug-disruption operations: one closed with results, linked "
        "referrals and evaluations; one covert with a forecast shared with the providers "
        "(idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_operations()
        self.stdout.write(
            f"Operations: {result.created} created, {result.skipped} skipped; "
            f"{result.linked} referrals linked."
        )
