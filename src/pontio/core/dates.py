"""Plausible dates: the bounds every date Pontio stores must fall within.

A date typed as 1800, or as a year of eleven digits, is a typing mistake, never a fact: it
would reach figures, exports and timers. Forms and services refuse dates outside these
bounds with a message that says which bound applies.

- Dates of birth: from 1 January 1900 (nobody alive was born earlier) to today.
- Events Pontio records (searches, referrals, contacts, appointments, decisions): from
  1 January 2000 (before any record a force would now enter or import; police.uk data begins
  in 2010) and, for events that have happened, not after today.
- Planned dates (appointments, due dates): up to 2 years ahead.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

EARLIEST_BIRTH = dt.date(1900, 1, 1)
EARLIEST_EVENT = dt.date(2000, 1, 1)
PLANNING_HORIZON_DAYS = 2 * 366


def latest_planned(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=PLANNING_HORIZON_DAYS)


def long_date(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def check_between(
    value: dt.date,
    *,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    field: str | None = None,
) -> dt.date:
    """``value``, or a ValidationError naming the bound it is outside."""
    problem = None
    if earliest is not None and value < earliest:
        problem = _("The date must be on or after %(date)s") % {"date": long_date(earliest)}
    elif latest is not None and value > latest:
        problem = _("The date must be on or before %(date)s") % {"date": long_date(latest)}
    if problem is None:
        return value
    if field:
        raise ValidationError({field: [problem]}, code="implausible_date")
    raise ValidationError(problem, code="implausible_date")
