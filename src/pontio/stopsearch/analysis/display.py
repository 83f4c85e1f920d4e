"""Figures as text, suppressed for people who see aggregates only.

``hidden`` says a cell was hidden by *secondary* suppression (``suppression``): it is not
small, but showing it would let a small one be worked out by subtraction. Such a count is
shown as "not shown", and a rate, rate per 1,000 or ratio built on it is not shown either
(it would give the count back through the denominator or the population).
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.core.figures import SMALL, Rate, fewer_than, is_small, rate_suppressed
from pontio.stopsearch.analysis.disproportionality import NO_RATIO_REASONS, GroupRate
from pontio.stopsearch.analysis.stats import wilson


def show_cell(count: int, suppress: bool, hidden: bool = False) -> str:
    """A count: "fewer than 5" when small, "not shown" when hidden to protect another."""
    if suppress and is_small(count):
        return fewer_than()
    if suppress and hidden:
        return _("not shown")
    return formats.number_format(count)


def _percent(value: float) -> str:
    return formats.number_format(round(100 * value, 1), 1)


def show_rate(rate: Rate, suppress: bool, hidden: bool = False) -> str:
    """ "30.0% (95% CI 10.8% to 60.3%)", or why it is not shown."""
    if not rate.denominator:
        return _("no searches")
    if suppress and rate_suppressed(rate):
        return _("not shown: too few searches")
    if suppress and hidden:
        return _("not shown")
    interval = wilson(rate.numerator, rate.denominator)
    if interval is None:
        return _("no searches")
    return _("%(percent)s%% (95%% CI %(low)s%% to %(high)s%%)") % {
        "percent": _percent(rate.numerator / rate.denominator),
        "low": _percent(interval.low),
        "high": _percent(interval.high),
    }


def show_per_thousand(
    value: float | None, searches: int, suppress: bool, hidden: bool = False
) -> str:
    if value is None:
        return _("no residents in the Census")
    if suppress and is_small(searches):
        return _("not shown: too few searches")
    if suppress and hidden:
        return _("not shown")
    return formats.number_format(round(value, 3), 3, force_grouping=True)


def _ratio_number(value: float) -> str:
    return formats.number_format(round(value, 2), 2, force_grouping=True)


def show_ratio(line: GroupRate, suppress: bool, hidden: bool = False) -> str:
    """ "2.35 (95% CI 1.10 to 5.02)", or why there is no ratio or it is not shown."""
    if line.reason:
        if line.reason == "reference":
            return "1.00 (" + str(NO_RATIO_REASONS["reference"]) + ")"
        return str(NO_RATIO_REASONS[line.reason])
    if suppress and (line.searches < SMALL or line.reference_searches < SMALL):
        return _("not shown: fewer than %(n)s searches in a group compared") % {"n": SMALL}
    if suppress and hidden:
        return _("not shown")
    if line.ratio is None:
        return ""
    if line.ratio.interval is None:
        return _ratio_number(line.ratio.ratio)
    return _("%(ratio)s (95%% CI %(low)s to %(high)s)") % {
        "ratio": _ratio_number(line.ratio.ratio),
        "low": _ratio_number(line.ratio.interval.low),
        "high": _ratio_number(line.ratio.interval.high),
    }
