"""Quarters: the period every referral figure is counted over (calendar quarters, named by
the financial year as the Welsh national returns are)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    """A quarter (first and last day, both included), aligned with the financial year."""

    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def financial_year(self) -> str:
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}-{str(first + 1)[-2:]}"

    @property
    def financial_quarter(self) -> int:
        return ((self.start.month - 4) % 12) // 3 + 1

    @property
    def label(self) -> str:
        return _("%(first)s to %(last)s (%(year)s quarter %(quarter)s)") % {
            "first": formats.date_format(self.start, "F"),
            "last": formats.date_format(self.end, "F Y"),
            "year": self.financial_year,
            "quarter": self.financial_quarter,
        }

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def quarter_of(day: dt.date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    next_start = dt.date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    return Period(start, next_start - dt.timedelta(days=1))


def previous_quarter(period: Period) -> Period:
    return quarter_of(period.start - dt.timedelta(days=1))


def recent_quarters(today: dt.date, count: int = 8) -> list[Period]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(previous_quarter(quarters[-1]))
    return quarters


def parse_quarter(value: str | None, today: dt.date, count: int = 8) -> Period:
    """The quarter named by its first day (as in the page's select), or the current one."""
    for period in recent_quarters(today, count):
        if period.key == value:
            return period
    return quarter_of(today)


def total_quarters(today: dt.date, count: int = 8) -> list[Period]:
    """Quarters a provider's total may be entered for: the finished ones (newest first)."""
    return recent_quarters(today, count + 1)[1:]
