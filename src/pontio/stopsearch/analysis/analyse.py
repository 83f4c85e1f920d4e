"""The whole analysis for one user and one set of filters (a few queries)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.stopsearch import denominators
from pontio.stopsearch.analysis.counties import CountyLine, county_referrals, stop_search_referrals
from pontio.stopsearch.analysis.disproportionality import Disproportionality, disproportionality
from pontio.stopsearch.analysis.figures import (
    BREAKDOWNS,
    Figures,
    Group,
    OutcomeLine,
    breakdown,
    figures,
    labels_for,
    outcome_mix,
)
from pontio.stopsearch.analysis.query import (
    Filters,
    apply_filters,
    area_codes,
    area_county_codes,
    county_labels,
    referrals_for,
    rows_for,
    search_rows,
    sees_exact,
)
from pontio.stopsearch.analysis.suppression import hidden_cells
from pontio.stopsearch.analysis.trend import TrendLine, drugs_trend
from pontio.stopsearch.models import StreetCrime


@dataclass(frozen=True)
class Analysis:
    filters: Filters
    suppress: bool
    summary: Figures
    groups: dict[str, list[Group]]
    outcomes: list[OutcomeLine]
    disproportionality: Disproportionality
    counties: list[CountyLine]
    trend: list[TrendLine] | None  # None: the user may not read street crime
    # Cells hidden so that no small count can be worked out (``suppression``).
    hidden: frozenset[Any] = field(default_factory=frozenset)


def analyse(user: User, filters: Filters) -> Analysis:
    """Every table of the analysis page for this user and these filters."""
    rows = search_rows(apply_filters(rows_for(user), filters))
    counties = county_labels()
    population = denominators.population(area_codes(user, filters))
    referral_counts = stop_search_referrals(referrals_for(user), filters)
    street = restrict(StreetCrime.objects.all(), user, "view")
    trend = None if street.query.is_empty() else drugs_trend(street, filters)
    result = Analysis(
        filters=filters,
        suppress=not sees_exact(user),
        summary=figures(rows),
        groups={by: breakdown(rows, by, labels_for(by, counties)) for by in BREAKDOWNS},
        outcomes=outcome_mix(rows),
        disproportionality=disproportionality(rows, population),
        counties=county_referrals(
            rows, referral_counts, counties, area_county_codes(user, filters)
        ),
        trend=trend,
    )
    return replace(result, hidden=hidden_cells(result))
