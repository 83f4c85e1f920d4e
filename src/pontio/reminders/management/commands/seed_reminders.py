"""Give the demo's appointments their confirmations and reminders (PONTIO_ENV=demo or test
only, through ``seed_demo``). Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pontio.reminders.demo import seed_reminders


class Command(BaseCommand):
    help = (
        "Record the appointment confirmations and reminders of the demo's appointments, as "
        "local mode would have (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_reminders()
        self.stdout.write(
            f"Reminders: {result.past} past appointments, {result.upcoming} upcoming; "
            f"{result.recorded} messages recorded now."
        )
