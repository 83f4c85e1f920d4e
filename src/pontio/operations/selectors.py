"""Reads of operations, always through ``restrict()``.

- ``results_totals(user, start, end, county=None)``: the figures behind the oversight fact
  ("117 convicted, £23.6m disrupted"), over ``restrict(..., "aggregate")`` (the OPCC analyst
  every operation, leads their area's);
- ``provider_forecast(user)``: what a provider's home page shows (county, week, numbers,
  summed over operations so that not even the number of operations shows);
- ``demand_comparison(user, operation)``: forecast against the referrals linked, by county
  and week;
- ``suggested_referrals(user, operation)``: referrals made in the operation's counties
  during enforcement and aftercare, through the referrals app's scope (``aggregate``: a
  reference, a county, a date; never the person).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.operations.models import (
    Answer,
    DemandAnswer,
    DrugType,
    Evaluation,
    ForecastRow,
    Operation,
    OperationReferral,
    Phase,
    ResultEntry,
    Seizure,
)
from pontio.referrals.models import Referral


def sees_rows(user: User) -> bool:
    """Operations leads run the operations: they see exact figures (others, suppressed)."""
    return user.has_role(Role.OPERATIONS_LEAD)


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def operations_for(user: User, phase: str = "") -> QuerySet[Operation]:
    found = restrict(Operation.objects.all(), user, "view").prefetch_related("counties")
    if phase:
        found = found.filter(phase=phase)
    return found.select_related("lead").order_by("-planning_started_at", "-pk")


def operation_choices(user: User) -> list[tuple[int, str]]:
    """Operations a user may link a record to: reference and code name, nothing more."""
    rows = (
        restrict(Operation.objects.all(), user, "view")
        .order_by("-planning_started_at", "-pk")
        .values_list("pk", "reference", "code_name")
    )
    return [(pk, f"{reference}: {name}") for pk, reference, name in rows]


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeizureTotal:
    drug: str
    seizures: int
    street_value_pence: int
    # Quantities by unit (grams and tablets do not add up).
    quantities: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(DrugType(self.drug).label)

    @property
    def street_value_pounds(self) -> Decimal:
        return Decimal(self.street_value_pence) / 100


@dataclass(frozen=True)
class ResultsTotals:
    operations: int
    arrests: int
    charges: int
    convictions: int
    street_value_pence: int
    seizures: list[SeizureTotal]

    @property
    def street_value_pounds(self) -> Decimal:
        return Decimal(self.street_value_pence) / 100


def _totals(results: QuerySet[ResultEntry], seizures: QuerySet[Seizure]) -> ResultsTotals:
    sums = results.aggregate(a=Sum("arrests"), c=Sum("charges"), v=Sum("convictions"))
    by_drug: dict[str, dict[str, Any]] = {}
    for row in seizures.values("drug", "unit").annotate(
        n=Count("pk"), q=Sum("quantity"), value=Sum("street_value_pence")
    ):
        entry = by_drug.setdefault(row["drug"], {"n": 0, "value": 0, "q": {}})
        entry["n"] += row["n"]
        entry["value"] += row["value"] or 0
        entry["q"][row["unit"]] = Decimal(row["q"] or 0)
    operation_ids = set(results.values_list("operation_id", flat=True)) | set(
        seizures.values_list("operation_id", flat=True)
    )
    ordered = [d for d in DrugType.values if d in by_drug]
    return ResultsTotals(
        operations=len(operation_ids),
        arrests=sums["a"] or 0,
        charges=sums["c"] or 0,
        convictions=sums["v"] or 0,
        street_value_pence=sum(e["value"] for e in by_drug.values()),
        seizures=[
            SeizureTotal(d, by_drug[d]["n"], by_drug[d]["value"], by_drug[d]["q"]) for d in ordered
        ],
    )


def results_totals(
    user: User, start: dt.date, end: dt.date, county: County | None = None
) -> ResultsTotals:
    """Arrests, charges, convictions and seizures dated from ``start`` to ``end`` (both
    included), in ``county`` or the whole force area, of the operations the user may count.
    ``operations`` is the number of operations with a result or seizure in the period."""
    results = restrict(ResultEntry.objects.all(), user, "aggregate").filter(
        recorded_on__gte=start, recorded_on__lte=end
    )
    seizures = restrict(Seizure.objects.all(), user, "aggregate").filter(
        seized_on__gte=start, seized_on__lte=end
    )
    if county is not None:
        results = results.filter(county_id=county.pk)
        seizures = seizures.filter(county_id=county.pk)
    return _totals(results, seizures)


def operation_totals(user: User, operation: Operation) -> ResultsTotals:
    results = restrict(ResultEntry.objects.all(), user, "view").filter(operation=operation)
    seizures = restrict(Seizure.objects.all(), user, "view").filter(operation=operation)
    return _totals(results, seizures)


# --- the forecast and the demand ------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderForecast:
    county: str
    week_starting: dt.date
    expected_referrals: int
    expected_safeguarding: int


def provider_forecast(user: User, today: dt.date | None = None) -> list[ProviderForecast]:
    """The forecast rows shared with the user's organisation for weeks not yet over, summed
    by county and week over every operation (the page names no operation)."""
    today = today or timezone.localdate()
    rows = (
        restrict(ForecastRow.objects.all(), user, "view")
        .filter(week_starting__gte=today - dt.timedelta(days=6))
        .values("county_id", "week_starting")
        .annotate(r=Sum("expected_referrals"), s=Sum("expected_safeguarding"))
        .order_by("week_starting", "county_id")
    )
    counties = {c.pk: str(c.label) for c in County.objects.all()}
    return [
        ProviderForecast(counties[row["county_id"]], row["week_starting"], row["r"], row["s"])
        for row in rows
    ]


@dataclass
class DemandRow:
    county: str
    week_starting: dt.date
    forecast_referrals: int = 0
    actual_referrals: int = 0
    forecast_safeguarding: int = 0
    actual_safeguarding: int = 0
    forecast: bool = False

    @property
    def difference(self) -> int:
        return self.actual_referrals - self.forecast_referrals


@dataclass
class Demand:
    rows: list[DemandRow]
    total: DemandRow


def linked_referrals(user: User, operation: Operation) -> QuerySet[OperationReferral]:
    return (
        restrict(OperationReferral.objects.all(), user, "view")
        .filter(operation=operation)
        .select_related("referral__county")
    )


def _demand(forecast: QuerySet[ForecastRow], links: QuerySet[OperationReferral]) -> Demand:
    counties = {c.pk: (c.sort_order, str(c.label)) for c in County.objects.all()}
    rows: dict[tuple[int, dt.date], DemandRow] = {}

    def row(county_id: int, week: dt.date) -> DemandRow:
        key = (county_id, week)
        if key not in rows:
            rows[key] = DemandRow(counties[county_id][1], week)
        return rows[key]

    for f in forecast.values("county_id", "week_starting").annotate(
        r=Sum("expected_referrals"), s=Sum("expected_safeguarding")
    ):
        target = row(f["county_id"], f["week_starting"])
        target.forecast_referrals += f["r"]
        target.forecast_safeguarding += f["s"]
        target.forecast = True
    for link in links.values(
        "referral__county_id", "referral__sent_at", "referral__safeguarding_notes"
    ):
        sent = timezone.localdate(link["referral__sent_at"])
        target = row(link["referral__county_id"], week_of(sent))
        target.actual_referrals += 1
        if (link["referral__safeguarding_notes"] or "").strip():
            target.actual_safeguarding += 1
    ordered = [rows[k] for k in sorted(rows, key=lambda k: (k[1], counties[k[0]][0]))]
    total = DemandRow("", dt.date.min)
    for r in ordered:
        total.forecast_referrals += r.forecast_referrals
        total.actual_referrals += r.actual_referrals
        total.forecast_safeguarding += r.forecast_safeguarding
        total.actual_safeguarding += r.actual_safeguarding
    return Demand(ordered, total)


def demand_comparison(user: User, operation: Operation) -> Demand:
    """Forecast against the referrals linked to the operation, by county and week."""
    forecast = restrict(ForecastRow.objects.all(), user, "view").filter(operation=operation)
    return _demand(forecast, linked_referrals(user, operation))


def demand_in_period(
    user: User, start: dt.date, end: dt.date, county: County | None = None
) -> Demand:
    """Forecast against linked referrals, over the operations the user may count, for the
    weeks starting in the period (the dashboard tile)."""
    operations = restrict(Operation.objects.all(), user, "aggregate")
    forecast = ForecastRow.objects.filter(
        operation__in=operations.values("pk"),
        week_starting__gte=week_of(start),
        week_starting__lte=end,
    )
    links = OperationReferral.objects.filter(
        operation__in=operations.values("pk"),
        referral__sent_at__date__gte=week_of(start),
        referral__sent_at__date__lte=end + dt.timedelta(days=6),
    )
    if county is not None:
        forecast = forecast.filter(county_id=county.pk)
        links = links.filter(referral__county_id=county.pk)
    demand = _demand(forecast, links)
    demand.rows = [r for r in demand.rows if week_of(start) <= r.week_starting <= end]
    return demand


def suggested_referrals(user: User, operation: Operation) -> QuerySet[Referral]:
    """Referrals made in the operation's counties from the start of enforcement to its close
    (or now), not yet linked, that the user may count (the referrals app's ``aggregate``
    scope): shown as reference, county and date only."""
    if operation.enforcement_started_at is None:
        return Referral.objects.none()
    found = restrict(Referral.objects.all(), user, "aggregate").filter(
        county__in=operation.counties.all(),
        sent_at__gte=operation.enforcement_started_at,
    )
    if operation.closed_at is not None:
        found = found.filter(sent_at__lte=operation.closed_at)
    linked = OperationReferral.objects.filter(operation=operation).values("referral_id")
    return found.exclude(pk__in=linked).select_related("county").order_by("sent_at", "pk")


# --- the evaluation ---------------------------------------------------------------------------


def evaluations_due(user: User) -> QuerySet[Evaluation]:
    """The evaluations asked of the user's organisation and not yet answered."""
    return (
        restrict(Evaluation.objects.all(), user, "view")
        .filter(
            organisation_id=user.organisation_id or 0,
            answered_at__isnull=True,
            operation__phase=Phase.CLOSED,
        )
        .select_related("operation")
        .order_by("asked_at", "pk")
    )


def evaluation_counties(evaluation: Evaluation) -> list[str]:
    """The counties of an evaluated operation: the only detail a partner is shown of it."""
    return [str(c.label) for c in evaluation.operation.counties.all()]


@dataclass(frozen=True)
class EvaluationSummary:
    asked: int
    answered: int
    # (question, [(answer, how many organisations gave it)]) in the survey's order.
    rows: list[tuple[str, list[tuple[str, int]]]]
    comments: list[Evaluation]


def evaluation_summary(user: User, operation: Operation) -> EvaluationSummary:
    evaluations = list(
        restrict(Evaluation.objects.all(), user, "view")
        .filter(operation=operation)
        .select_related("organisation")
    )
    answered = [e for e in evaluations if e.answered_at]
    rows: list[tuple[str, list[tuple[str, int]]]] = []
    for question, label, choices in (
        ("briefed_in_time", _("Briefed in time"), Answer),
        ("enough_detail", _("Enough detail to plan"), Answer),
        ("demand", _("Demand compared with the forecast"), DemandAnswer),
    ):
        counted: dict[str, int] = defaultdict(int)
        for e in answered:
            counted[getattr(e, question)] += 1
        rows.append(
            (
                label,
                [(str(c.label), counted[c.value]) for c in choices if counted[c.value]],
            )
        )
    return EvaluationSummary(
        asked=len(evaluations),
        answered=len(answered),
        rows=rows,
        comments=[e for e in answered if e.comment],
    )
