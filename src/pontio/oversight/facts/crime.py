"""Fact 2: trafficking offences in Dyfed-Powys "up 49% from 2016 to 2018".

Pontio cannot compute it. The only crime data it holds are police.uk's street-level counts
(``CrimeCount``), whose one "Drugs" crime type puts possession and trafficking together:
the trafficking share needs recorded crime by Home Office offence code (the force's own
returns), which Pontio does not import. The tile says so, and shows the "Drugs" trend only
as context, clearly labelled as not the fact. police.uk data are published open data, so
no count is suppressed.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from pontio.core.charts import Series, line_chart
from pontio.core.scopes import restrict
from pontio.oversight.facts.base import FactResult, Scope, change_percent, number, signed_percent
from pontio.oversight.facts.periods import TRAFFICKING_SPAN, year_span
from pontio.oversight.models import CrimeCount

KEY = "trafficking"
ANCHOR = "fact-trafficking"
SEED = "49%"
DRUGS = "Drugs"


def compute(scope: Scope) -> FactResult:
    base_year, end_year = year_span(scope.start, scope.end, TRAFFICKING_SPAN)
    rows = restrict(CrimeCount.objects.all(), scope.user, "aggregate").filter(
        crime_type=DRUGS, month__year__gte=base_year, month__year__lte=end_year
    )
    if scope.county is not None:
        rows = rows.filter(county=scope.county)
    by_year: dict[int, int] = defaultdict(int)
    for year, total in (
        rows.order_by()
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(total=Sum("count"))
        .values_list("year", "total")
    ):
        by_year[year] += total or 0
    years = list(range(base_year, end_year + 1))
    missing = _(
        "Pontio holds no recorded crime by Home Office offence code. police.uk's “Drugs” "
        "crime type counts possession and trafficking together, so trafficking offences "
        "cannot be counted."
    )
    context = ""
    chart = None
    headers: list[str] = []
    table: list[list[str]] = []
    if by_year:
        change = change_percent(by_year.get(base_year, 0), by_year.get(end_year, 0))
        context = _(
            "For context only, not the fact: every police.uk “Drugs” crime (possession and "
            "trafficking together) went from %(base)s in %(first)s to %(end)s in %(last)s "
            "(%(change)s)."
        ) % {
            "base": number(by_year.get(base_year, 0)),
            "first": base_year,
            "end": number(by_year.get(end_year, 0)),
            "last": end_year,
            "change": signed_percent(change)
            if change is not None
            else _("no change can be computed from a zero base"),
        }
        headers = [_("Year"), _("police.uk “Drugs” crimes (possession and trafficking)")]
        table = [[str(y), number(by_year[y]) if y in by_year else _("not held")] for y in years]
        chart = line_chart(
            [
                Series(
                    _("“Drugs” crimes (context, not trafficking)"), [by_year.get(y) for y in years]
                )
            ],
            x_labels=[str(y) for y in years],
            title=_("Context only: police.uk “Drugs” crimes by year, %(first)s to %(last)s")
            % {"first": base_year, "last": end_year},
        )
    else:
        context = _("No police.uk “Drugs” counts have been imported for these years.")
    return FactResult(
        key=KEY,
        title=_("Drug trafficking offences"),
        value_text=None,
        explanation=" ".join([missing, context]),
        base_label=str(base_year),
        base_value=None,
        end_label=str(end_year),
        end_value=None,
        definition=_(
            "The change in recorded drug trafficking offences (Home Office offence codes for "
            "supply, production and possession with intent to supply) from the base year to "
            "the end year."
        ),
        definition_anchor=ANCHOR,
        source=_("police.uk import"),
        missing=missing,
        seed_value=SEED,
        chart=chart,
        table_headers=headers,
        table_rows=table,
    )
