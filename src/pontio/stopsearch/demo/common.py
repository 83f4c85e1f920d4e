"""What the demo's parts share: the demo key and the clock (records made in the past)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

SEED = 5
# Each demo search's idempotency key: ``KEY`` and its number.
KEY = "demo-stopsearch-"


def travel(moment: dt.datetime) -> Any:
    """Make ``timezone.now()`` the given moment (for the service call inside)."""
    return time_machine.travel(moment, tick=False)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
