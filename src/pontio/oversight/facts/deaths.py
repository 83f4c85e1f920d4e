"""Fact 1: drug-related deaths in Wales "up 128% in 13 years".

The ONS publishes *deaths related to drug poisoning* (every death whose underlying cause is
a drug poisoning) and the narrower *drug misuse deaths*. The files Pontio holds
(``oversight.ons``) carry the first, so that is what this fact counts, for Wales or for one
of its counties, by year of registration. On that definition 2005 to 2018 is 156 to 327
deaths, a rise of 110%; the deep dive's 128% cannot be reproduced from it (it may have used
the misuse definition or another pair of years). These are published official statistics
(Open Government Licence), so no count is suppressed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pontio.core.charts import Series, line_chart
from pontio.oversight import ons
from pontio.oversight.facts.base import (
    FactResult,
    Scope,
    change_percent,
    number,
    signed_percent,
    zero_base,
)
from pontio.oversight.facts.periods import DEEP_DIVE_SPAN, year_span

KEY = "drug_deaths"
ANCHOR = "fact-drug-deaths"
SEED = "128%"


def compute(scope: Scope) -> FactResult:
    county = scope.county
    if county is not None:
        area = ons.by_local_authority().get(county.ons_code)
        place = county.label
    else:
        area = ons.wales()
        place = _("Wales")
    title = _("Drug-related deaths in %(place)s") % {"place": place}
    definition = _(
        "The change in deaths related to drug poisoning (the ONS definition: every death whose "
        "underlying cause is a drug poisoning, not only the narrower “drug misuse deaths”) "
        "registered in the base year and in the end year, among residents of the area."
    )
    source = _("ONS file: %(file)s") % {"file": ons.SOURCE}
    base_year, end_year = year_span(scope.start, scope.end)
    notes: list[str] = []
    if area is None or not area.deaths:
        return _missing(
            title, definition, source, _("The ONS file holds no figures for this area.")
        )
    first_held, last_held = min(area.deaths), max(area.deaths)
    if end_year > last_held:
        notes.append(
            _("The ONS figures held end in %(year)s, so %(year)s is the end year.")
            % {"year": last_held}
        )
        end_year = last_held
    if base_year < first_held:
        notes.append(
            _("The ONS figures held start in %(year)s, so %(year)s is the base year.")
            % {"year": first_held}
        )
        base_year = first_held
    if base_year >= end_year:
        base_year = max(first_held, end_year - DEEP_DIVE_SPAN)
        notes.append(
            _("The period starts after the last year held, so the base year is %(year)s.")
            % {"year": base_year}
        )
    span = [year for year in range(base_year, end_year + 1) if year in area.deaths]
    base, end = area.deaths.get(base_year), area.deaths.get(end_year)
    headers = [_("Year of registration"), _("Deaths related to drug poisoning")]
    rows = [[str(year), number(area.deaths[year])] for year in span]
    chart = line_chart(
        [Series(_("Deaths related to drug poisoning"), [area.deaths[y] for y in span])],
        x_labels=[str(y) for y in span],
        title=_("Deaths related to drug poisoning registered in %(place)s, %(first)s to %(last)s")
        % {"place": place, "first": base_year, "last": end_year},
    )
    change = change_percent(base or 0, end or 0)
    deep_dive = _(
        "The deep dive said 128%; on this definition 2005 to 2018 in Wales is 156 to 327 "
        "deaths, a rise of 110%."
    )
    if change is None:
        value = None
        explanation = " ".join([zero_base(), *notes, deep_dive])
    else:
        value = signed_percent(change)
        word = _("rise") if change >= 0 else _("fall")
        explanation = " ".join(
            [
                _(
                    "A %(word)s of %(change)s from %(first)s to %(last)s (from %(base)s to "
                    "%(end)s deaths registered): (%(end)s - %(base)s) ÷ %(base)s."
                )
                % {
                    "change": signed_percent(abs(change)).lstrip("+"),
                    "word": word,
                    "first": base_year,
                    "last": end_year,
                    "base": number(base or 0),
                    "end": number(end or 0),
                },
                *notes,
                deep_dive,
            ]
        )
    return FactResult(
        key=KEY,
        title=title,
        value_text=value,
        explanation=explanation,
        base_label=str(base_year),
        base_value=float(base) if base is not None else None,
        end_label=str(end_year),
        end_value=float(end) if end is not None else None,
        definition=definition,
        definition_anchor=ANCHOR,
        source=source,
        missing=None,
        seed_value=SEED,
        chart=chart,
        table_headers=headers,
        table_rows=rows,
    )


def _missing(title: str, definition: str, source: str, missing: str) -> FactResult:
    return FactResult(
        key=KEY,
        title=title,
        value_text=None,
        explanation=missing,
        base_label="",
        base_value=None,
        end_label="",
        end_value=None,
        definition=definition,
        definition_anchor=ANCHOR,
        source=source,
        missing=missing,
        seed_value=SEED,
    )
