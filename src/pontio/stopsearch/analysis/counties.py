"""Searches per 1,000 residents of each county, beside the referrals from stop and search."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from pontio.referrals.models import Pathway, Referral
from pontio.stopsearch import denominators
from pontio.stopsearch.analysis.query import Filters, weight


@dataclass(frozen=True)
class CountyLine:
    code: str
    label: str
    searches: int
    population: int
    per_thousand: float | None
    referrals: int


def county_referrals(
    rows: Iterable[Mapping[str, Any]],
    referrals: Mapping[str, int],
    labels: Mapping[str, str],
    codes: Iterable[str] = denominators.COUNTY_CODES,
) -> list[CountyLine]:
    """Per county: searches per 1,000 residents beside the stop and search referrals."""
    searches: Counter[str] = Counter()
    for row in rows:
        searches[row["county__ons_code"] or ""] += weight(row)
    lines = []
    for code in codes:
        residents = denominators.population([code]).total
        lines.append(
            CountyLine(
                code=code,
                label=labels.get(code, code),
                searches=searches[code],
                population=residents,
                per_thousand=1000 * searches[code] / residents if residents else None,
                referrals=referrals.get(code, 0),
            )
        )
    return lines


def stop_search_referrals(queryset: QuerySet[Referral], filters: Filters) -> dict[str, int]:
    """Referrals from stop and search sent in the period, by county ONS code (one query)."""
    queryset = queryset.filter(pathway=Pathway.STOP_SEARCH)
    if filters.month_from:
        queryset = queryset.filter(sent_on__gte=filters.month_from)
    if filters.last_day:
        queryset = queryset.filter(sent_on__lte=filters.last_day)
    if filters.county:
        queryset = queryset.filter(county__ons_code=filters.county)
    return {
        row["county__ons_code"]: row["count"]
        for row in queryset.order_by().values("county__ons_code").annotate(count=Count("pk"))
    }
