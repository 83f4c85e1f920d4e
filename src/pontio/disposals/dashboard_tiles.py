"""Diversion on the Commissioner's dashboards (``core.tiles``): completion of diversion
contracts, needs reduction, and reoffending against a matched comparison group.

The measures are ``disposals.metrics``' (the outcomes page's functions), over the rows
``restrict(..., "aggregate")`` gives the user, narrowed to the county chosen: contracts by
their county, index disposals by theirs (later offences are looked for anywhere).
Imported by this app's ``dashboard.py`` at start-up; nothing else imports it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.figures import Rate
from pontio.core.models import County
from pontio.core.request_cache import cached
from pontio.core.scopes import restrict
from pontio.core.tiles import (
    PERCENT,
    CellId,
    Chart,
    Column,
    Measure,
    Row,
    Tile,
    TileData,
    TileQuery,
    column_group,
    register_tile,
)
from pontio.disposals import metrics
from pontio.disposals.models import (
    AssessmentStage,
    Disposal,
    DiversionContract,
    Pathway,
    PathwayScore,
)
from pontio.disposals.selectors.outcomes import FOLLOW_UP_MONTHS, sees_rows

PERMISSION = "disposals.outcomes"
ACTION = "aggregate"
ALL = "all"
SOURCE = gettext_lazy("Pontio disposals and diversion contracts")


def _day(moment: Any) -> Any:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _counties() -> dict[int, tuple[str, str]]:
    return cached(
        "tiles.disposals.counties",
        lambda: {c.pk: (c.ons_code, str(c.label)) for c in County.objects.all()},
    )


# --- completion -----------------------------------------------------------------------------


def completion(user: Any, query: TileQuery) -> TileData:
    """``metrics.completion`` per county over the contracts started (or declined) in the
    period: started = completed + failed + still running, and each column adds up over the
    counties, so both are groups for secondary suppression."""
    contracts = restrict(DiversionContract.objects.all(), user, ACTION).order_by()
    if query.county is not None:
        contracts = contracts.filter(county_id=query.county.pk)
    by_county: dict[int, list[metrics.ContractRow]] = defaultdict(list)
    for county_id, state, starts_on, referred in contracts.values_list(
        "county_id", "state", "starts_on", "referred_at"
    ):
        day = starts_on if starts_on is not None else _day(referred)
        if query.start <= day <= query.end:
            by_county[county_id].append(
                metrics.ContractRow(state=state, started=starts_on is not None)
            )
    counties = _counties()
    wanted = [query.county.pk] if query.county is not None else list(counties)
    rows = []
    groups = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    every: list[metrics.ContractRow] = []
    for county_id in wanted:
        every.extend(by_county.get(county_id, []))
    entries = [(str(c), counties.get(c, ("", str(c)))[1], by_county.get(c, [])) for c in wanted]
    entries.append((ALL, _("All counties"), every))
    for key, label, contract_rows in entries:
        result = metrics.completion(contract_rows)
        rows.append(
            Row(
                key,
                label,
                {
                    "started": result.started,
                    "completed": result.completed,
                    "failed": result.failed,
                    "running": result.running,
                    "rate": Rate(result.completed, result.closed),
                },
                total=key == ALL,
            )
        )
        groups.append(((key, "started"), [(key, "completed"), (key, "failed"), (key, "running")]))
        depends[(key, "rate")] = ((key, "completed"), (key, "failed"))
    parts = [str(c) for c in wanted]
    groups += column_group(ALL, parts, ["started", "completed", "failed", "running"])
    return TileData(
        columns=[
            Column("started", gettext_lazy("Contracts started")),
            Column("completed", gettext_lazy("Completed")),
            Column("failed", gettext_lazy("Failed")),
            Column("running", gettext_lazy("Still running")),
            Column("rate", gettext_lazy("Completion rate"), PERCENT),
        ],
        rows=rows,
        groups=groups,
        depends=depends,
        exact=sees_rows(user),
        chart=Chart("bar", ("rate",)),
        missing="" if every else _("No diversion contract started in this period."),
    )


# --- needs reduction ------------------------------------------------------------------------


def needs(user: Any, query: TileQuery) -> TileData:
    """``metrics.needs_change`` over the contracts whose end assessment falls in the period
    (two queries): risk factors (a pathway scored 2 or more) at the start and at the end."""
    contracts = restrict(DiversionContract.objects.all(), user, ACTION)
    if query.county is not None:
        contracts = contracts.filter(county_id=query.county.pk)
    ended = contracts.filter(
        assessments__stage=AssessmentStage.END,
        assessments__assessed_on__gte=query.start,
        assessments__assessed_on__lte=query.end,
    ).values("pk")
    scores: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: {"start": {}, "end": {}})
    for contract, stage, pathway, score in (
        restrict(PathwayScore.objects.all(), user, ACTION)
        .filter(assessment__contract_id__in=ended)
        .order_by()
        .values_list("assessment__contract_id", "assessment__stage", "pathway", "score")
    ):
        scores[contract][stage][pathway] = score
    assessed = [
        metrics.AssessedContract(start=s["start"], end=s["end"])
        for _pk, s in sorted(scores.items())
        if s["start"] and s["end"]
    ]
    change = metrics.needs_change(assessed, list(Pathway.values))
    rows = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    for item in change.pathways:
        rows.append(
            Row(
                item.pathway,
                str(Pathway(item.pathway).label),
                {
                    "contracts": item.contracts,
                    "risk_start": item.risk_start,
                    "risk_end": item.risk_end,
                    "reduction": Measure(item.reduction, item.risk_start),
                },
            )
        )
        depends[(item.pathway, "reduction")] = (
            (item.pathway, "risk_start"),
            (item.pathway, "risk_end"),
        )
    rows.append(
        Row(
            ALL,
            _("All pathways"),
            {
                "contracts": change.contracts,
                "risk_start": change.risk_start,
                "risk_end": change.risk_end,
                "reduction": Measure(change.reduction, change.risk_start),
            },
            total=True,
        )
    )
    depends[(ALL, "reduction")] = ((ALL, "risk_start"), (ALL, "risk_end"))
    return TileData(
        columns=[
            Column("contracts", gettext_lazy("Contracts assessed at start and end")),
            Column("risk_start", gettext_lazy("Risk factors at the start")),
            Column("risk_end", gettext_lazy("Risk factors at the end")),
            Column("reduction", gettext_lazy("Risk factors reduced"), PERCENT),
        ],
        rows=rows,
        groups=column_group(ALL, list(Pathway.values), ["risk_start", "risk_end"]),
        depends=depends,
        exact=sees_rows(user),
        chart=Chart("bar", ("reduction",)),
        missing=""
        if assessed
        else _("No diversion contract had its end assessment in this period."),
    )


# --- reoffending ------------------------------------------------------------------------------


def reoffending(user: Any, query: TileQuery) -> TileData:
    """Reoffending within 12 months of the disposals decided 12 months before the period
    (``metrics.reoffending``): the diversion cohort against the comparison group, and the
    matched comparison weighted by the cohort's strata. Two queries."""
    today = query.today or timezone.localdate()
    disposals = restrict(Disposal.objects.all(), user, ACTION)
    started = set(
        restrict(DiversionContract.objects.all(), user, ACTION)
        .filter(disposal_id__in=disposals.values("pk"), starts_on__isnull=False)
        .values_list("disposal_id", flat=True)
    )
    rows_all: list[metrics.DisposalRow] = []
    in_county: set[int] = set()
    for (
        pk,
        person,
        decided,
        offence_date,
        outcome,
        age,
        group,
        previous,
        county_id,
    ) in disposals.order_by().values_list(
        "pk",
        "person_id",
        "decided_at",
        "offence_date",
        "outcome",
        "age_at_decision",
        "offence__offence_group",
        "previous_disposals",
        "county_id",
    ):
        rows_all.append(
            metrics.DisposalRow(
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
        )
        if query.county is None or county_id == query.county.pk:
            in_county.add(pk)
    months = FOLLOW_UP_MONTHS
    index_start = metrics.add_months(query.start, -months)
    index_end = metrics.add_months(query.end, -months)
    # Index disposals in the county; their later offences are looked for anywhere: a
    # disposal elsewhere still counts as a later offence ("charge" is one too) but is never
    # an index disposal itself.
    index_rows = [
        r if r.pk in in_county or r.outcome != "disposal" else replace(r, outcome="charge")
        for r in rows_all
    ]
    result = metrics.reoffending(
        index_rows, months=months, today=today, start=index_start, end=index_end
    )
    matched = [s for s in result.strata if s.cohort and s.comparison]
    matched_n = sum(s.cohort for s in matched)
    matched_hits = sum(s.cohort_reoffended for s in matched)
    rows = [
        Row(
            "cohort",
            _("Diversion cohort"),
            {
                "people": result.cohort,
                "reoffended": result.cohort_reoffended,
                "rate": Rate(result.cohort_reoffended, result.cohort),
            },
        ),
        Row(
            "comparison",
            _("Comparison group"),
            {
                "people": result.comparison,
                "reoffended": result.comparison_reoffended,
                "rate": Rate(result.comparison_reoffended, result.comparison),
            },
        ),
        Row(
            "matched",
            _("Matched diversion cohort"),
            {
                "people": matched_n,
                "reoffended": matched_hits,
                "rate": Rate(matched_hits, matched_n),
            },
        ),
        Row(
            "weighted",
            _("Matched comparison group (weighted)"),
            {
                "people": "",
                "reoffended": "",
                "rate": Measure(result.weighted_comparison, matched_n),
            },
        ),
    ]
    depends: dict[CellId, tuple[CellId, ...]] = {
        (key, "rate"): ((key, "people"), (key, "reoffended"))
        for key in ("cohort", "comparison", "matched")
    }
    # The weighted rate mixes the strata: hidden where the comparison or matched rate is.
    depends[("weighted", "rate")] = (
        ("comparison", "people"),
        ("comparison", "reoffended"),
        ("comparison", "rate"),
        ("matched", "people"),
        ("matched", "reoffended"),
        ("matched", "rate"),
    )
    empty = not (result.cohort or result.comparison)
    return TileData(
        columns=[
            Column("people", gettext_lazy("Disposals followed up")),
            Column("reoffended", gettext_lazy("Reoffended within 12 months")),
            Column("rate", gettext_lazy("Reoffending rate"), PERCENT),
        ],
        rows=rows,
        depends=depends,
        exact=sees_rows(user),
        chart=Chart("bar", ("rate",)),
        notes=[
            _("Disposals decided from %(start)s to %(end)s, each followed for 12 months.")
            % {"start": index_start.isoformat(), "end": index_end.isoformat()}
        ],
        missing=_("No disposal decided 12 months before this period has had its full follow-up.")
        if empty
        else "",
    )


register_tile(
    Tile(
        key="diversion-completion",
        title=gettext_lazy("Diversion contracts completed"),
        permission=PERMISSION,
        build=completion,
        definition=gettext_lazy(
            "Of the diversion contracts started in the period that have ended, the share "
            "completed: completed divided by completed and failed. Contracts still running are "
            "shown and not in the rate."
        ),
        anchor="dashboard-diversion-completion",
        source=SOURCE,
        order=60,
    )
)
register_tile(
    Tile(
        key="needs-reduction",
        title=gettext_lazy("Needs reduced by diversion"),
        permission=PERMISSION,
        build=needs,
        definition=gettext_lazy(
            "Over the contracts whose end assessment falls in the period, the risk factors (a "
            "pathway scored 2 or more) at the start that are gone at the end, per pathway."
        ),
        anchor="dashboard-needs-reduction",
        source=SOURCE,
        order=70,
    )
)
register_tile(
    Tile(
        key="reoffending",
        title=gettext_lazy("Reoffending within 12 months"),
        permission=PERMISSION,
        build=reoffending,
        definition=gettext_lazy(
            "Of the disposals decided 12 months before the period, the share followed by a "
            "disposal or charge for an offence committed within 12 months: people who started "
            "a diversion contract against a comparison group matched on age band, offence group "
            "and history."
        ),
        anchor="dashboard-reoffending",
        source=SOURCE,
        order=80,
    )
)
