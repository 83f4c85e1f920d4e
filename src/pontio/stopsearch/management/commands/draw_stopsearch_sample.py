"""Draw the monthly stop and search audit sample of every county (idempotent).

Run from cron on the 1st of each month (docs/operations.md). Without ``--month`` it draws
last month's sample; a month already drawn is reported, never redrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pontio.audit.services import AuditContext
from pontio.stopsearch import sampling


def parse_month(value: str) -> dt.date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise CommandError(f"--month must be YYYY-MM, not {value!r}") from None


class Command(BaseCommand):
    help = "Draw the monthly audit sample of stop and search records for every county."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--rate", type=int, help="sample rate in percent (default: setting)")
        parser.add_argument("--seed", type=int, help="random seed (default: from month and county)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = (
            parse_month(options["month"])
            if options["month"]
            else sampling.previous_month(timezone.localdate())
        )
        try:
            results = sampling.draw_month(
                month,
                context=AuditContext.system("draw_stopsearch_sample"),
                rate_percent=options["rate"],
                seed=options["seed"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for sample, created in results:
            state = "drawn" if created else "already drawn"
            reviews = sample.reviews.count()
            self.stdout.write(
                f"{sample.month:%Y-%m} {sample.county.ons_code}: {state}; "
                f"rate {sample.rate_percent}%, seed {sample.seed}, "
                f"population {sample.population}, reviews {reviews}"
            )
