"""Load six months of demo device examinations (PONTIO_ENV=demo or test only). Safe to run
again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from pontio.examinations.demo import seed_examinations


class Command(BaseCommand):
    help = (
        "Create six months of demo device examination requests, taken and resulted by the "
        "central unit and (from three months ago) local investigators (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = seed_examinations()
        self.stdout.write(
            f"Examinations: {result.created} requests created, {result.skipped} skipped; "
            f"{result.completed} with a result, {result.open} open; {result.refused} refused "
            f"by a rule ({time.monotonic() - started:.1f} s)."
        )
