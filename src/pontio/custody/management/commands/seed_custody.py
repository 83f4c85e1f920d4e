"""Load demo custody records (PONTIO_ENV=demo or test only). Safe to run again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pontio.custody.demo import seed_custody


class Command(BaseCommand):
    help = (
        "Create six months of demo custody records at the Dyfed-Powys suites, with tests, "
        "required assessments, attendance and failure-to-attend decisions (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=320)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = seed_custody(count=options["count"])
        self.stdout.write(
            f"Custody: {result.created} records created, {result.skipped} skipped; "
            f"{result.tested} samples, {result.assessments} required assessments, "
            f"{result.failures} failures; {result.refused} steps refused by a rule "
            f"({time.monotonic() - started:.1f} s)."
        )
        for what, number in result.walk:
            self.stdout.write(f"  {what}: {number}")
