"""Stop and search analysis: pure functions over a queryset of searches (and its rows).

The exact definitions are in docs/stopsearch-analysis.md and the tests in
``tests/test_analysis.py`` check them against figures worked out by hand:

- searches: records of Dyfed-Powys searches in the period (made in Pontio, imported from
  police.uk, or both);
- find rate: searches whose *current* outcome is recorded as linked to the object of the
  search (``current_linked`` is True) ÷ searches, with a Wilson 95% interval;
- arrest rate: searches whose *current* outcome is an arrest ÷ searches, with a Wilson
  95% interval;
- outcome mix: searches by current outcome and by outcome at the time, side by side;
- disproportionality: searches per 1,000 residents of each officer-defined ethnic group
  (Census 2011 denominators, ``denominators``), and each group's rate ÷ the White group's
  rate, with a 95% confidence interval on the log scale.

Small numbers are suppressed for people who see aggregates only (OPCC analyst, panel
member, operations lead) with the referral metrics' own helpers (``referrals.metrics``);
inspectors see exact figures for their area.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.accounts.models import User
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.referrals.metrics import (
    SMALL,
    Rate,
    county_labels,
    fewer_than,
    is_small,
    rate_suppressed,
    show_count,
)
from pontio.referrals.models import Pathway, Referral
from pontio.stopsearch import denominators
from pontio.stopsearch.models import Source, StopSearch, StreetCrime
from pontio.stopsearch.vocab import Legislation, ObjectOfSearch, OfficerEthnicity, Outcome

__all__ = ["SMALL", "Rate", "fewer_than", "is_small", "show_count"]

# The denominators are Dyfed-Powys's, so only Dyfed-Powys searches are analysed (imported
# files of other forces are kept but left out here).
FORCE = "dyfed-powys"
# The two-sided 95% point of the standard normal distribution.
Z95 = 1.959963984540054
REFERENCE_GROUP = str(OfficerEthnicity.WHITE)
DRUGS = "Drugs"


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
)


def search_rows(queryset: QuerySet[StopSearch]) -> list[dict[str, Any]]:
    """The fields the figures need, one query."""
    return list(queryset.order_by().values(*ROW_FIELDS))


# --- intervals ------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, trials: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of a proportion (Wilson 1927, JASA 22:209-212).

    Unlike the normal ("Wald") interval it stays inside 0 to 1 and behaves with few
    trials and with 0 or all successes. None when there is nothing to count.
    """
    if trials <= 0:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class RateRatio:
    ratio: float
    interval: Interval | None


def rate_ratio(a: int, n1: int, b: int, n2: int, z: float = Z95) -> RateRatio | None:
    """The ratio of two rates, a/n1 ÷ b/n2, with its 95% confidence interval.

    The interval is the standard epidemiological one for a ratio of two proportions on the
    log scale (Katz, Baptista, Azen and Pike 1978, "Obtaining confidence intervals for the
    risk ratio in cohort studies", Biometrics 34:469-474; Rothman, Greenland and Lash,
    Modern Epidemiology, 3rd ed., ch. 14):

        SE(ln RR) = sqrt(1/a + 1/b - 1/n1 - 1/n2)
        RR * exp(-z * SE) to RR * exp(z * SE)

    where a and b are the searches of the two groups and n1 and n2 their populations.
    It needs a > 0 and b > 0 (the log of 0 has no value): None otherwise, and the caller
    says why. A person can be searched more than once, so a "rate" is searches per
    resident rather than a proportion of people; the formula is the usual approximation.
    """
    if a <= 0 or b <= 0 or n1 <= 0 or n2 <= 0:
        return None
    ratio = (a / n1) / (b / n2)
    variance = 1 / a + 1 / b - 1 / n1 - 1 / n2
    if variance < 0:
        # More searches than residents in both groups: no meaningful interval.
        return RateRatio(ratio, None)
    spread = z * math.sqrt(variance)
    return RateRatio(ratio, Interval(ratio * math.exp(-spread), ratio * math.exp(spread)))


# --- the figures, over rows -----------------------------------------------------------


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
    """Searches, find rate and arrest rate, all with the current outcome."""
    searches = found = arrests = 0
    for row in rows:
        searches += 1
        found += row["current_linked"] is True
        arrests += row["current_outcome"] == Outcome.ARREST
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
        current[row["current_outcome"] or ""] += 1
        original[row["original_outcome"] or ""] += 1
    lines = []
    for value, label in [*Outcome.choices, ("", _("Not recorded"))]:
        if current[value] or original[value]:
            lines.append(OutcomeLine(value, str(label), current[value], original[value]))
    return lines


# --- disproportionality ---------------------------------------------------------------

NO_RATIO_REASONS = {
    "reference": gettext_lazy("the group compared with"),
    "no_population": gettext_lazy("no ratio: no residents of this group in the Census"),
    "no_searches": gettext_lazy(
        "no ratio: no searches of this group (a ratio of 0 has no interval)"
    ),
    "no_reference_searches": gettext_lazy("no ratio: no searches of White people to compare with"),
}


@dataclass(frozen=True)
class GroupRate:
    group: str
    searches: int
    population: int
    reference_searches: int
    per_thousand: float | None
    ratio: RateRatio | None
    reason: str = ""  # a NO_RATIO_REASONS key when there is no ratio

    @property
    def is_reference(self) -> bool:
        return self.reason == "reference"


@dataclass(frozen=True)
class Disproportionality:
    population: denominators.Population
    groups: list[GroupRate] = field(default_factory=list)
    not_recorded: int = 0  # searches with no officer-defined ethnicity (in no group)


def disproportionality(
    rows: Iterable[Mapping[str, Any]], population: denominators.Population
) -> Disproportionality:
    """Searches per 1,000 residents of each officer-defined ethnic group, and the ratio of
    each group's rate to the White group's rate with its 95% confidence interval."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[row["officer_defined_ethnicity"] or ""] += 1
    reference_searches = counts[REFERENCE_GROUP]
    reference_population = population.groups.get(REFERENCE_GROUP, 0)
    groups = []
    for group in denominators.GROUPS:
        searches = counts[group]
        residents = population.groups.get(group, 0)
        per_thousand = 1000 * searches / residents if residents else None
        ratio = None
        if group == REFERENCE_GROUP:
            reason = "reference"
        elif not residents:
            reason = "no_population"
        elif not searches:
            reason = "no_searches"
        elif not reference_searches or not reference_population:
            reason = "no_reference_searches"
        else:
            reason = ""
            ratio = rate_ratio(searches, residents, reference_searches, reference_population)
        groups.append(
            GroupRate(
                group=group,
                searches=searches,
                population=residents,
                reference_searches=reference_searches,
                per_thousand=per_thousand,
                ratio=ratio,
                reason=reason,
            )
        )
    return Disproportionality(population, groups, counts[""])


# --- counties: searches per 1,000 and referrals from stop and search ------------------


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
    searches: Counter[str] = Counter(row["county__ons_code"] or "" for row in rows)
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


# --- the "Drugs" street crime trend ---------------------------------------------------


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


# --- who sees which rows --------------------------------------------------------------


def sees_exact(user: User) -> bool:
    """People who may open the searches behind the figures (inspectors) see exact counts."""
    return has_permission(user, "stopsearch.view")


def rows_for(user: User) -> QuerySet[StopSearch]:
    """The searches a user's figures cover (the caller checks ``stopsearch.analyse``).

    Inspectors: the searches of their area. Aggregate viewers (OPCC analyst, operations
    lead, panel member) may open no record but see every search, counted, suppressed.
    """
    if not sees_exact(user):
        return StopSearch.objects.all()
    queryset = restrict(StopSearch.objects.all(), user, "view")
    if not user.force_wide:
        queryset = queryset.filter(county_id__in=user.county_ids)
    return queryset


def referrals_for(user: User) -> QuerySet[Referral]:
    if not sees_exact(user):
        return Referral.objects.all()
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


# --- the whole analysis ---------------------------------------------------------------


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


def analyse(user: User, filters: Filters) -> Analysis:
    """Every table of the analysis page for this user and these filters (a few queries)."""
    from pontio.stopsearch.policies import street_scope

    rows = search_rows(apply_filters(rows_for(user), filters))
    counties = county_labels()
    population = denominators.population(area_codes(user, filters))
    referral_counts = stop_search_referrals(referrals_for(user), filters)
    may_read_street = street_scope(user, "view") is not None
    trend = (
        drugs_trend(restrict(StreetCrime.objects.all(), user, "view"), filters)
        if may_read_street
        else None
    )
    return Analysis(
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


# --- showing figures (suppressed for aggregate viewers) -------------------------------


def _percent(value: float) -> str:
    return formats.number_format(round(100 * value, 1), 1)


def show_rate(rate: Rate, suppress: bool) -> str:
    """ "30.0% (95% CI 10.8% to 60.3%)", or why it is not shown."""
    if not rate.denominator:
        return _("no searches")
    if suppress and rate_suppressed(rate):
        return _("not shown: too few searches")
    interval = wilson(rate.numerator, rate.denominator)
    if interval is None:
        return _("no searches")
    return _("%(percent)s%% (95%% CI %(low)s%% to %(high)s%%)") % {
        "percent": _percent(rate.numerator / rate.denominator),
        "low": _percent(interval.low),
        "high": _percent(interval.high),
    }


def show_per_thousand(value: float | None, searches: int, suppress: bool) -> str:
    if value is None:
        return _("no residents in the Census")
    if suppress and is_small(searches):
        return _("not shown: too few searches")
    return formats.number_format(round(value, 3), 3, force_grouping=True)


def _ratio_number(value: float) -> str:
    return formats.number_format(round(value, 2), 2, force_grouping=True)


def show_ratio(line: GroupRate, suppress: bool) -> str:
    """ "2.35 (95% CI 1.10 to 5.02)", or why there is no ratio or it is not shown."""
    if line.reason:
        if line.reason == "reference":
            return "1.00 (" + str(NO_RATIO_REASONS["reference"]) + ")"
        return str(NO_RATIO_REASONS[line.reason])
    if suppress and (line.searches < SMALL or line.reference_searches < SMALL):
        return _("not shown: fewer than %(n)s searches in a group compared") % {"n": SMALL}
    if line.ratio is None:
        return ""
    if line.ratio.interval is None:
        return _ratio_number(line.ratio.ratio)
    return _("%(ratio)s (95%% CI %(low)s to %(high)s)") % {
        "ratio": _ratio_number(line.ratio.ratio),
        "low": _ratio_number(line.ratio.interval.low),
        "high": _ratio_number(line.ratio.interval.high),
    }
