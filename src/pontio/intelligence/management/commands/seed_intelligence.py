"""Load demo drug intelligence (PONTIO_ENV=demo or test only). Safe to run again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pontio.intelligence.demo import seed_intelligence


class Command(BaseCommand):
    help = (
        "Create six months of demo intelligence reports (public, officer and partner), graded, "
        "sanitised and some actioned, with approved 'you said, we did' lines (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = seed_intelligence(count=options["count"])
        if result.skipped:
            self.stdout.write("Intelligence: demo reports already there; nothing made.")
            return
        self.stdout.write(
            f"Intelligence: {result.created} reports, {result.graded} graded "
            f"({result.legacy} legacy 5x5x5), {result.actioned} actioned, {result.summaries} "
            f"'you said, we did' lines approved ({time.monotonic() - started:.1f} s)."
        )
