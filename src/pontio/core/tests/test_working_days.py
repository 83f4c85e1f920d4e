"""Working days in Wales: weekends and Welsh bank holidays (from the ``holidays`` library)."""

from __future__ import annotations

import datetime as dt

import pytest

from pontio.core.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 5, 4), "Early May bank holiday"),
        (D(2026, 5, 25), "Spring bank holiday"),
        (D(2026, 8, 31), "Summer bank holiday (England and Wales, not Scotland's)"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day substitute (26th is a Saturday)"),
        (D(2025, 4, 18), "Good Friday 2025"),
        (D(2027, 3, 29), "Easter Monday 2027"),
    ],
)
def test_welsh_bank_holidays_are_not_working_days(day: dt.date, name: str) -> None:
    assert is_bank_holiday(day), name
    assert not is_working_day(day), name


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 2),  # Scotland's 2 January is not a holiday in Wales
        D(2026, 8, 3),  # Scotland's summer holiday (first Monday of August)
        D(2026, 11, 30),  # St Andrew's Day
        D(2026, 3, 2),  # the Monday after St David's Day: not a bank holiday
        D(2026, 3, 17),  # St Patrick's Day (Northern Ireland only)
        D(2026, 7, 13),  # Battle of the Boyne substitute (Northern Ireland only)
    ],
)
def test_holidays_of_other_nations_are_working_days_in_wales(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not is_bank_holiday(day)
    assert is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert not is_working_day(D(2026, 3, 8))  # Sunday
    assert is_working_day(D(2026, 3, 9))  # Monday


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 1, 9), 0, D(2026, 1, 9)),  # day 0 is the start itself
        (D(2026, 1, 9), 1, D(2026, 1, 12)),  # Friday + 1 -> Monday (over a weekend)
        (D(2026, 1, 7), 5, D(2026, 1, 14)),  # Wednesday + 5 -> next Wednesday
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Thursday before Easter -> Tuesday after
        (D(2026, 4, 3), 1, D(2026, 4, 7)),  # from Good Friday itself
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Christmas, weekend, Boxing Day substitute
        (D(2026, 12, 24), 2, D(2026, 12, 30)),
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # across the year end and New Year's Day
        (D(2026, 4, 7), -1, D(2026, 4, 2)),  # backwards over Easter
        (D(2026, 1, 12), -1, D(2026, 1, 9)),  # backwards over a weekend
        (D(2026, 5, 22), 1, D(2026, 5, 26)),  # Friday before the spring bank holiday
    ],
)
def test_add_working_days(start: dt.date, days: int, expected: dt.date) -> None:
    assert add_working_days(start, days) == expected


def test_working_days_between_examples() -> None:
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 1
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 3
    assert working_days_between(D(2026, 1, 9), D(2026, 1, 9)) == 0
    assert working_days_between(D(2026, 1, 12), D(2026, 1, 9)) == -1
    # A whole non-leap year in Wales: 261 weekdays less 8 bank holidays on weekdays.
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 261 - 8


def _days(start: dt.date, end: dt.date, step: int = 1) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


def test_round_trip_for_every_start_day_and_many_lengths() -> None:
    """working_days_between(d, add_working_days(d, n)) == n for every n >= 0."""
    starts = _days(D(2025, 12, 1), D(2027, 1, 31), step=3)  # every weekday/weekend position
    checked = 0
    for start in starts:
        for n in (0, 1, 2, 3, 4, 5, 7, 10, 15, 20, 28, 40, 60):
            end = add_working_days(start, n)
            assert working_days_between(start, end) == n, (start, n, end)
            if n > 0:
                assert is_working_day(end), (start, n, end)
                assert end > start
            checked += 1
    assert checked > 1500


def test_round_trip_backwards_from_working_days() -> None:
    for start in _days(D(2026, 1, 1), D(2026, 12, 31)):
        if not is_working_day(start):
            continue
        for n in (1, 2, 5, 12):
            earlier = add_working_days(start, -n)
            assert earlier < start
            assert is_working_day(earlier)
            assert working_days_between(start, earlier) == -n, (start, n, earlier)
            assert add_working_days(earlier, n) == start, (start, n, earlier)


def test_counting_by_weeks_agrees_with_counting_day_by_day_over_six_years() -> None:
    """The week-based count is checked against the plain definition, day by day."""
    from pontio.core.working_days import is_working_day

    def by_day(start: dt.date, end: dt.date) -> int:
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if is_working_day(start + dt.timedelta(days=n))
        )

    start = dt.date(2021, 12, 20)
    for offset in range(0, 2200, 7):
        for length in (0, 1, 2, 3, 4, 5, 6, 9, 40, 400):
            a = start + dt.timedelta(days=offset + offset % 5)
            b = a + dt.timedelta(days=length)
            assert working_days_between(a, b) == by_day(a, b), (a, b)
            assert working_days_between(b, a) == -by_day(a, b)
