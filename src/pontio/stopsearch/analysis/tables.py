"""The tables of the analysis: one description serves the page and its CSV export.

Every count goes through ``display.show_cell`` with the cell's key, so the secondary
suppression worked out once for the whole page (``suppression``) applies to every table and
to the CSV alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.stopsearch.analysis.analyse import Analysis
from pontio.stopsearch.analysis.display import show_cell, show_per_thousand, show_rate, show_ratio
from pontio.stopsearch.analysis.figures import Figures, labels_for
from pontio.stopsearch.analysis.suppression import (
    ARRESTS,
    FINDS,
    SEARCHES,
    Cell,
    current_cell,
    group_cells,
    original_cell,
    referral_cell,
)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    empty: str
    definition: str = ""  # anchor of the definition on the page


class Cells:
    """Shows the counts of one analysis, suppressed for aggregate viewers."""

    def __init__(self, result: Analysis) -> None:
        self.suppress = result.suppress
        self.hidden = result.hidden

    def is_hidden(self, *cells: Cell) -> bool:
        return any(cell in self.hidden for cell in cells)

    def count(self, cell: Cell, value: int) -> str:
        return show_cell(value, self.suppress, cell in self.hidden)

    def figures(self, figures: Figures, cells: tuple[Cell, Cell, Cell]) -> list[str]:
        searches, finds, arrests = cells
        return [
            self.count(searches, figures.searches),
            self.count(finds, figures.find.numerator),
            show_rate(figures.find, self.suppress, self.is_hidden(searches, finds)),
            self.count(arrests, figures.arrest.numerator),
            show_rate(figures.arrest, self.suppress, self.is_hidden(searches, arrests)),
        ]


def _figure_headers(first: str) -> list[str]:
    return [
        first,
        _("Searches"),
        _("Object found"),
        _("Find rate (95% CI)"),
        _("Arrests"),
        _("Arrest rate (95% CI)"),
    ]


def not_recorded(result: Analysis) -> str:
    """Searches with no officer-defined ethnicity (in no group), as the page shows them."""
    cell = group_cells("ethnicity", "")[0]
    return Cells(result).count(cell, result.disproportionality.not_recorded)


def tables(result: Analysis) -> list[Table]:
    show = Cells(result)
    no_searches = _("No searches match these filters.")
    built = [
        Table(
            "summary",
            _("All searches"),
            _figure_headers(_("Figures")),
            [[_("All searches"), *show.figures(result.summary, (SEARCHES, FINDS, ARRESTS))]],
            no_searches,
            "def-find-rate",
        )
    ]
    breakdowns = {
        "county": (_("By county"), _("County")),
        "month": (_("By month"), _("Month")),
        "power": (_("By power"), _("Power (legislation)")),
        "object": (_("By object of search"), _("Object of search")),
        "ethnicity": (_("By officer-defined ethnicity"), _("Officer-defined ethnicity")),
    }
    for by, (title, first) in breakdowns.items():
        built.append(
            Table(
                f"by-{by}",
                title,
                _figure_headers(first),
                [
                    [group.label, *show.figures(group.figures, group_cells(by, group.key))]
                    for group in result.groups[by]
                ],
                no_searches,
                "def-find-rate",
            )
        )
    built.append(
        Table(
            "outcomes",
            _("Outcome mix"),
            [_("Outcome"), _("Current outcome"), _("Outcome at the time")],
            [
                [
                    line.label,
                    show.count(current_cell(line.key), line.current),
                    show.count(original_cell(line.key), line.original),
                ]
                for line in result.outcomes
            ],
            no_searches,
            "def-outcome-mix",
        )
    )
    ratios = result.disproportionality
    ethnicity = labels_for("ethnicity", {})
    reference = group_cells("ethnicity", "White")[0]
    disproportionality_rows = []
    for line in ratios.groups:
        cell = group_cells("ethnicity", line.group)[0]
        disproportionality_rows.append(
            [
                str(ethnicity.get(line.group, line.group)),
                show.count(cell, line.searches),
                formats.number_format(line.population, force_grouping=True),
                show_per_thousand(
                    line.per_thousand, line.searches, show.suppress, show.is_hidden(cell)
                ),
                show_ratio(line, show.suppress, show.is_hidden(cell, reference)),
            ]
        )
    built.append(
        Table(
            "disproportionality",
            _("Disproportionality by officer-defined ethnicity"),
            [
                _("Officer-defined ethnicity"),
                _("Searches"),
                _("Residents (Census 2011: %(area)s)") % {"area": ratios.population.name},
                _("Searches per 1,000 residents"),
                _("Rate ratio to White (95% CI)"),
            ],
            disproportionality_rows,
            no_searches,
            "def-disproportionality",
        )
    )
    county_rows = []
    for county in result.counties:
        cell = group_cells("county", county.code)[0]
        county_rows.append(
            [
                county.label,
                show.count(cell, county.searches),
                formats.number_format(county.population, force_grouping=True),
                show_per_thousand(
                    county.per_thousand, county.searches, show.suppress, show.is_hidden(cell)
                ),
                show.count(referral_cell(county.code), county.referrals),
            ]
        )
    built.append(
        Table(
            "counties",
            _("Searches and referrals from stop and search, by county"),
            [
                _("County"),
                _("Searches"),
                _("Residents (Census 2011)"),
                _("Searches per 1,000 residents"),
                _("Referrals from stop and search"),
            ],
            county_rows,
            no_searches,
            "def-missed-chances",
        )
    )
    if result.trend is not None:
        built.append(
            Table(
                "drugs-trend",
                _("Drugs crimes recorded (police.uk street crime)"),
                [_("Month"), _("Force"), _("Crimes of type “Drugs”")],
                [
                    [
                        formats.date_format(line.month, "F Y"),
                        line.falls_within,
                        formats.number_format(line.crimes, force_grouping=True),
                    ]
                    for line in result.trend
                ],
                _("No street crime imported for these months."),
                "def-drugs-trend",
            )
        )
    return built
