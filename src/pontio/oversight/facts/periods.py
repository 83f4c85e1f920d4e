"""The periods the facts are counted over.

The page asks for a period (two days, both included); each fact reads it the way its
source is published:

- changes over years (drug deaths, drug crime): from the period's first calendar year to
  its last; a period of a year or less means the deep dive's span, 13 years up to the
  calendar year that holds most of the period (2018 for April 2018 to March 2019);
- sums and rates (investment, police share, treatment outcomes, diversion): over the days
  of the period, quarterly figures counted for every quarter that overlaps it.

The default period is the last financial year that has ended (April to March): the deep
dive's "last year" was a financial year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext as _

from pontio.referrals.metrics.periods import Period, quarter_of

# "Up 128% in 13 years": the deep dive compared 2005 with 2018; its trafficking fact
# compared 2016 with 2018.
DEEP_DIVE_SPAN = 13
TRAFFICKING_SPAN = 2


def financial_year_of(day: dt.date) -> int:
    """The year a financial year starts in (April 2018 to March 2019 is 2018)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(first: int) -> tuple[dt.date, dt.date]:
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def financial_year_label(first: int) -> str:
    return f"{first}-{str(first + 1)[-2:]}"


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last financial year that has ended by ``today``."""
    return financial_year(financial_year_of(today) - 1)


def year_span(start: dt.date, end: dt.date, span: int = DEEP_DIVE_SPAN) -> tuple[int, int]:
    """The base and end years of a change over years.

    A period of more than a year runs from its first calendar year to its last. A period of
    a year or less (a financial year, a quarter) is read as the deep dive read "last year":
    the calendar year holding most of its days, against ``span`` years before it.
    """
    if (end - start).days >= 366:
        return start.year, end.year
    days: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        days[year] = overlap_days(start, end, dt.date(year, 1, 1), dt.date(year, 12, 31))
    main = max(days, key=lambda y: (days[y], y))
    return main - span, main


def quarters(start: dt.date, end: dt.date) -> list[Period]:
    """Every calendar quarter that overlaps the period, oldest first."""
    found: list[Period] = []
    quarter = quarter_of(start)
    while quarter.start <= end:
        found.append(quarter)
        quarter = quarter_of(quarter.end + dt.timedelta(days=1))
    return found


def quarter_label(quarter: Period) -> str:
    """ "2018-19 Q1" (financial year and quarter, as the returns are named)."""
    return _("%(year)s Q%(quarter)s") % {
        "year": quarter.financial_year,
        "quarter": quarter.financial_quarter,
    }


def is_quarter_start(day: dt.date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)


def overlap_days(start: dt.date, end: dt.date, first: dt.date, last: dt.date) -> int:
    """Days (both ends included) that [first, last] shares with [start, end]."""
    low, high = max(start, first), min(end, last)
    return max((high - low).days + 1, 0)


def years(first: int, last: int) -> Iterator[int]:
    return iter(range(first, last + 1))
