"""The sizes the generator builds and the fixed period the data covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Data runs up to this day, never to "now": the same seed gives the same rows on any day.
REFERENCE_DATE = dt.date(2026, 11, 30)
YEARS = 5
FIRST_DAY = dt.date(REFERENCE_DATE.year - YEARS, REFERENCE_DATE.month + 1, 1)


@dataclass(frozen=True)
class Size:
    name: str
    national: bool  # every force of England and Wales, or Dyfed-Powys only
    people: int
    searches: int
    custody: int
    referrals: int


SIZES = {
    "tiny": Size("tiny", False, 500, 500, 500, 200),
    # One force of 43: about 1/43 of the national volumes.
    "force": Size("force", False, 50_000, 60_000, 80_000, 12_000),
    "full": Size("full", True, 2_000_000, 2_500_000, 3_500_000, 500_000),
    # Every force at a small size: proves the national reference data quickly.
    "nation-tiny": Size("nation-tiny", True, 4_000, 4_000, 4_000, 1_500),
}
