"""Load the demo oversight data (PONTIO_ENV=demo or test only). Safe to run again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pontio.oversight.demo import seed_tracker
from pontio.oversight.demo_crime import seed_crime
from pontio.oversight.demo_facts import seed_facts
from pontio.oversight.models import CommissioningAward, ProviderReturn


class Command(BaseCommand):
    help = (
        "Create the 2019 deep dive with its nine recommendations and positions, an inspection "
        "and a death review, the boards, commissioning awards, providers' quarterly returns "
        "and police.uk-style crime counts (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        today = timezone.localdate()
        made = seed_tracker(today)
        seed_facts(today=today)
        crime = seed_crime(today=today)
        self.stdout.write(
            f"Oversight: {made['reviews']} reviews, {made['recommendations']} recommendations, "
            f"{made['positions']} positions; {CommissioningAward.objects.count()} "
            f"commissioning awards, {ProviderReturn.objects.count()} quarterly returns; "
            f"{crime} police.uk crime counts ({time.monotonic() - started:.1f} s)."
        )
