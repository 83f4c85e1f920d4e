"""The figures of the disposal outcomes page: aggregates only, never a row or a name.

The rows are those the scope policies give for ``aggregate`` (the OPCC analyst: every
disposal; inspectors and custody sergeants: their area's; navigators: their organisation's
contracts). They are read with a handful of ``values_list`` queries and turned into the plain
rows of ``disposals.metrics``, which computes the measures. Every figure carries whether it is
hidden by small-number suppression (``core.figures``): people who may not open the records
behind a figure see counts from 1 to 4, and rates that would reveal them, suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.core.figures import Rate, is_small, rate_suppressed, show_count, suppressed_cells
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.disposals import metrics
from pontio.disposals.models import (
    AssessmentStage,
    Disposal,
    DisposalState,
    DisposalType,
    DiversionContract,
    Outcome,
    Pathway,
    PathwayScore,
)

ACTION = "aggregate"
DEFAULT_MONTHS = 12
FOLLOW_UP_MONTHS = 12
# Checkpoint followed reoffending for 24 months; Pontio shows 12 and 24.
FOLLOW_UPS = (FOLLOW_UP_MONTHS, 24)


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    suppressed: bool

    @property
    def shown(self) -> str:
        if self.suppressed and not is_small(self.count):
            # Hidden so that a small cell of its group cannot be worked out (secondary).
            return _("not shown (small numbers)")
        return show_count(self.count, self.suppressed)


@dataclass(frozen=True)
class Percent:
    label: str
    numerator: int
    denominator: int
    suppressed: bool

    @property
    def percent(self) -> float | None:
        return Rate(self.numerator, self.denominator).percent

    @property
    def shown(self) -> str:
        if self.suppressed:
            return _("not shown (small numbers)")
        percent = self.percent
        if percent is None:
            return _("no figures")
        return _("%(percent)s%%") % {"percent": format_percent(percent)}


def format_percent(value: float) -> str:
    return formats.number_format(value, 1)


def count(label: str, value: int, suppress: bool) -> Count:
    return Count(label, value, suppress and is_small(value))


def percent(label: str, numerator: int, denominator: int, suppress: bool) -> Percent:
    hidden = suppress and rate_suppressed(Rate(numerator, denominator))
    return Percent(label, numerator, denominator, hidden)


@dataclass(frozen=True)
class PathwayFigures:
    label: str
    contracts: Count
    risk_start: Count
    risk_end: Count
    reduction: Percent


@dataclass(frozen=True)
class Outcomes:
    start: dt.date
    end: dt.date
    suppress: bool
    decisions: Count
    by_outcome: list[Count]
    by_type: list[Count]
    # Disposals decided in the period: completed / (completed + breached).
    disposals_completed: Count
    disposals_breached: Count
    disposal_completion: Percent
    # Diversion contracts started in the period (metrics.completion).
    contracts_started: Count
    contracts_completed: Count
    contracts_failed: Count
    contracts_running: Count
    contracts_declined: Count
    contract_completion: Percent
    # Risk factors at the start gone at the end, over contracts whose end assessment is in
    # the period (Checkpoint's measure).
    assessed_contracts: Count
    pathways: list[PathwayFigures]
    needs_overall: PathwayFigures
    # Reoffending within 12 months of the disposals decided 12 months before the period.
    index_start: dt.date
    index_end: dt.date
    cohort: Count
    cohort_rate: Percent
    comparison: Count
    comparison_rate: Percent
    matched: Count
    matched_cohort_rate: Percent
    weighted_comparison: Percent
    # The same at every follow-up length (12 and 24 months); the fields above are the first.
    follow_ups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class FollowUp:
    """Reoffending within ``months`` of the disposals given ``months`` before the period."""

    months: int
    index_start: dt.date
    index_end: dt.date
    cohort: Count
    cohort_rate: Percent
    comparison: Count
    comparison_rate: Percent
    matched: Count
    matched_cohort_rate: Percent
    weighted_comparison: Percent


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 months of decisions, today included."""
    return metrics.add_months(today, -DEFAULT_MONTHS) + dt.timedelta(days=1), today


def sees_rows(user: User) -> bool:
    """People who may open the disposals behind the figures see exact counts."""
    return has_permission(user, "disposals.view")


# --- the rows ---------------------------------------------------------------------------------


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _disposal_rows(user: User) -> list[tuple[metrics.DisposalRow, int | None, str]]:
    """Every disposal the user may aggregate (later ones are needed to find reoffending),
    with its type and state; two queries."""
    disposals = restrict(Disposal.objects.all(), user, ACTION)
    started = set(
        restrict(DiversionContract.objects.all(), user, ACTION)
        .filter(disposal_id__in=disposals.values("pk"), starts_on__isnull=False)
        .values_list("disposal_id", flat=True)
    )
    rows: list[tuple[metrics.DisposalRow, int | None, str]] = []
    for (
        pk,
        person,
        decided,
        offence_date,
        outcome,
        age,
        group,
        previous,
        kind,
        state,
    ) in disposals.order_by().values_list(
        "pk",
        "person_id",
        "decided_at",
        "offence_date",
        "outcome",
        "age_at_decision",
        "offence__offence_group",
        "previous_disposals",
        "disposal_type_id",
        "state",
    ):
        row = metrics.DisposalRow(
            pk=pk,
            person_id=person,
            decided_on=_day(decided),
            offence_date=offence_date,
            outcome=outcome,
            age=age,
            offence_group=group,
            previous_disposals=previous,
            contract_started=pk in started,
        )
        rows.append((row, kind, state))
    return rows


def _contract_rows(user: User, start: dt.date, end: dt.date) -> list[metrics.ContractRow]:
    """Contracts started in the period, and those declined in it (no start date: by the day
    they were referred)."""
    rows = []
    contracts = restrict(DiversionContract.objects.all(), user, ACTION).order_by()
    for state, starts_on, referred in contracts.values_list("state", "starts_on", "referred_at"):
        day = starts_on if starts_on is not None else _day(referred)
        if start <= day <= end:
            rows.append(metrics.ContractRow(state=state, started=starts_on is not None))
    return rows


def _assessed(user: User, start: dt.date, end: dt.date) -> list[metrics.AssessedContract]:
    """Start and end scores of the contracts whose end assessment falls in the period."""
    ended = (
        restrict(DiversionContract.objects.all(), user, ACTION)
        .filter(
            assessments__stage=AssessmentStage.END,
            assessments__assessed_on__gte=start,
            assessments__assessed_on__lte=end,
        )
        .values("pk")
    )
    scores: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: {"start": {}, "end": {}})
    for contract, stage, pathway, score in (
        restrict(PathwayScore.objects.all(), user, ACTION)
        .filter(assessment__contract_id__in=ended)
        .order_by()
        .values_list("assessment__contract_id", "assessment__stage", "pathway", "score")
    ):
        scores[contract][stage][pathway] = score
    return [
        metrics.AssessedContract(start=s["start"], end=s["end"])
        for _pk, s in sorted(scores.items())
        if s["start"] and s["end"]
    ]


# --- the figures ------------------------------------------------------------------------------


def _pathway_figures(
    label: str, change: metrics.PathwayChange | metrics.NeedsChange, contracts: int, suppress: bool
) -> PathwayFigures:
    return PathwayFigures(
        label=label,
        contracts=count(label, contracts, suppress),
        risk_start=count(label, change.risk_start, suppress),
        risk_end=count(label, change.risk_end, suppress),
        # The share of the risk factors at the start that are gone at the end.
        reduction=percent(
            label,
            change.risk_start - change.risk_end,
            change.risk_start,
            suppress,
        ),
    )


def outcomes_for(
    user: User,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Outcomes:
    today = today or timezone.localdate()
    default_start, default_end = default_period(today)
    start = start or default_start
    end = end or default_end
    suppress = not sees_rows(user)

    every = _disposal_rows(user)
    decided = [(row, kind, state) for row, kind, state in every if start <= row.decided_on <= end]

    outcome_counts = Counter(row.outcome for row, _kind, _state in decided)
    given = [(row, kind, state) for row, kind, state in decided if row.outcome == Outcome.DISPOSAL]
    type_counts = Counter(kind for _row, kind, _state in given)
    types = list(DisposalType.objects.filter(pk__in=[k for k in type_counts if k is not None]))
    # Secondary suppression: the outcomes add up to the total and the types to the
    # disposals, so one hidden cell in either group would be given away by subtraction.
    cells: dict[str, int] = {"total": len(decided)}
    cells.update({f"o:{o.value}": outcome_counts[o.value] for o in Outcome})
    cells.update({f"t:{k}": n for k, n in type_counts.items()})
    hidden = (
        suppressed_cells(
            cells,
            [
                ("total", [f"o:{o.value}" for o in Outcome]),
                (f"o:{Outcome.DISPOSAL.value}", [f"t:{k}" for k in type_counts]),
            ],
        )
        if suppress
        else set()
    )
    by_outcome = [
        Count(str(o.label), outcome_counts[o.value], f"o:{o.value}" in hidden) for o in Outcome
    ]
    by_type = [Count(t.label, type_counts[t.pk], f"t:{t.pk}" in hidden) for t in types]
    if type_counts.get(None):
        by_type.append(Count(_("Type not recorded"), type_counts[None], "t:None" in hidden))

    completed = sum(1 for _r, _k, state in given if state == DisposalState.COMPLETED)
    breached = sum(1 for _r, _k, state in given if state == DisposalState.BREACHED)

    completion = metrics.completion(_contract_rows(user, start, end))
    # Started = completed + failed + running: one hidden part would be worked out.
    contract_cells = {
        "started": completion.started,
        "completed": completion.completed,
        "failed": completion.failed,
        "running": completion.running,
    }
    contract_hidden = (
        suppressed_cells(contract_cells, [("started", ["completed", "failed", "running"])])
        if suppress
        else set()
    )

    pathway_values = list(Pathway.values)
    change = metrics.needs_change(_assessed(user, start, end), pathway_values)
    pathways = [
        _pathway_figures(str(Pathway(p.pathway).label), p, p.contracts, suppress)
        for p in change.pathways
    ]
    overall = _pathway_figures(_("All pathways"), change, change.contracts, suppress)

    follow_ups = tuple(
        _follow_up([row for row, _kind, _state in every], start, end, months, today, suppress)
        for months in FOLLOW_UPS
    )
    first = follow_ups[0]

    return Outcomes(
        start=start,
        end=end,
        suppress=suppress,
        decisions=Count(_("Decisions"), len(decided), "total" in hidden),
        by_outcome=by_outcome,
        by_type=by_type,
        disposals_completed=count(_("Completed"), completed, suppress),
        disposals_breached=count(_("Breached"), breached, suppress),
        disposal_completion=percent(
            _("Disposals completed"), completed, completed + breached, suppress
        ),
        contracts_started=Count(_("Started"), completion.started, "started" in contract_hidden),
        contracts_completed=Count(
            _("Completed"), completion.completed, "completed" in contract_hidden
        ),
        contracts_failed=Count(_("Failed"), completion.failed, "failed" in contract_hidden),
        contracts_running=Count(
            _("Still running"), completion.running, "running" in contract_hidden
        ),
        contracts_declined=count(_("Not eligible or declined"), completion.declined, suppress),
        contract_completion=percent(
            _("Contracts completed"), completion.completed, completion.closed, suppress
        ),
        assessed_contracts=count(
            _("Contracts assessed at start and end"), change.contracts, suppress
        ),
        pathways=pathways,
        needs_overall=overall,
        index_start=first.index_start,
        index_end=first.index_end,
        cohort=first.cohort,
        cohort_rate=first.cohort_rate,
        comparison=first.comparison,
        comparison_rate=first.comparison_rate,
        matched=first.matched,
        matched_cohort_rate=first.matched_cohort_rate,
        weighted_comparison=first.weighted_comparison,
        follow_ups=follow_ups,
    )


def _follow_up(
    rows: list[metrics.DisposalRow],
    start: dt.date,
    end: dt.date,
    months: int,
    today: dt.date,
    suppress: bool,
) -> FollowUp:
    """Reoffending within ``months``: the disposals given ``months`` before the period,
    each with its full follow-up by the end of the period."""
    index_start = metrics.add_months(start, -months)
    index_end = metrics.add_months(end, -months)
    reoffending = metrics.reoffending(
        rows,
        months=months,
        today=today,
        start=index_start,
        end=index_end,
    )
    matched = [s for s in reoffending.strata if s.cohort and s.comparison]
    matched_n = sum(s.cohort for s in matched)
    matched_hits = sum(s.cohort_reoffended for s in matched)
    # The weighted rate mixes many strata; it is hidden where the plain comparison rate or
    # the matched cohort's rate would be (a stratum's own handful is never shown).
    comparison_hidden = suppress and (
        rate_suppressed(Rate(reoffending.comparison_reoffended, reoffending.comparison))
        or rate_suppressed(Rate(matched_hits, matched_n))
    )
    weighted_label = _("Matched comparison group (weighted)")
    weighted = Percent(
        weighted_label,
        # Carried as tenths of a percent: the weighted rate is not a count over a count.
        round(10 * (reoffending.weighted_comparison or 0)),
        1000 if reoffending.weighted_comparison is not None else 0,
        comparison_hidden,
    )

    return FollowUp(
        months=months,
        index_start=index_start,
        index_end=index_end,
        cohort=count(_("Diversion cohort"), reoffending.cohort, suppress),
        cohort_rate=percent(
            _("Diversion cohort"), reoffending.cohort_reoffended, reoffending.cohort, suppress
        ),
        comparison=count(_("Comparison group"), reoffending.comparison, suppress),
        comparison_rate=percent(
            _("Comparison group"),
            reoffending.comparison_reoffended,
            reoffending.comparison,
            suppress,
        ),
        matched=count(_("Matched diversion cohort"), matched_n, suppress),
        matched_cohort_rate=percent(
            _("Matched diversion cohort"), matched_hits, matched_n, suppress
        ),
        weighted_comparison=weighted,
    )
