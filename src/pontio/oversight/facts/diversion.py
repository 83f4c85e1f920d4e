"""Fact 6: "risk factors down 60% on the diversion scheme".

The needs change of ``disposals.metrics.needs_change`` (docs/metrics.md, "Out-of-court
disposal outcomes"): over the diversion contracts whose end assessment falls in the period
and that were assessed at their start too, a pathway scored 2 or more is a risk factor; the
fact is the change in the number of risk factors from the start assessments to the end
ones. The rows are the user's ``aggregate`` scope; counts from 1 to 4, and a count that would
give one away through the total, are suppressed for people who may not open the contracts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from pontio.core.charts import Bar, bar_chart
from pontio.core.figures import SMALL, fewer_than
from pontio.core.scopes import restrict
from pontio.disposals import metrics as disposal_metrics
from pontio.disposals.models import AssessmentStage, DiversionContract, Pathway, PathwayScore
from pontio.disposals.selectors.outcomes import sees_rows
from pontio.oversight.facts.base import (
    FactResult,
    Scope,
    change_percent,
    count,
    number,
    signed_percent,
    suppressed_note,
    zero_base,
)
from pontio.referrals.metrics import Layout, protect, protected

KEY = "risk_factors"
ANCHOR = "fact-risk-factors"
SEED = "60%"
ALL = "all"


def assessed_contracts(scope: Scope) -> list[disposal_metrics.AssessedContract]:
    """Start and end scores of the contracts whose end assessment falls in the period (the
    rows of ``disposals.selectors.outcomes``, with the county chosen)."""
    contracts = restrict(DiversionContract.objects.all(), scope.user, "aggregate")
    if scope.county is not None:
        contracts = contracts.filter(county=scope.county)
    ended = contracts.filter(
        assessments__stage=AssessmentStage.END,
        assessments__assessed_on__gte=scope.start,
        assessments__assessed_on__lte=scope.end,
    ).values("pk")
    scores: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: {"start": {}, "end": {}})
    for contract, stage, pathway, score in (
        restrict(PathwayScore.objects.all(), scope.user, "aggregate")
        .filter(assessment__contract_id__in=ended)
        .order_by()
        .values_list("assessment__contract_id", "assessment__stage", "pathway", "score")
    ):
        scores[contract][stage][pathway] = score
    return [
        disposal_metrics.AssessedContract(start=s["start"], end=s["end"])
        for _pk, s in sorted(scores.items())
        if s["start"] and s["end"]
    ]


def compute(scope: Scope) -> FactResult:
    suppress = not sees_rows(scope.user)
    change = disposal_metrics.needs_change(assessed_contracts(scope), list(Pathway.values))
    labels = {str(value): str(label) for value, label in Pathway.choices}
    layout = Layout()
    layout.counts[("c", ALL, "contracts")] = change.contracts
    for pathway in change.pathways:
        layout.counts[("p", pathway.pathway, "start")] = pathway.risk_start
        layout.counts[("p", pathway.pathway, "end")] = pathway.risk_end
    layout.counts[("p", ALL, "start")] = change.risk_start
    layout.counts[("p", ALL, "end")] = change.risk_end
    for part in ("start", "end"):
        layout.groups.append((("p", ALL, part), [("p", p.pathway, part) for p in change.pathways]))
    hidden = protect(layout) if suppress else set()

    def cell(key: tuple[str, str, str], value: int) -> str:
        if key in hidden:
            return fewer_than() if 0 < value < SMALL else protected()
        return count(value, suppress)

    def reduction(key: str, start: int, end: int) -> str:
        if (("p", key, "start") in hidden) or (("p", key, "end") in hidden):
            return _("not shown")
        moved = change_percent(start, end)
        return _("no risk factors at the start") if moved is None else signed_percent(moved)

    headers = [
        _("Pathway"),
        _("Risk factors at the start"),
        _("Risk factors at the end"),
        _("Change"),
    ]
    rows: list[list[str]] = []
    bars: list[Bar] = []
    for pathway in change.pathways:
        rows.append(
            [
                labels.get(pathway.pathway, pathway.pathway),
                cell(("p", pathway.pathway, "start"), pathway.risk_start),
                cell(("p", pathway.pathway, "end"), pathway.risk_end),
                reduction(pathway.pathway, pathway.risk_start, pathway.risk_end),
            ]
        )
        gone = pathway.reduction
        shown = ("p", pathway.pathway, "start") not in hidden and gone is not None
        bars.append(
            Bar(
                labels.get(pathway.pathway, pathway.pathway),
                max(gone, 0.0) if shown and gone is not None else None,
                reason=_("not shown") if pathway.risk_start else _("none at the start"),
            )
        )
    rows.append(
        [
            _("All pathways"),
            cell(("p", ALL, "start"), change.risk_start),
            cell(("p", ALL, "end"), change.risk_end),
            reduction(ALL, change.risk_start, change.risk_end),
        ]
    )
    chart = bar_chart(
        bars,
        title=_("Risk factors gone by the end assessment, by pathway"),
        maximum=100,
        value_format=lambda v: f"{number(v, 1)}%",
    )
    contracts = cell(("c", ALL, "contracts"), change.contracts)
    base: dict[str, Any] = {
        "key": KEY,
        "title": _("Risk factors on the diversion scheme"),
        "base_label": _("Risk factors at the start"),
        "end_label": _("Risk factors at the end"),
        "definition": _(
            "Over the diversion contracts assessed at their start and at an end assessment in "
            "the period, the change in the number of risk factors (a pathway scored 2 or more) "
            "from the start assessments to the end ones."
        ),
        "definition_anchor": ANCHOR,
        "source": _("Pontio records (diversion needs assessments)"),
        "missing": None,
        "seed_value": SEED,
        "chart": chart,
        "table_headers": headers,
        "table_rows": rows,
    }
    moved = change_percent(change.risk_start, change.risk_end)
    whole_hidden = ("p", ALL, "start") in hidden or ("p", ALL, "end") in hidden
    if moved is None:
        return FactResult(
            value_text=None,
            explanation=" ".join(
                [zero_base(), _("Contracts assessed at start and end: %(n)s.") % {"n": contracts}]
            ),
            base_value=None,
            end_value=None,
            **base,
        )
    if whole_hidden:
        return FactResult(
            value_text=None,
            explanation=suppressed_note(),
            base_value=None,
            end_value=None,
            **base,
        )
    return FactResult(
        value_text=signed_percent(moved),
        explanation=_(
            "From %(start)s risk factors at the start assessments to %(end)s at the end ones "
            "(%(change)s), over %(contracts)s contracts: (%(end)s - %(start)s) ÷ %(start)s."
        )
        % {
            "start": number(change.risk_start),
            "end": number(change.risk_end),
            "change": signed_percent(moved),
            "contracts": contracts,
        },
        base_value=float(change.risk_start),
        end_value=float(change.risk_end),
        **base,
    )
