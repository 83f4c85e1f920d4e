"""Working-day arithmetic for service-level timers, with Welsh bank holidays.

Bank holidays in Wales are those of England and Wales (Banking and Financial Dealings Act
1971, Sch 1, plus royal proclamations for one-off days). They come from the maintained
``holidays`` library (``holidays.UK(subdiv="WLS")``), never from a hand-kept list.
A working day is Monday to Friday and not a bank holiday in Wales.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _welsh_bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.UK(subdiv="WLS", years=year).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _welsh_bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (before it, if ``days`` is negative).

    The start day itself is day 0, so a referral made on a Friday with a 1-working-day
    target is due the following Monday (or Tuesday if Monday is a bank holiday).
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def _weekdays_after(start: dt.date, end: dt.date) -> int:
    """Mondays to Fridays after ``start`` up to and including ``end`` (end >= start)."""
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start).

    ``working_days_between(d, add_working_days(d, n)) == n`` for every n >= 0. Counted by
    whole weeks rather than day by day: an inbox row overdue by months asks for this.
    """
    if end < start:
        return -working_days_between(end, start)
    holidays_in_range = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _welsh_bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return _weekdays_after(start, end) - holidays_in_range
