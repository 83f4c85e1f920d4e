"""Which searches the figures cover: the filters a user chose, and the rows they may count.

Inspectors count the searches of their area and see them exact; the OPCC analyst,
operations lead and panel members count every search of the force, suppressed. Both read
through ``restrict(..., "aggregate")``: the policy (``policies``) decides the rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from pontio.accounts.models import User
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.referrals.models import Referral
from pontio.stopsearch import denominators
from pontio.stopsearch.models import HOME_FORCE, Source, StopSearch

# The denominators are Dyfed-Powys's, so only Dyfed-Powys searches are analysed (imported
# files of other forces are kept but left out here).
FORCE = HOME_FORCE


class SourceChoice:
    BOTH = "both"
    PONTIO = str(Source.PONTIO)
    POLICE_UK = str(Source.POLICE_UK)

    @staticmethod
    def choices() -> list[tuple[str, Any]]:
        return [
            (SourceChoice.BOTH, gettext_lazy("Both")),
            (SourceChoice.PONTIO, gettext_lazy("Recorded in Pontio")),
            (SourceChoice.POLICE_UK, gettext_lazy("Imported from police.uk")),
        ]


# --- filters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the user chose: months, codes and the source, never personal data."""

    month_from: dt.date | None = None
    month_to: dt.date | None = None
    county: str = ""  # ONS code
    source: str = SourceChoice.BOTH
    power: str = ""
    object: str = ""

    @property
    def last_day(self) -> dt.date | None:
        if self.month_to is None:
            return None
        days = calendar.monthrange(self.month_to.year, self.month_to.month)[1]
        return self.month_to.replace(day=days)

    def describe(self) -> str:
        """For audit reasons: which filters (codes and months only)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("from", self.month_from.strftime("%Y-%m") if self.month_from else ""),
                ("to", self.month_to.strftime("%Y-%m") if self.month_to else ""),
                ("county", self.county),
                ("source", self.source),
                ("power", self.power),
                ("object", self.object),
            )
            if value
        ]
        return "filters: " + ", ".join(parts)


def apply_filters(queryset: QuerySet[StopSearch], filters: Filters) -> QuerySet[StopSearch]:
    queryset = queryset.filter(force=FORCE)
    if filters.month_from:
        queryset = queryset.filter(month__gte=filters.month_from)
    if filters.month_to:
        queryset = queryset.filter(month__lte=filters.month_to)
    if filters.county:
        queryset = queryset.filter(county__ons_code=filters.county)
    if filters.source in (SourceChoice.PONTIO, SourceChoice.POLICE_UK):
        queryset = queryset.filter(source=filters.source)
    if filters.power:
        queryset = queryset.filter(legislation=filters.power)
    if filters.object:
        queryset = queryset.filter(object_of_search=filters.object)
    return queryset


ROW_FIELDS = (
    "county__ons_code",
    "month",
    "legislation",
    "object_of_search",
    "officer_defined_ethnicity",
    "original_outcome",
    "current_outcome",
    "current_linked",
    "found",
)


def search_rows(queryset: QuerySet[StopSearch]) -> list[dict[str, Any]]:
    """The fields the figures need, one query: one row per distinct combination of them,
    with ``n``, the number of searches that have it.

    The figures are defined once, in Python, over such rows (``weight``); the database
    does the counting, so a force's five years (tens of thousands of searches) come back
    as a few thousand rows rather than all of them.
    """
    return list(queryset.order_by().values(*ROW_FIELDS).annotate(n=Count("pk")))


def weight(row: Mapping[str, Any]) -> int:
    """How many searches a row of ``search_rows`` stands for (1 for a plain row)."""
    return int(row.get("n", 1))


def sees_exact(user: User) -> bool:
    """People who may open the searches behind the figures (inspectors) see exact counts."""
    return has_permission(user, "stopsearch.view")


def rows_for(user: User) -> QuerySet[StopSearch]:
    """The searches a user's figures cover (the caller checks ``stopsearch.analyse``):
    inspectors their area's, aggregate viewers every search of the force (``policies``)."""
    return restrict(StopSearch.objects.all(), user, "aggregate")


def referrals_for(user: User) -> QuerySet[Referral]:
    """The referrals counted beside the searches: those an inspector may view in their area;
    for aggregate viewers those the referral policy lets them count."""
    if not sees_exact(user):
        return restrict(Referral.objects.all(), user, "aggregate")
    queryset = restrict(Referral.objects.all(), user, "view")
    if not user.force_wide:
        queryset = queryset.filter(county_id__in=user.county_ids)
    return queryset


def area_codes(user: User, filters: Filters) -> list[str] | None:
    """The local authorities whose population is the denominator (None: the force)."""
    if filters.county:
        return [filters.county]
    if sees_exact(user) and not user.force_wide:
        return sorted(
            County.objects.filter(pk__in=user.county_ids).values_list("ons_code", flat=True)
        )
    return None


def area_county_codes(user: User, filters: Filters) -> list[str]:
    codes = area_codes(user, filters)
    return list(denominators.COUNTY_CODES) if codes is None else codes


def county_labels() -> dict[str, str]:
    """ONS code -> name in the active language, in the counties' own order."""
    return {county.ons_code: county.label for county in County.objects.all()}
