"""Load demo referrals (PONTIO_ENV=demo or test only). Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pontio.referrals.demo import seed_referrals


class Command(BaseCommand):
    help = "Create six months of demo referrals worked by the demo providers (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=140)

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_referrals(count=options["count"])
        self.stdout.write(f"Referrals: {result.created} created, {result.skipped} skipped.")
        for journeys, reference, address in result.journeys:
            self.stdout.write(f"  journeys {journeys}: referral {reference} at {address}")
