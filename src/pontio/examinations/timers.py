"""Turnaround timers in working days (``core.working_days``: Monday to Friday, not a Welsh
bank holiday). The request day is day 0; the target of its level (``vocab``) gives the due
date; a request is overdue once a working day after its due date has begun without a
result, and a result is within target when it is recorded on or before the due date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pontio.core.working_days import add_working_days, working_days_between
from pontio.examinations.vocab import OPEN_STATUSES, TARGET_WORKING_DAYS


def due_on(requested_on: dt.date, level: str) -> dt.date:
    return add_working_days(requested_on, TARGET_WORKING_DAYS[level])


def taken(requested_on: dt.date, completed_on: dt.date) -> int:
    """Working days from the request to the result (0: the same day)."""
    return max(working_days_between(requested_on, completed_on), 0)


@dataclass(frozen=True)
class Timer:
    target: int  # working days allowed
    elapsed: int  # working days so far (or taken, once done)
    remaining: int  # working days left (negative: overdue by that many)
    overdue: bool
    within_target: bool | None  # None while open

    @property
    def overdue_by(self) -> int:
        return max(-self.remaining, 0)


def timer_of(request: object, today: dt.date) -> Timer:
    """The timer of a request (any object with level, status, requested_on, due_on and
    completed_on)."""
    level = request.level  # type: ignore[attr-defined]
    requested_on: dt.date = request.requested_on  # type: ignore[attr-defined]
    due: dt.date = request.due_on  # type: ignore[attr-defined]
    completed: dt.date | None = request.completed_on  # type: ignore[attr-defined]
    target = TARGET_WORKING_DAYS[level]
    is_open = request.status in OPEN_STATUSES  # type: ignore[attr-defined]
    end = completed or today
    elapsed = taken(requested_on, end)
    if is_open:
        return Timer(target, elapsed, working_days_between(today, due), today > due, None)
    within = completed is not None and completed <= due
    return Timer(target, elapsed, working_days_between(end, due), False, within)
