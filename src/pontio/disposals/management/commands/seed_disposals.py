"""Load demo disposals and diversion contracts (PONTIO_ENV=demo or test only). Safe to run
again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pontio.disposals.demo import seed_disposals


class Command(BaseCommand):
    help = (
        "Create a year of demo out-of-court disposals with their conditions, diversion "
        "contracts with needs scores, and the scrutiny panel's last quarterly sample "
        "(idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=320)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = seed_disposals(count=options["count"])
        if result.missing:
            self.stdout.write(
                "Disposals: nothing seeded; services not there yet: " + ", ".join(result.missing)
            )
            return
        self.stdout.write(
            f"Disposals: {result.created} decisions created, {result.skipped} skipped; "
            f"{result.awaiting} awaiting authorisation, {result.completed} completed, "
            f"{result.breached} breached; {result.contracts} diversion contracts; "
            f"{result.sampled} sampled for the panel; {result.refused} steps refused by a "
            f"rule ({time.monotonic() - started:.1f} s)."
        )
