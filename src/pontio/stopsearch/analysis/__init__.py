"""Stop and search analysis: the figures of the analysis page, its CSV and the home panel.

The exact definitions are in docs/stopsearch-analysis.md and the tests in
``tests/test_analysis.py`` check them against figures worked out by hand:

- searches: records of Dyfed-Powys searches in the period (made in Pontio, imported from
  police.uk, or both);
- find rate: searches that found what they were for (``found`` is "object": asked on every
  search recorded in Pontio, derived from the vocabulary of a police.uk row where it says)
  or whose *current* outcome is linked to the object of the search (``current_linked`` is
  True) ÷ searches, with a Wilson 95% interval;
- arrest rate: searches whose *current* outcome is an arrest ÷ searches, with a Wilson
  95% interval;
- outcome mix: searches by current outcome and by outcome at the time, side by side;
- disproportionality: searches per 1,000 residents of each officer-defined ethnic group
  (Census 2011 denominators, ``denominators``), and each group's rate ÷ the White group's
  rate, with a 95% confidence interval on the log scale.

Small numbers are suppressed for people who see aggregates only (OPCC analyst, panel
member, operations lead) with the kernel's rules (``core.figures``), and secondary
suppression makes sure none can be worked out by subtraction (``suppression``); inspectors
see exact figures for their area.

Modules: ``query`` (filters and the rows counted), ``stats`` (intervals), ``figures``,
``disproportionality``, ``counties``, ``trend``, ``analyse`` (all of them for one user),
``suppression``, ``display`` (figures as text) and ``tables`` (the page's and the CSV's).
"""

from pontio.core.figures import SMALL, Rate, fewer_than, is_small, show_count
from pontio.stopsearch.analysis.analyse import Analysis, analyse
from pontio.stopsearch.analysis.counties import CountyLine, county_referrals, stop_search_referrals
from pontio.stopsearch.analysis.display import show_cell, show_per_thousand, show_rate, show_ratio
from pontio.stopsearch.analysis.disproportionality import (
    NO_RATIO_REASONS,
    REFERENCE_GROUP,
    Disproportionality,
    GroupRate,
    disproportionality,
)
from pontio.stopsearch.analysis.figures import (
    BREAKDOWNS,
    Figures,
    Group,
    OutcomeLine,
    breakdown,
    figures,
    labels_for,
    outcome_mix,
)
from pontio.stopsearch.analysis.query import (
    FORCE,
    Filters,
    SourceChoice,
    apply_filters,
    area_codes,
    area_county_codes,
    county_labels,
    referrals_for,
    rows_for,
    search_rows,
    sees_exact,
)
from pontio.stopsearch.analysis.stats import Interval, RateRatio, rate_ratio, wilson
from pontio.stopsearch.analysis.suppression import hidden_cells
from pontio.stopsearch.analysis.tables import Table, not_recorded, tables
from pontio.stopsearch.analysis.trend import DRUGS, TrendLine, drugs_trend

__all__ = [
    "BREAKDOWNS",
    "DRUGS",
    "FORCE",
    "NO_RATIO_REASONS",
    "REFERENCE_GROUP",
    "SMALL",
    "Analysis",
    "CountyLine",
    "Disproportionality",
    "Figures",
    "Filters",
    "Group",
    "GroupRate",
    "Interval",
    "OutcomeLine",
    "Rate",
    "RateRatio",
    "SourceChoice",
    "Table",
    "TrendLine",
    "analyse",
    "apply_filters",
    "area_codes",
    "area_county_codes",
    "breakdown",
    "county_labels",
    "county_referrals",
    "disproportionality",
    "drugs_trend",
    "fewer_than",
    "figures",
    "hidden_cells",
    "is_small",
    "labels_for",
    "not_recorded",
    "outcome_mix",
    "rate_ratio",
    "referrals_for",
    "rows_for",
    "search_rows",
    "sees_exact",
    "show_cell",
    "show_count",
    "show_per_thousand",
    "show_rate",
    "show_ratio",
    "stop_search_referrals",
    "tables",
    "wilson",
]
