"""How the referral figures are shown: exactly to people who may open the referrals, and
with small-number suppression to aggregate viewers (the OPCC analyst).

*Primary* suppression (``core.figures``) shows counts from 1 to 4 as "fewer than 5" and
hides a percentage that could reveal such a count through its numerator or the rest of its
denominator. *Secondary* suppression (``core.figures.suppressed_cells``) hides more: the
breakdowns by county, by police contact and by provider add up to the quarter's figures,
and a percentage shows its numerator and denominator, so a hidden cell could otherwise be
worked out by subtracting the cells shown beside it from their total. Every count on the
page is a cell; each (total, parts) pair that adds up is a group; the three numbers of a
percentage (numerator, denominator, the rest) are shown or hidden together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.core.figures import SMALL, Rate, fewer_than, is_small, rate_suppressed, suppressed_cells
from pontio.referrals.metrics.measures import OUTCOME_NAMES, Group, PoliceShare, Summary

Cell = tuple[str, str, str]  # (table, row key, measure)
TOTAL = "total"
COUNT = "referrals"
RATES = ("assessed", "treatment", "reduced_use")
PARTS = ("num", "den", "rest")
# The outcome against the reason for referral: the quarter's closures, and by police contact.
OUTCOME = "outcome"
OUTCOME_TABLES = ("pathway",)


# --- one cell at a time --------------------------------------------------------------


def protected() -> str:
    """A cell hidden so that a small count next to it cannot be worked out."""
    return _("not shown: it would reveal a small count")


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


# --- the cells of the page and how they add up ---------------------------------------


@dataclass
class Layout:
    counts: dict[Cell, int] = field(default_factory=dict)
    groups: list[tuple[Cell, list[Cell]]] = field(default_factory=list)
    # Cells shown together (the numbers of one percentage): one hidden hides them all.
    linked: list[tuple[Cell, ...]] = field(default_factory=list)


def rate_of(summary: Summary, name: str) -> Rate:
    if name == "assessed":
        return summary.assessed
    if name == "treatment":
        return summary.treatment_within_window
    return summary.reduced_use.rate


def rate_cells(table: str, row: str, name: str) -> tuple[Cell, Cell, Cell]:
    return (table, row, f"{name}.num"), (table, row, f"{name}.den"), (table, row, f"{name}.rest")


def _add_summary(layout: Layout, table: str, row: str, summary: Summary) -> None:
    layout.counts[(table, row, COUNT)] = summary.referrals
    for name in RATES:
        rate = rate_of(summary, name)
        num, den, rest = rate_cells(table, row, name)
        layout.counts.update(
            {num: rate.numerator, den: rate.denominator, rest: rate.denominator - rate.numerator}
        )
        layout.groups.append((den, [num, rest]))
        layout.linked.append((num, den, rest))


def layout_of(
    summary: Summary, breakdowns: Mapping[str, Sequence[Group]], share: PoliceShare | None
) -> Layout:
    """Every count the metrics page shows, the totals they add up to, and the linked ones."""
    layout = Layout()
    _add_summary(layout, TOTAL, "", summary)
    use = summary.reduced_use
    # The use table's "reduced" is the reduced-use numerator; the others split the rest.
    for name in ("unchanged", "increased", "not_disclosed", "no_use_at_start"):
        layout.counts[("use", "", name)] = getattr(use, name)
    rest = rate_cells(TOTAL, "", "reduced_use")[2]
    layout.groups.append((rest, [("use", "", "unchanged"), ("use", "", "increased")]))
    layout.counts[(TOTAL, "", "no_first_contact")] = summary.no_first_contact
    measures = [COUNT, *(f"{name}.{part}" for name in RATES for part in PARTS)]
    for table, groups in breakdowns.items():
        for group in groups:
            _add_summary(layout, table, group.key, group.summary)
        for measure in measures:
            layout.groups.append(
                ((TOTAL, "", measure), [(table, group.key, measure) for group in groups])
            )
    _add_outcomes(layout, summary, breakdowns)
    if share is not None:
        through: list[Cell] = []
        consistent: list[Cell] = []
        for provider in share.providers:
            cell = ("share", str(provider.provider_id), "through")
            layout.counts[cell] = provider.through_pontio
            through.append(cell)
            if provider.consistent:
                consistent.append(cell)
        # Referrals by provider add up to the quarter's referrals.
        layout.groups.append(((TOTAL, "", COUNT), through))
        overall = share.overall
        if overall is not None:
            layout.counts[("share", "", "overall")] = overall.numerator
            layout.groups.append((("share", "", "overall"), consistent))
    return layout


def _add_outcomes(
    layout: Layout, summary: Summary, breakdowns: Mapping[str, Sequence[Group]]
) -> None:
    """The closures by outcome add up to the closures, in the total and in each row of the
    breakdown; each outcome's rows add up to the quarter's."""
    names = ("closed", *OUTCOME_NAMES)

    def add(table: str, row: str, of: Summary) -> None:
        outcomes = of.outcomes
        layout.counts[(table, row, "closed")] = outcomes.closed
        for name in OUTCOME_NAMES:
            layout.counts[(table, row, name)] = getattr(outcomes, name)
        layout.groups.append(((table, row, "closed"), [(table, row, n) for n in OUTCOME_NAMES]))

    add(OUTCOME, "", summary)
    for table in OUTCOME_TABLES:
        groups = breakdowns.get(table, ())
        for group in groups:
            add(f"{OUTCOME}:{table}", group.key, group.summary)
        for name in names:
            layout.groups.append(
                ((OUTCOME, "", name), [(f"{OUTCOME}:{table}", g.key, name) for g in groups])
            )


def protect(layout: Layout) -> set[Cell]:
    """The cells to hide from an aggregate viewer: small ones, then enough others (and the
    cells linked to a hidden one) that no hidden cell can be worked out."""
    hidden: set[Cell] = set()
    while True:
        # A cell already hidden for a link counts as small, so the groups protect it too.
        counts = {cell: 1 if cell in hidden else count for cell, count in layout.counts.items()}
        found = suppressed_cells(counts, layout.groups)
        for cells in layout.linked:
            if found & set(cells):
                found |= set(cells)
        if found == hidden:
            return hidden
        hidden = found


# --- the page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """The figures as the metrics page shows them to one user."""

    figures: list[dict[str, str]]
    use: dict[str, str]
    no_first_contact: str
    breakdowns: dict[str, list[dict[str, Any]]]
    share: list[dict[str, str]] | None
    share_overall: str
    # Closures by outcome against the reason for referral (names: closed, *OUTCOME_NAMES).
    outcomes: dict[str, str] = field(default_factory=dict)
    outcomes_by: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class _Cells:
    def __init__(self, hidden: set[Cell], suppress: bool) -> None:
        self.hidden = hidden
        self.suppress = suppress

    def count(self, value: int, cell: Cell | None = None) -> str:
        if self.suppress and is_small(value):
            return fewer_than()
        if self.suppress and cell in self.hidden:
            return protected()
        return formats.number_format(value)

    def rate(self, rate: Rate | None, cells: Iterable[Cell] = ()) -> str:
        if (
            self.suppress
            and rate is not None
            and rate.percent is not None
            and not rate_suppressed(rate)
            and self.hidden & set(cells)
        ):
            return protected()
        return show_rate(rate, self.suppress)


def _figures(shown: _Cells, table: str, row: str, summary: Summary) -> list[dict[str, str]]:
    timing = summary.first_contact
    rates = {
        name: shown.rate(rate_of(summary, name), rate_cells(table, row, name)) for name in RATES
    }
    return [
        {
            "label": _("Referrals sent"),
            "value": shown.count(summary.referrals, (table, row, COUNT)),
            "anchor": "def-referrals",
        },
        {
            "label": _("Time to first contact attempt (median)"),
            "value": show_days(timing.median, timing.count, shown.suppress),
            "anchor": "def-first-contact",
        },
        {
            "label": _("Time to first contact attempt (mean)"),
            "value": show_days(timing.mean, timing.count, shown.suppress),
            "anchor": "def-first-contact",
        },
        {"label": _("Assessed"), "value": rates["assessed"], "anchor": "def-assessed"},
        {
            "label": _("Treatment started within 20 working days"),
            "value": rates["treatment"],
            "anchor": "def-treatment",
        },
        {
            "label": _("Reduced use of the main substance"),
            "value": rates["reduced_use"],
            "anchor": "def-reduced-use",
        },
    ]


def _shares(shown: _Cells, share: PoliceShare) -> list[dict[str, str]]:
    rows = []
    for provider in share.providers:
        cell = ("share", str(provider.provider_id), "through")
        if provider.reported_total is None:
            value = _("total not entered")
            total = "-"
        elif not provider.consistent:
            value = _("total entered is below the referrals received through Pontio")
            total = formats.number_format(provider.reported_total)
        else:
            # The share shows the count received through Pontio: hidden with it.
            value = shown.rate(provider.rate, [cell])
            total = formats.number_format(provider.reported_total)
        rows.append(
            {
                "provider": provider.provider_name,
                "through_pontio": shown.count(provider.through_pontio, cell),
                "total": total,
                "share": value,
            }
        )
    return rows


def shown_figures(
    summary: Summary,
    breakdowns: Mapping[str, Sequence[Group]],
    share: PoliceShare | None,
    suppress: bool,
) -> Shown:
    """The figures of the page, with both kinds of suppression when ``suppress``."""
    hidden = protect(layout_of(summary, breakdowns, share)) if suppress else set()
    shown = _Cells(hidden, suppress)
    use = summary.reduced_use
    return Shown(
        figures=_figures(shown, TOTAL, "", summary),
        use={
            "reduced": shown.count(use.reduced, rate_cells(TOTAL, "", "reduced_use")[0]),
            **{
                name: shown.count(getattr(use, name), ("use", "", name))
                for name in ("unchanged", "increased", "not_disclosed", "no_use_at_start")
            },
        },
        no_first_contact=shown.count(summary.no_first_contact, (TOTAL, "", "no_first_contact")),
        breakdowns={
            table: [
                {
                    "label": group.label,
                    "cells": [f["value"] for f in _figures(shown, table, group.key, group.summary)],
                }
                for group in groups
            ]
            for table, groups in breakdowns.items()
        },
        share=_shares(shown, share) if share is not None else None,
        share_overall=(
            shown.rate(share.overall, [("share", "", "overall")]) if share is not None else ""
        ),
        outcomes=_outcomes(shown, OUTCOME, "", summary),
        outcomes_by={
            table: [
                {
                    "label": group.label,
                    "cells": _outcomes(shown, f"{OUTCOME}:{table}", group.key, group.summary),
                }
                for group in breakdowns.get(table, ())
            ]
            for table in OUTCOME_TABLES
        },
    )


def _outcomes(shown: _Cells, table: str, row: str, summary: Summary) -> dict[str, str]:
    outcomes = summary.outcomes
    return {
        name: shown.count(
            outcomes.closed if name == "closed" else getattr(outcomes, name), (table, row, name)
        )
        for name in ("closed", *OUTCOME_NAMES)
    }
