"""Build the dashboards' opening view ahead of the request (every 10 minutes; D79)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from pontio.oversight.figures_warm import warm_dashboards, warm_facts


class Command(BaseCommand):
    help = "Build the opening views of the dashboards and the facts for every active user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Build even into a per-process cache (only useful to time the build).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today, now = timezone.localdate(), timezone.now()
        for what, warm in (("dashboard tiles", warm_dashboards), ("facts", warm_facts)):
            warmed = warm(today=today, now=now, force=options["force"])
            if warmed.skipped:
                self.stdout.write(f"No {what} built: {warmed.skipped} (set PONTIO_REDIS_URL).")
                continue
            self.stdout.write(
                f"Built {warmed.tiles} {what} for {warmed.users} users in {warmed.seconds:.1f} s."
            )
