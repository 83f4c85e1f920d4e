"""The "Drugs" street crime trend: published police.uk open data, never suppressed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from pontio.stopsearch.analysis.query import Filters
from pontio.stopsearch.models import StreetCrime

DRUGS = "Drugs"


@dataclass(frozen=True)
class TrendLine:
    month: dt.date
    falls_within: str
    crimes: int


def drugs_trend(queryset: QuerySet[StreetCrime], filters: Filters) -> list[TrendLine]:
    """Monthly counts of police.uk street crimes of type "Drugs", by force (one query)."""
    queryset = queryset.filter(crime_type=DRUGS)
    if filters.month_from:
        queryset = queryset.filter(month__gte=filters.month_from)
    if filters.month_to:
        queryset = queryset.filter(month__lte=filters.month_to)
    grouped = (
        queryset.order_by()
        .values("month", "falls_within")
        .annotate(crimes=Count("pk"))
        .order_by("month", "falls_within")
    )
    return [TrendLine(row["month"], row["falls_within"], row["crimes"]) for row in grouped]
