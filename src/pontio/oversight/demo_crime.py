"""Demonstration police.uk crime counts for Dyfed-Powys: every month from January 2016 to
last month, in each county, for each police.uk crime type.

Invented but plausible: each type's monthly force-wide level is of the order police.uk
shows for Dyfed-Powys (anti-social behaviour and violence the largest, robbery a handful),
shared between the counties by population, with a seasonal swing (more anti-social
behaviour and violence in summer), a slow trend (violence and shoplifting rising, burglary
and anti-social behaviour falling), and for drugs the spikes of proactive operations. The
numbers come from a seeded generator, so every run gives the same counts: seeding again adds
only the months that are missing (idempotent).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction

from pontio.core.models import County
from pontio.oversight.models import CrimeCount

FORCE = "Dyfed-Powys Police"
SOURCE_FILE = "demo"
FIRST_MONTH = dt.date(2016, 1, 1)
# Share of the force's residents (Census 2011).
SHARES = {"W06000010": 0.357, "W06000008": 0.146, "W06000009": 0.237, "W06000023": 0.260}
# Crime type: (force-wide crimes a month in 2016, yearly trend, summer swing).
LEVELS: dict[str, tuple[float, float, float]] = {
    "Anti-social behaviour": (820, -0.04, 0.25),
    "Violence and sexual offences": (980, 0.05, 0.10),
    "Criminal damage and arson": (260, -0.01, 0.08),
    "Public order": (150, 0.06, 0.10),
    "Other theft": (170, -0.02, 0.06),
    "Shoplifting": (120, 0.04, 0.0),
    "Burglary": (95, -0.05, 0.0),
    "Vehicle crime": (55, -0.02, 0.0),
    "Drugs": (105, 0.01, 0.05),
    "Other crime": (45, 0.03, 0.0),
    "Possession of weapons": (14, 0.04, 0.0),
    "Bicycle theft": (11, -0.02, 0.30),
    "Theft from the person": (7, -0.01, 0.0),
    "Robbery": (5, 0.0, 0.0),
}


def months_until(last: dt.date) -> list[dt.date]:
    months = []
    month = FIRST_MONTH
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def expected(crime_type: str, month: dt.date) -> float:
    level, trend, swing = LEVELS[crime_type]
    years = (month.year - FIRST_MONTH.year) + (month.month - 1) / 12
    # Highest in July, lowest in January.
    season = 1 + swing * math.cos(2 * math.pi * (month.month - 7) / 12)
    return level * (1 + trend) ** years * season


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (normal approximation above 30, Knuth's method below)."""
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@transaction.atomic
def seed_crime(*, today: dt.date) -> int:
    """Add the demonstration counts up to last month; returns how many were added."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    counties = {c.ons_code: c for c in County.objects.filter(ons_code__in=SHARES)}
    # Any count already held for a cell (seeded, or imported from a real file) stays.
    existing = set(
        CrimeCount.objects.filter(force=FORCE).values_list("month", "area_name", "crime_type")
    )
    rows = []
    for month in months_until(last.replace(day=1)):
        # One generator per month: a month's counts do not depend on when seeding ran.
        rng = random.Random(f"pontio-demo-crime-{month:%Y-%m}")  # noqa: S311 - not security
        operation = rng.random() < 0.12  # a month with a drugs operation
        for crime_type in LEVELS:
            for code, share in SHARES.items():
                mean = expected(crime_type, month) * share
                if crime_type == "Drugs" and operation:
                    mean *= 1.6
                count = _poisson(rng, mean)
                county = counties.get(code)
                if county is None:
                    continue
                key = (month, county.label_en, crime_type)
                if key in existing:
                    continue
                rows.append(
                    CrimeCount(
                        month=month,
                        force=FORCE,
                        county=county,
                        area_name=county.label_en,
                        crime_type=crime_type,
                        count=count,
                        source_file=SOURCE_FILE,
                    )
                )
    CrimeCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
