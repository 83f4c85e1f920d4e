"""Remind owners of recommendation positions falling due (daily, from cron or the worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pontio.oversight.services.reminders import remind_due


class Command(BaseCommand):
    help = "Queue one reminder per recommendation whose next position falls due soon."

    def handle(self, *args: Any, **options: Any) -> None:
        count = remind_due(timezone.localdate())
        self.stdout.write(f"Reminded the owners of {count} recommendations.")
