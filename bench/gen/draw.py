"""Weighted draws and dates, all from one seeded ``random.Random``."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

from bench.gen.sizes import FIRST_DAY, REFERENCE_DATE

T = TypeVar("T")
UTC = dt.UTC
PERIOD_DAYS = (REFERENCE_DATE - FIRST_DAY).days + 1


class Picker(Generic[T]):
    """Draw one of ``values`` with the given weights (bisect on the cumulative weights)."""

    def __init__(self, values: Sequence[T], weights: Sequence[float]) -> None:
        self.values = list(values)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


def moment_in(rng: random.Random, day: dt.date, night_bias: bool = True) -> dt.datetime:
    # Searches and arrests peak in the evening: draw the hour from a skewed clock.
    hour = int((rng.random() ** 0.6) * 24) if night_bias else rng.randint(8, 17)
    hour = (hour + 8) % 24 if night_bias else hour
    return dt.datetime(
        day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=UTC
    )


def month_weights() -> tuple[list[dt.date], list[float]]:
    """The months of the period and a seasonal weight each (summer and late-year peaks)."""
    months = []
    day = FIRST_DAY
    while day <= REFERENCE_DATE:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    seasonal = {1: 0.92, 2: 0.9, 3: 1.0, 4: 0.98, 5: 1.03, 6: 1.05, 7: 1.08, 8: 1.06}
    seasonal.update({9: 1.0, 10: 1.02, 11: 1.0, 12: 0.96})
    weights = [seasonal[m.month] * (1 + 0.03 * i / 12) for i, m in enumerate(months)]
    return months, weights


MONTHS, MONTH_WEIGHTS = month_weights()
MONTH = Picker(MONTHS, MONTH_WEIGHTS)


def day_in_period(rng: random.Random) -> dt.date:
    """A day in the period, with the monthly volumes of ``month_weights``."""
    month = MONTH(rng)
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return month + dt.timedelta(days=rng.randrange(min(last, REFERENCE_DATE).day))
