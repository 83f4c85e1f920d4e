"""Turnaround timers in working days (Welsh bank holidays, weekends), by level."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from pontio.examinations import timers


def _row(level: str, requested: dt.date, status: str = "requested", done: dt.date | None = None):  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        level=level,
        status=status,
        requested_on=requested,
        due_on=timers.due_on(requested, level),
        completed_on=done,
    )


def test_triage_made_on_a_friday_is_due_on_tuesday() -> None:
    friday = dt.date(2026, 11, 20)
    assert timers.due_on(friday, "triage") == dt.date(2026, 11, 24)


def test_bank_holidays_in_wales_are_not_working_days() -> None:
    # Christmas Eve 2026 is a Thursday: 25 and 28 December are bank holidays (Boxing Day
    # falls on a Saturday and is substituted on Monday).
    assert timers.due_on(dt.date(2026, 12, 24), "triage") == dt.date(2026, 12, 30)


def test_targets_by_level() -> None:
    monday = dt.date(2026, 11, 2)
    assert timers.due_on(monday, "logical") == dt.date(2026, 11, 16)
    assert timers.due_on(monday, "full") == dt.date(2026, 12, 14)


def test_an_open_request_past_its_due_date_is_overdue_by_working_days() -> None:
    row = _row("triage", dt.date(2026, 11, 2))  # due Wednesday 4 November
    on_time = timers.timer_of(row, dt.date(2026, 11, 4))
    assert (on_time.overdue, on_time.remaining, on_time.elapsed) == (False, 0, 2)
    late = timers.timer_of(row, dt.date(2026, 11, 9))  # the Monday after
    assert late.overdue and late.overdue_by == 3 and late.within_target is None


def test_a_result_on_the_due_date_is_within_target_and_after_it_is_not() -> None:
    requested = dt.date(2026, 11, 2)
    inside = timers.timer_of(
        _row("triage", requested, "completed", dt.date(2026, 11, 4)), requested
    )
    assert inside.within_target is True and inside.elapsed == 2 and not inside.overdue
    outside = timers.timer_of(
        _row("triage", requested, "completed", dt.date(2026, 11, 5)), requested
    )
    assert outside.within_target is False and outside.elapsed == 3


def test_working_days_taken_counts_from_the_request_day() -> None:
    assert timers.taken(dt.date(2026, 11, 6), dt.date(2026, 11, 9)) == 1  # Friday to Monday
    assert timers.taken(dt.date(2026, 11, 6), dt.date(2026, 11, 6)) == 0
