"""Load fictional demo people (PONTIO_ENV=demo or test only). Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pontio.people.demo import seed_people


class Command(BaseCommand):
    help = "Create several hundred fictional people with addresses in each county (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=400)
        parser.add_argument("--duplicates", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_people(count=options["count"], duplicates=options["duplicates"])
        self.stdout.write(f"People: {result.created} created, {result.skipped} already there.")
