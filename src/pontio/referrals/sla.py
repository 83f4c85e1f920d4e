"""Service-level timers of a referral, counted in working days (Wales) from the day it is sent.

The national key performance indicator in Wales is a treatment start within 20 working days
of referral (WNDSM; DOMAIN.md §4.1). The first-contact and assessment targets are local
agreements; their defaults (2 and 10 working days) are settings to confirm with the
providers (``PONTIO_REFERRAL_SLA``). A hold whose code stops the timer pushes every unmet
target back by the working days spent on hold; a closing code that stops the timer freezes
it, so a referral closed before a target was due never breaches it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals.models import OPEN

DEFAULT_TARGETS = {"first_contact": 2, "assessment": 10, "treatment": 20}

# timer name -> (due field, met field, label)
TIMERS: dict[str, tuple[str, str, object]] = {
    "first_contact": ("first_contact_due", "first_contact_on", _("First contact attempt")),
    "assessment": ("assessment_due", "assessed_on", _("Assessment")),
    "treatment": ("treatment_due", "treatment_started_on", _("Treatment start")),
}


def targets() -> dict[str, int]:
    return {**DEFAULT_TARGETS, **getattr(settings, "PONTIO_REFERRAL_SLA", {})}


def due_dates(sent_on: dt.date) -> dict[str, dt.date]:
    """The due date of each timer for a referral sent on ``sent_on``."""
    days = targets()
    return {TIMERS[name][0]: add_working_days(sent_on, days[name]) for name in TIMERS}


def push_back(referral: object, held_from: dt.date, resumed_on: dt.date) -> None:
    """Move every unmet due date back by the working days the referral was on hold."""
    held = max(working_days_between(held_from, resumed_on), 0)
    if not held:
        return
    for due_field, met_field, _label in TIMERS.values():
        if getattr(referral, met_field) is None:
            setattr(referral, due_field, add_working_days(getattr(referral, due_field), held))


@dataclass(frozen=True)
class TimerState:
    name: str
    label: str
    due: dt.date
    met_on: dt.date | None
    breached: bool
    running: bool
    working_days_left: int | None


def _clock(referral: object, today: dt.date) -> dt.date:
    """The day the timers are read on: today, or the day they stopped or paused."""
    stopped = getattr(referral, "timer_stopped_on", None) or getattr(referral, "held_since", None)
    return min(stopped, today) if stopped else today


def timer_states(referral: object, today: dt.date) -> list[TimerState]:
    clock = _clock(referral, today)
    running = getattr(referral, "timer_stopped_on", None) is None and not getattr(
        referral, "held_since", None
    )
    states = []
    for name, (due_field, met_field, label) in TIMERS.items():
        due = getattr(referral, due_field)
        met = getattr(referral, met_field)
        breached = (met > due) if met else clock > due
        left = None if met or not running else working_days_between(today, due)
        states.append(
            TimerState(
                name=name,
                label=str(label),
                due=due,
                met_on=met,
                breached=breached,
                running=running and met is None,
                working_days_left=left,
            )
        )
    return states


def breach_q(today: dt.date, timer: str | None = None) -> Q:
    """Referrals that breached a timer (or the named one), for filtering in the database.

    Use on a queryset annotated by ``with_clock(today)``.
    """
    names = [timer] if timer else list(TIMERS)
    condition = Q()
    for name in names:
        due_field, met_field, _label = TIMERS[name]
        late_met = Q(**{f"{met_field}__isnull": False, f"{met_field}__gt": F(due_field)})
        unmet_overdue = Q(**{f"{met_field}__isnull": True, "sla_clock__gt": F(due_field)})
        condition |= late_met | unmet_overdue
    return condition


def with_clock(queryset: object, today: dt.date) -> object:
    return queryset.annotate(  # type: ignore[attr-defined]
        sla_clock=Coalesce("timer_stopped_on", "held_since", Value(today))
    )


def next_due() -> Case:
    """The due date of the first timer not yet met (due dates follow one another)."""
    return Case(
        When(first_contact_on__isnull=True, then=F("first_contact_due")),
        When(assessed_on__isnull=True, then=F("assessment_due")),
        When(treatment_started_on__isnull=True, then=F("treatment_due")),
        default=None,
    )


# Timers run on an open referral that is not on hold; closing or holding stops the clock.
RUNNING = Q(status__in=OPEN, held_since__isnull=True, timer_stopped_on__isnull=True)
# "Breaching soon": the next due date is today or within this many working days (a new
# referral's first contact is due in 2, so 2 would call every new referral "soon").
SOON = 1


def breaches_on() -> Case:
    """The day the referral breaches next: the first unmet due date while its timers run;
    nothing for a referral on hold or finished (its clock is stopped)."""
    return Case(When(RUNNING, then=next_due()), default=None)


def breaching_soon_q(today: dt.date) -> Q:
    """Running referrals due today or in the next ``SOON`` working days (not yet late).

    Use on a queryset annotated by ``annotated(today)``."""
    return Q(breaches_on__gte=today, breaches_on__lte=add_working_days(today, SOON))


def days_left(due: dt.date | None, today: dt.date) -> int | None:
    """Working days from today to ``due`` (0: due today; negative: overdue by that many)."""
    if due is None:
        return None
    return working_days_between(today, due)


def annotated(queryset: QuerySet[Any], today: dt.date) -> QuerySet[Any]:
    """Referrals with the clock, the first due date, the day they breach next and a breach
    flag per timer, worked out in the database so that a filter, the sort and the tags in a
    row always agree."""
    clocked: QuerySet[Any] = with_clock(queryset, today)  # type: ignore[assignment]
    breaches: dict[str, Any] = {
        f"breached_{name}": ExpressionWrapper(breach_q(today, name), output_field=BooleanField())
        for name in TIMERS
    }
    return clocked.annotate(next_due=next_due(), breaches_on=breaches_on(), **breaches)
