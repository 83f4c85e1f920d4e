"""Load demo stop and search records (PONTIO_ENV=demo or test only). Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pontio.stopsearch.demo import seed_stopsearch


class Command(BaseCommand):
    help = (
        "Create four months of demo stop and search records by the demo police, with their "
        "audit samples and reviews (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=300)

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_stopsearch(count=options["count"])
        self.stdout.write(
            f"Stop and search: {result.created} created ({result.updated} with a later "
            f"outcome), {result.skipped} skipped; {result.samples} samples drawn, "
            f"{result.reviews} reviews completed."
        )
