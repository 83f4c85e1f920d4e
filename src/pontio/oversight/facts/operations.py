"""Fact 7: "117 people convicted and £23.6m of Class A drugs disrupted".

Read from the operations app's results (``operations.selectors.results_totals``): the
convictions recorded against the force's drug-disruption operations in the period, and the
estimated street value of the Class A drugs they seized. Class A is the Misuse of Drugs Act
1971, Schedule 2 Part I: of the seizure types recorded, cocaine, crack cocaine, heroin and
MDMA (ketamine, cannabis and synthetic cannabinoids are Class B). Convictions are people:
suppressed from 1 to 4 for those who may not open the records; money is not suppressed.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from pontio.core.charts import Bar, bar_chart
from pontio.core.figures import is_small
from pontio.core.permissions import has_permission
from pontio.operations.models import DrugType
from pontio.operations.selectors import results_totals
from pontio.oversight.facts.base import FactResult, Scope, count, money, number

KEY = "operations"
ANCHOR = "fact-operations"
SEED = "117 people convicted; £23.6m of Class A disrupted"
CLASS_A = frozenset({DrugType.COCAINE, DrugType.CRACK_COCAINE, DrugType.HEROIN, DrugType.MDMA})


def compute(scope: Scope) -> FactResult:
    title = _("Convictions and Class A drugs disrupted by operations")
    definition = _(
        "People convicted after the force's operations against drug supply in the period, "
        "and the estimated street value of the Class A drugs those operations seized."
    )
    source = _("Pontio operation results")
    totals = results_totals(scope.user, scope.start, scope.end, scope.county)
    suppress = not has_permission(scope.user, "operations.view")
    class_a = [s for s in totals.seizures if s.drug in CLASS_A]
    value = Decimal(sum(s.street_value_pence for s in class_a)) / 100
    if not totals.operations:
        missing = _("No operation recorded a result or a seizure in this period.")
        return FactResult(
            key=KEY,
            title=title,
            value_text=None,
            explanation=missing,
            base_label=_("People convicted"),
            base_value=None,
            end_label=_("Class A drugs disrupted (street value, £)"),
            end_value=None,
            definition=definition,
            definition_anchor=ANCHOR,
            source=source,
            missing=missing,
            seed_value=SEED,
        )
    convicted = count(totals.convictions, suppress)
    explanation = _(
        "%(convicted)s convicted after %(operations)s operations; %(value)s of Class A drugs "
        "seized (estimated street value), of %(all)s of all drugs."
    ) % {
        "convicted": convicted,
        "operations": number(totals.operations),
        "value": money(value),
        "all": money(totals.street_value_pounds),
    }
    bars = [Bar(s.label, float(s.street_value_pounds)) for s in totals.seizures]
    hidden = suppress and is_small(totals.convictions)
    return FactResult(
        key=KEY,
        title=title,
        value_text=_("%(convicted)s convicted; %(value)s of Class A disrupted")
        % {"convicted": convicted, "value": money(value)},
        explanation=explanation,
        base_label=_("People convicted"),
        base_value=None if hidden else float(totals.convictions),
        end_label=_("Class A drugs disrupted (street value, £)"),
        end_value=float(value),
        definition=definition,
        definition_anchor=ANCHOR,
        source=source,
        missing=None,
        seed_value=SEED,
        chart=bar_chart(
            bars,
            title=_("Drugs seized by type: estimated street value"),
            value_format=lambda pounds: money(round(pounds)),
        )
        if bars
        else None,
        table_headers=[_("Drug"), _("Class A"), _("Seizures"), _("Street value")],
        table_rows=[
            [
                s.label,
                _("Yes") if s.drug in CLASS_A else _("No"),
                number(s.seizures),
                money(s.street_value_pounds),
            ]
            for s in totals.seizures
        ],
    )
