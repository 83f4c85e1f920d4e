"""Draw the scrutiny panel's sample of out-of-court disposals for a quarter (idempotent).

Run from cron daily or on the first days of each quarter (docs/operations.md). Without
``--quarter`` it draws the sample of the quarter last ended; a quarter already drawn is
reported, never redrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pontio.audit.services import AuditContext
from pontio.disposals import panel
from pontio.disposals.tasks import draw_quarter


def parse_quarter(value: str) -> dt.date:
    try:
        return panel.quarter_start(dt.date.fromisoformat(value))
    except ValueError:
        raise CommandError(f"--quarter must be a date YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Draw the scrutiny panel's quarterly sample of out-of-court disposals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quarter", help="YYYY-MM-DD, any day of the quarter (default: the last ended)"
        )
        parser.add_argument("--seed", type=int, help="random seed (default: from the quarter)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        quarter = (
            parse_quarter(options["quarter"])
            if options["quarter"]
            else panel.previous_quarter(today)
        )
        try:
            sample, created = draw_quarter(
                quarter,
                context=AuditContext.system("draw_disposal_sample"),
                seed=options["seed"],
                today=today,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        state = "drawn" if created else "already drawn"
        self.stdout.write(
            f"{panel.quarter_label(sample.quarter)}: {state}; rate {sample.rate_percent}%, "
            f"seed {sample.seed}, population {sample.population}, "
            f"reviews {sample.reviews.count()}"
        )
