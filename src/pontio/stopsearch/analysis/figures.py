"""The figures over rows: searches, find and arrest rates, breakdowns, the outcome mix."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.core.figures import Rate
from pontio.stopsearch.analysis.query import weight
from pontio.stopsearch.analysis.stats import Interval, wilson
from pontio.stopsearch.vocab import (
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    is_find,
)


@dataclass(frozen=True)
class Figures:
    searches: int
    find: Rate
    arrest: Rate

    @property
    def find_interval(self) -> Interval | None:
        return wilson(self.find.numerator, self.find.denominator)

    @property
    def arrest_interval(self) -> Interval | None:
        return wilson(self.arrest.numerator, self.arrest.denominator)


def figures(rows: Iterable[Mapping[str, Any]]) -> Figures:
    """Searches, find rate and arrest rate. A find is a search that found what it was for,
    or whose current outcome is linked to the object of the search (``vocab.is_find``)."""
    searches = found = arrests = 0
    for row in rows:
        n = weight(row)
        searches += n
        found += n * is_find(row.get("found") or "", row["current_linked"])
        arrests += n * (row["current_outcome"] == Outcome.ARREST)
    return Figures(searches, Rate(found, searches), Rate(arrests, searches))


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    figures: Figures


BREAKDOWNS = {
    "county": "county__ons_code",
    "month": "month",
    "power": "legislation",
    "object": "object_of_search",
    "ethnicity": "officer_defined_ethnicity",
}


def _key(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def breakdown(rows: Sequence[Mapping[str, Any]], by: str, labels: Mapping[str, str]) -> list[Group]:
    """The figures per county, month, power, object or ethnicity, in the order of
    ``labels`` (then any other value, then "not recorded"); empty groups are left out."""
    field_name = BREAKDOWNS[by]
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[_key(row[field_name])].append(row)
    others = sorted(key for key in grouped if key and key not in labels)
    order = [key for key in labels if key in grouped] + others
    if by == "month":
        order = sorted(grouped)
        order = [key for key in order if key]
    if "" in grouped:
        order.append("")
    return [Group(key, _group_label(by, key, labels), figures(grouped[key])) for key in order]


def _group_label(by: str, key: str, labels: Mapping[str, str]) -> str:
    if not key:
        return _("County not known") if by == "county" else _("Not recorded")
    if by == "month":
        return formats.date_format(dt.date.fromisoformat(key), "F Y")
    return labels.get(key, key)


@dataclass(frozen=True)
class OutcomeLine:
    key: str
    label: str
    current: int
    original: int


def outcome_mix(rows: Iterable[Mapping[str, Any]]) -> list[OutcomeLine]:
    """Searches by current outcome and by outcome at the time (every outcome that occurs)."""
    current: Counter[str] = Counter()
    original: Counter[str] = Counter()
    for row in rows:
        current[row["current_outcome"] or ""] += weight(row)
        original[row["original_outcome"] or ""] += weight(row)
    lines = []
    for value, label in [*Outcome.choices, ("", _("Not recorded"))]:
        if current[value] or original[value]:
            lines.append(OutcomeLine(value, str(label), current[value], original[value]))
    return lines


def labels_for(by: str, counties: Mapping[str, str]) -> dict[str, str]:
    if by == "county":
        return dict(counties)
    if by == "power":
        return {str(v): str(label) for v, label in Legislation.choices}
    if by == "object":
        return {str(v): str(label) for v, label in ObjectOfSearch.choices}
    if by == "ethnicity":
        return {str(v): str(label) for v, label in OfficerEthnicity.choices}
    return {}
