"""police.uk drug crimes by month and county, as the dashboards' tiles and the drug market
picture read them (one module: no page imports a dashboard module)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from pontio.core.request_cache import cached
from pontio.core.scopes import restrict
from pontio.core.tiles import TileQuery
from pontio.oversight.models import CrimeCount

DRUGS = "Drugs"


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def drug_counts(user: Any, query: TileQuery) -> tuple[set[dt.date], dict[tuple[dt.date, int], int]]:
    """The months held (any crime type: a month imported with no drug crime is a zero) and
    the drug crimes by month and county (two queries, once per request)."""

    def compute() -> tuple[set[dt.date], dict[tuple[dt.date, int], int]]:
        rows = restrict(CrimeCount.objects.all(), user, "aggregate").filter(
            month__gte=query.month_from, month__lte=query.month_to, county__isnull=False
        )
        held = set(rows.order_by().values_list("month", flat=True).distinct())
        counts: dict[tuple[dt.date, int], int] = defaultdict(int)
        for month, county_id, count in (
            rows.filter(crime_type=DRUGS).order_by().values_list("month", "county_id", "count")
        ):
            counts[(month, county_id)] += count
        return held, counts

    key = ("tiles.crime", user.pk, query.month_from, query.month_to)
    return cached(key, compute)
