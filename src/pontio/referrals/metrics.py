"""Referral metrics: pure functions over a queryset of referrals and a quarter.

The exact definitions (numerator, denominator, period, exclusions, suppression) are in
docs/metrics.md, and the tests in ``tests/test_metrics.py`` check them against figures
worked out by hand. Each function reads the rows it needs once and counts in Python, so a
page with a breakdown by county and by pathway costs a handful of queries.

Which rows a user's figures cover is decided by ``rows_for``: provider managers their
organisation's referrals and police supervisors their area's (the rows they may open
anyway), the OPCC analyst every referral but aggregates only, with small counts suppressed.

The one write here, ``provider_total_record``, stores a provider's own count of referrals
from every source, the denominator of the police share.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.figures import SMALL, Rate, fewer_than, is_small, rate_suppressed, show_count
from pontio.core.permissions import has_permission, require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals.models import (
    TOP_SUBSTANCES,
    Party,
    Pathway,
    ProviderReferralTotal,
    Referral,
    ReferralCode,
    Status,
    TopEntry,
    TopStage,
)

__all__ = ["SMALL", "Rate", "fewer_than", "is_small", "rate_suppressed", "show_count"]

# The Welsh national KPI: treatment starts within 20 working days of referral (DOMAIN.md §4.1).
TREATMENT_WINDOW = 20


# --- periods --------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A quarter (first and last day, both included), aligned with the financial year."""

    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def financial_year(self) -> str:
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}-{str(first + 1)[-2:]}"

    @property
    def financial_quarter(self) -> int:
        return ((self.start.month - 4) % 12) // 3 + 1

    @property
    def label(self) -> str:
        return _("%(first)s to %(last)s (%(year)s quarter %(quarter)s)") % {
            "first": formats.date_format(self.start, "F"),
            "last": formats.date_format(self.end, "F Y"),
            "year": self.financial_year,
            "quarter": self.financial_quarter,
        }

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def quarter_of(day: dt.date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    next_start = dt.date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    return Period(start, next_start - dt.timedelta(days=1))


def previous_quarter(period: Period) -> Period:
    return quarter_of(period.start - dt.timedelta(days=1))


def recent_quarters(today: dt.date, count: int = 8) -> list[Period]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(previous_quarter(quarters[-1]))
    return quarters


def parse_quarter(value: str | None, today: dt.date, count: int = 8) -> Period:
    """The quarter named by its first day (as in the page's select), or the current one."""
    for period in recent_quarters(today, count):
        if period.key == value:
            return period
    return quarter_of(today)


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
class Summary:
    referrals: int
    first_contact: Timing
    no_first_contact: int
    assessed: Rate
    treatment_within_window: Rate
    reduced_use: UseChange


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


def top_rows(queryset: QuerySet[Referral], period: Period) -> list[dict[str, Any]]:
    """Start, review and exit profiles up to the end of the period, of the given referrals."""
    return list(
        TopEntry.objects.filter(
            referral__in=queryset.order_by().values("pk"),
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
    )


# --- the metrics, over a queryset -----------------------------------------------------


def summary(queryset: QuerySet[Referral], period: Period, as_of: dt.date) -> Summary:
    """Every metric for the referrals of ``queryset`` in the period (two queries)."""
    return summarise(referral_rows(queryset, period), top_rows(queryset, period), period, as_of)


def breakdown(
    queryset: QuerySet[Referral],
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
    rows = referral_rows(queryset, period)
    entries = top_rows(queryset, period)
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
        .values_list("provider_id", "provider__name")
    )
    for provider_id, name in received:
        _name, count = counts.get(provider_id, (name, 0))
        counts[provider_id] = (name, count + 1)
    reported = {
        provider_id: (name, total)
        for provider_id, name, total in totals.filter(quarter_start=period.start).values_list(
            "provider_id", "provider__name", "total"
        )
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


# --- who sees which rows, and suppression ---------------------------------------------


def sees_rows(user: User) -> bool:
    """People who may open the referrals behind the figures see exact counts."""
    return has_permission(user, "referrals.view")


def rows_for(user: User) -> QuerySet[Referral]:
    """The referrals a user's figures cover (the caller checks ``referrals.view_metrics``).

    The OPCC analyst may not open any referral but sees aggregates of all of them, with
    small counts suppressed; everyone else's figures cover the rows they may open.
    """
    if user.has_role(Role.OPCC_ANALYST):
        return Referral.objects.all()
    return restrict(Referral.objects.all(), user, "view")


def totals_for(user: User) -> QuerySet[ProviderReferralTotal] | None:
    """The provider totals behind the police share, or None where the share is not shown.

    The share is per provider, so it is shown where the figures cover whole providers: to
    the OPCC analyst (all of them) and to a provider manager (their own organisation).
    """
    if user.has_role(Role.OPCC_ANALYST):
        return ProviderReferralTotal.objects.select_related("provider")
    if user.has_role(Role.PROVIDER_MANAGER):
        return ProviderReferralTotal.objects.filter(provider_id=user.organisation_id)
    return None


def show_rate(rate: Rate | None, suppress: bool) -> str:
    if rate is None or rate.percent is None:
        return _("no referrals to count")
    if suppress and rate_suppressed(rate):
        return _("not shown: too few referrals")
    return _("%(percent)s%% (%(numerator)s of %(denominator)s)") % {
        "percent": formats.number_format(rate.percent, 1),
        "numerator": formats.number_format(rate.numerator),
        "denominator": formats.number_format(rate.denominator),
    }


def show_days(value: float | None, count: int, suppress: bool) -> str:
    if value is None:
        return _("no first contact recorded")
    if suppress and count < SMALL:
        return _("not shown: too few referrals")
    return _("%(days)s working days") % {"days": formats.number_format(value, 1)}


# --- the provider's reported total ----------------------------------------------------

MAX_TOTAL = 1_000_000


def total_quarters(today: dt.date, count: int = 8) -> list[Period]:
    """Quarters a total may be entered for: the finished ones (newest first)."""
    return recent_quarters(today, count + 1)[1:]


@transaction.atomic
def provider_total_record(
    *, context: AuditContext, actor: User, quarter_start: dt.date, total: int
) -> ProviderReferralTotal:
    """Enter (or correct) the actor's organisation's total referrals for a finished quarter."""
    require_permission(actor, "referrals.report_totals")
    if actor.organisation_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    period = next((p for p in total_quarters(today) if p.start == quarter_start), None)
    if period is None:
        raise ValidationError(
            {"quarter": [_("Choose a quarter that has ended, from the list")]}, code="quarter"
        )
    if not 0 <= total <= MAX_TOTAL:
        raise ValidationError({"total": [_("Enter a number from 0 to 1,000,000")]}, code="total")
    through_pontio = Referral.objects.filter(
        provider_id=actor.organisation_id, sent_on__gte=period.start, sent_on__lte=period.end
    ).count()
    if total < through_pontio:
        raise ValidationError(
            {
                "total": [
                    _(
                        "The total must include the %(count)s referrals you received through "
                        "Pontio in that quarter"
                    )
                    % {"count": through_pontio}
                ]
            },
            code="below_pontio",
        )
    existing = (
        ProviderReferralTotal.objects.select_for_update()
        .filter(provider_id=actor.organisation_id, quarter_start=period.start)
        .first()
    )
    before = {"total": existing.total} if existing else None
    if existing is None:
        existing = ProviderReferralTotal(
            provider_id=actor.organisation_id, quarter_start=period.start
        )
    existing.total = total
    existing.entered_by = actor
    existing.entered_at = timezone.now()
    existing.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=existing,
        before=before,
        after={"quarter_start": period.start, "total": total},
    )
    return existing


def county_labels() -> dict[str, str]:
    """ONS code -> name in the active language, in the counties' own order."""
    from pontio.core.models import County

    return {county.ons_code: county.label for county in County.objects.all()}
