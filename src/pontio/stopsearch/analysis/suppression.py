"""Secondary suppression of the analysis tables: no small count can be worked out.

Primary suppression hides counts from 1 to 4. That is not enough where a table also shows
its total: "fewer than 5" beside a total 2 above the other rows is 2. So every count shown
to an aggregate viewer is a *cell* of one set, and each sum the page shows is a *group*
(``core.figures.suppressed_cells`` hides enough other cells that no group has exactly one
hidden cell). One set, because the same number appears in several tables: a county's
searches in "By county" and in "Searches and referrals by county", an ethnic group's in
"By officer-defined ethnicity" and "Disproportionality", the arrests in "All searches" and
as the current outcome "Arrest" in the outcome mix; hiding it in one and showing it in
another would give it away.

The groups (each total is shown in "All searches"):

- searches, finds and arrests: the total of each = the sum over the counties (with "County
  not known"), the months, the powers, the objects, the ethnic groups (with "Not
  recorded");
- searches = the sum of the current outcomes (arrests among them) = the sum of the
  outcomes at the time.

Rates are not cells: a rate, rate per 1,000 or ratio built on a hidden cell is not shown
(``display``), since with its denominator or population it gives the count back.
Referrals by county are counted apart (no total is shown) and populations are published.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from pontio.core.figures import suppressed_cells
from pontio.stopsearch.vocab import Outcome

if TYPE_CHECKING:
    from pontio.stopsearch.analysis.analyse import Analysis

Cell = tuple[Hashable, ...]

SEARCHES: Cell = ("searches",)
FINDS: Cell = ("finds",)
ARRESTS: Cell = ("arrests",)


def group_cells(by: str, key: str) -> tuple[Cell, Cell, Cell]:
    """The searches, finds and arrests cells of one row of a breakdown."""
    return ("searches", by, key), ("finds", by, key), ("arrests", by, key)


def current_cell(outcome: str) -> Cell:
    # Searches whose current outcome is an arrest are the arrests: one number, one cell.
    return ARRESTS if outcome == Outcome.ARREST else ("current", outcome)


def original_cell(outcome: str) -> Cell:
    return ("original", outcome)


def referral_cell(code: str) -> Cell:
    return ("referrals", code)


def hidden_cells(result: Analysis) -> frozenset[Cell]:
    """The cells an aggregate viewer may not see (none for exact figures)."""
    if not result.suppress:
        return frozenset()
    cells: dict[Cell, int] = {
        SEARCHES: result.summary.searches,
        FINDS: result.summary.find.numerator,
        ARRESTS: result.summary.arrest.numerator,
    }
    groups: list[tuple[Cell, list[Cell]]] = []
    for by, rows in result.groups.items():
        searches, finds, arrests = [], [], []
        for group in rows:
            s, f, a = group_cells(by, group.key)
            cells[s] = group.figures.searches
            cells[f] = group.figures.find.numerator
            cells[a] = group.figures.arrest.numerator
            searches.append(s)
            finds.append(f)
            arrests.append(a)
        groups += [(SEARCHES, searches), (FINDS, finds), (ARRESTS, arrests)]
    current, original = [], []
    for line in result.outcomes:
        cells[current_cell(line.key)] = line.current
        cells[original_cell(line.key)] = line.original
        current.append(current_cell(line.key))
        original.append(original_cell(line.key))
    groups += [(SEARCHES, current), (SEARCHES, original)]
    # Searches per county and per ethnic group are the breakdowns' cells (zero where a
    # group has no searches: a zero needs no protection); referrals stand alone.
    for county in result.counties:
        cells.setdefault(group_cells("county", county.code)[0], county.searches)
        cells[referral_cell(county.code)] = county.referrals
    for rate in result.disproportionality.groups:
        cells.setdefault(group_cells("ethnicity", rate.group)[0], rate.searches)
    cells.setdefault(group_cells("ethnicity", "")[0], result.disproportionality.not_recorded)
    return frozenset(suppressed_cells(cells, groups))
