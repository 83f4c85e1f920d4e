"""Referral metrics: pure functions over the rows of a cohort and a quarter.

The exact definitions (numerator, denominator, period, exclusions) are in docs/metrics.md,
and ``tests/test_metrics.py`` checks them against figures worked out by hand. Each function
reads the rows it needs once and counts in Python, so a page with a breakdown by county and
by pathway costs a handful of queries. Which rows a user's figures count is ``scope``'s
business; how they are shown (and suppressed) is ``tables``'.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from pontio.core.figures import Rate
from pontio.core.i18n import in_active_language
from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals.metrics.periods import Period
from pontio.referrals.metrics.scope import Cohort
from pontio.referrals.models import (
    TOP_SUBSTANCES,
    OutcomeAgainstReason,
    Party,
    Pathway,
    ProviderReferralTotal,
    Referral,
    ReferralCode,
    Status,
    TopStage,
)

# The Welsh national KPI: treatment starts within 20 working days of referral (DOMAIN.md §4.1).
TREATMENT_WINDOW = 20


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Working days from sending to the first contact attempt, over ``count`` referrals."""

    count: int
    median: float | None
    mean: float | None


@dataclass(frozen=True)
class UseChange:
    """Main-substance use at the latest review or exit profile against the start profile."""

    reduced: int = 0
    unchanged: int = 0
    increased: int = 0
    not_disclosed: int = 0
    no_use_at_start: int = 0

    @property
    def compared(self) -> int:
        return self.reduced + self.unchanged + self.increased

    @property
    def rate(self) -> Rate:
        return Rate(self.reduced, self.compared)


@dataclass(frozen=True)
class OutcomeCounts:
    """Referrals the provider closed, by the outcome against the reason for the referral
    recorded with the end-of-service summary (``services.summary``)."""

    achieved: int = 0
    partly: int = 0
    not_achieved: int = 0
    not_recorded: int = 0

    @property
    def closed(self) -> int:
        return self.achieved + self.partly + self.not_achieved + self.not_recorded


OUTCOME_NAMES = ("achieved", "partly", "not_achieved", "not_recorded")


@dataclass(frozen=True)
class Summary:
    referrals: int
    first_contact: Timing
    no_first_contact: int
    assessed: Rate
    treatment_within_window: Rate
    reduced_use: UseChange
    outcomes: OutcomeCounts = field(default_factory=OutcomeCounts)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    summary: Summary


@dataclass(frozen=True)
class ProviderShare:
    """Referrals a provider received through Pontio against the total it reported."""

    provider_id: int
    provider_name: str
    through_pontio: int
    reported_total: int | None

    @property
    def consistent(self) -> bool:
        return self.reported_total is not None and self.through_pontio <= self.reported_total

    @property
    def rate(self) -> Rate | None:
        if not self.consistent or self.reported_total is None:
            return None
        return Rate(self.through_pontio, self.reported_total)


@dataclass(frozen=True)
class PoliceShare:
    providers: list[ProviderShare] = field(default_factory=list)

    @property
    def overall(self) -> Rate | None:
        """Over the providers whose total is entered (and not below Pontio's count)."""
        counted = [p for p in self.providers if p.consistent]
        if not counted:
            return None
        return Rate(
            sum(p.through_pontio for p in counted),
            sum(p.reported_total or 0 for p in counted),
        )


# --- rows -----------------------------------------------------------------------------

REFERRAL_FIELDS = (
    "pk",
    "sent_on",
    "first_contact_on",
    "assessed_on",
    "treatment_started_on",
    "closed_on",
    "status",
    "status_code__chosen_by",
    "status_code__kind",
    "county__ons_code",
    "pathway",
    "outcome_against_reason",
)
DAY_FIELDS = tuple(f"{name}_days" for name in TOP_SUBSTANCES)
COMPARISON_STAGES = (TopStage.REVIEW, TopStage.EXIT)


def referral_rows(queryset: QuerySet[Referral], period: Period) -> list[dict[str, Any]]:
    """The referrals sent in the period (the cohort of every metric but reduced use)."""
    return list(
        queryset.filter(sent_on__gte=period.start, sent_on__lte=period.end)
        .order_by()
        .values(*REFERRAL_FIELDS)
    )


def top_rows(cohort: Cohort, period: Period) -> list[dict[str, Any]]:
    """Start, review and exit profiles up to the end of the period, of the cohort's referrals."""
    return list(
        cohort.profiles.filter(
            referral__in=cohort.referrals.order_by().values("pk"),
            stage__in=[TopStage.START, *COMPARISON_STAGES],
            interview_date__lte=period.end,
        )
        .order_by()
        .values(
            "pk",
            "referral_id",
            "referral__county__ons_code",
            "referral__pathway",
            "stage",
            "interview_date",
            "main_substance",
            *DAY_FIELDS,
        )
    )


def _withdrawn_by_police(row: Mapping[str, Any]) -> bool:
    return (
        row["status"] == Status.CANCELLED
        and row["status_code__chosen_by"] == Party.POLICE
        and row["status_code__kind"] == ReferralCode.Kind.CANCELLATION
    )


# --- the metrics, over rows -----------------------------------------------------------


def first_contact_timing(rows: Iterable[Mapping[str, Any]]) -> Timing:
    days = [
        working_days_between(row["sent_on"], row["first_contact_on"])
        for row in rows
        if row["first_contact_on"] is not None
    ]
    if not days:
        return Timing(0, None, None)
    return Timing(len(days), float(statistics.median(days)), round(statistics.fmean(days), 1))


def assessed_rate(rows: Iterable[Mapping[str, Any]]) -> Rate:
    """Assessed ÷ sent, leaving out referrals the police withdrew before an assessment."""
    numerator = denominator = 0
    for row in rows:
        assessed = row["assessed_on"] is not None
        if not assessed and _withdrawn_by_police(row):
            continue
        denominator += 1
        numerator += assessed
    return Rate(numerator, denominator)


def treatment_deadline(sent_on: dt.date) -> dt.date:
    return add_working_days(sent_on, TREATMENT_WINDOW)


def treatment_rate(rows: Iterable[Mapping[str, Any]], as_of: dt.date) -> Rate:
    """Started within 20 working days ÷ referrals whose 20 days are over or that started.

    A referral still inside its 20 days without a start is not yet counted either way; one the
    police withdrew, on or before its deadline and without a start, is left out.
    """
    numerator = denominator = 0
    for row in rows:
        deadline = treatment_deadline(row["sent_on"])
        started = row["treatment_started_on"]
        within = started is not None and started <= deadline
        if not within and started is None:
            if deadline >= as_of:
                continue
            closed = row["closed_on"]
            if _withdrawn_by_police(row) and closed is not None and closed <= deadline:
                continue
        denominator += 1
        numerator += within
    return Rate(numerator, denominator)


def use_change(entries: Iterable[Mapping[str, Any]], period: Period) -> UseChange:
    """Per referral: the start profile against the latest review or exit up to the period's
    end, counted in the period when that latest profile's interview falls in it."""
    by_referral: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_referral[entry["referral_id"]].append(entry)
    counts = dict.fromkeys(("reduced", "unchanged", "increased", "not_disclosed", "no_use"), 0)
    for profiles in by_referral.values():
        start = next((p for p in profiles if p["stage"] == TopStage.START), None)
        later = [
            p
            for p in profiles
            if p["stage"] in COMPARISON_STAGES
            and start is not None
            and start["interview_date"] <= p["interview_date"] <= period.end
        ]
        if start is None or not later:
            continue
        latest = max(later, key=lambda p: (p["interview_date"], p["pk"]))
        if latest["interview_date"] not in period:
            continue
        substance = f"{start['main_substance']}_days"
        before, after = start[substance], latest[substance]
        if before is None or after is None:
            counts["not_disclosed"] += 1
        elif before == 0:
            counts["no_use"] += 1
        elif after < before:
            counts["reduced"] += 1
        elif after == before:
            counts["unchanged"] += 1
        else:
            counts["increased"] += 1
    return UseChange(
        reduced=counts["reduced"],
        unchanged=counts["unchanged"],
        increased=counts["increased"],
        not_disclosed=counts["not_disclosed"],
        no_use_at_start=counts["no_use"],
    )


def outcome_counts(rows: Iterable[Mapping[str, Any]]) -> OutcomeCounts:
    """Of the referrals sent in the quarter that the provider has closed (a closure code:
    completed, failed, or cancelled for a neutral reason), how far the support met the
    reason for the referral; closures without one recorded (neutral ones, closures before
    the work started, and those before Pontio asked) are counted as not recorded."""
    counts = dict.fromkeys(OUTCOME_NAMES, 0)
    names: dict[str, str] = {
        str(OutcomeAgainstReason.ACHIEVED): "achieved",
        str(OutcomeAgainstReason.PARTLY): "partly",
        str(OutcomeAgainstReason.NOT_ACHIEVED): "not_achieved",
    }
    for row in rows:
        closed = row["status"] in (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
        if not closed or row["status_code__kind"] != ReferralCode.Kind.CLOSURE:
            continue
        counts[names.get(row.get("outcome_against_reason") or "", "not_recorded")] += 1
    return OutcomeCounts(**counts)


def summarise(
    rows: Sequence[Mapping[str, Any]],
    entries: Sequence[Mapping[str, Any]],
    period: Period,
    as_of: dt.date,
) -> Summary:
    return Summary(
        referrals=len(rows),
        first_contact=first_contact_timing(rows),
        no_first_contact=sum(1 for r in rows if r["first_contact_on"] is None),
        assessed=assessed_rate(rows),
        treatment_within_window=treatment_rate(rows, as_of),
        reduced_use=use_change(entries, period),
        outcomes=outcome_counts(rows),
    )


# --- the metrics, over a cohort --------------------------------------------------------


def summary(cohort: Cohort, period: Period, as_of: dt.date) -> Summary:
    """Every metric for the cohort's referrals in the period (two queries)."""
    return summarise(
        referral_rows(cohort.referrals, period), top_rows(cohort, period), period, as_of
    )


def breakdown(
    cohort: Cohort,
    period: Period,
    as_of: dt.date,
    by: str,
    labels: Mapping[str, str],
) -> list[Group]:
    """The summary per county (ONS code) or per pathway, in the order of ``labels``.

    Groups with no referral and no outcome profile in the period are left out.
    """
    if by == "county":
        referral_key, entry_key = "county__ons_code", "referral__county__ons_code"
    elif by == "pathway":
        referral_key, entry_key = "pathway", "referral__pathway"
    else:
        raise ValueError(by)
    rows = referral_rows(cohort.referrals, period)
    entries = top_rows(cohort, period)
    grouped_rows: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    grouped_entries: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped_rows[row[referral_key]].append(row)
    for entry in entries:
        grouped_entries[entry[entry_key]].append(entry)
    groups = []
    for key in [*labels, *sorted(set(grouped_rows) - set(labels))]:
        group_summary = summarise(grouped_rows[key], grouped_entries[key], period, as_of)
        if group_summary.referrals or group_summary.reduced_use.compared:
            groups.append(Group(key, labels.get(key, key), group_summary))
    return groups


def pathway_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Pathway.choices}


def police_share(
    queryset: QuerySet[Referral],
    period: Period,
    totals: QuerySet[ProviderReferralTotal],
) -> PoliceShare:
    """Referrals each provider received through Pontio in the quarter, against the total
    it reported for the quarter (every provider with either figure)."""
    counts: dict[int, tuple[str, int]] = {}
    received = (
        queryset.filter(sent_on__gte=period.start, sent_on__lte=period.end)
        .order_by()
        .values_list("provider_id", "provider__name", "provider__name_cy")
    )
    # Providers are named in the user's language, as everywhere else.
    for provider_id, name, name_cy in received:
        _name, count = counts.get(provider_id, (in_active_language(name, name_cy), 0))
        counts[provider_id] = (in_active_language(name, name_cy), count + 1)
    reported = {
        provider_id: (in_active_language(name, name_cy), total)
        for provider_id, name, name_cy, total in totals.filter(
            quarter_start=period.start
        ).values_list("provider_id", "provider__name", "provider__name_cy", "total")
    }
    providers = []
    for provider_id in sorted(set(counts) | set(reported)):
        name = (counts.get(provider_id) or reported[provider_id])[0]
        providers.append(
            ProviderShare(
                provider_id=provider_id,
                provider_name=name,
                through_pontio=counts.get(provider_id, ("", 0))[1],
                reported_total=reported[provider_id][1] if provider_id in reported else None,
            )
        )
    providers.sort(key=lambda p: p.provider_name)
    return PoliceShare(providers)


def county_labels() -> dict[str, str]:
    """ONS code -> name in the active language, in the counties' own order."""
    from pontio.core.models import County

    return {county.ons_code: county.label for county in County.objects.defer("boundary")}
