"""Service-level timers in working days."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from pontio.referrals import sla
from pontio.referrals.models import Referral
from pontio.referrals.tests.helpers import refer


def _referral(sent_on: dt.date, **fields: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "first_contact_on": None,
        "assessed_on": None,
        "treatment_started_on": None,
        "timer_stopped_on": None,
        "held_since": None,
        **sla.due_dates(sent_on),
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_due_dates_skip_weekends_and_welsh_bank_holidays() -> None:
    # Friday 19 December 2025: Christmas Day, Boxing Day and New Year's Day are not counted
    # (counted by hand: 22, 23, 24, 29, 30, 31 Dec, 2, 5, 6, 7 Jan are working days 1-10).
    due = sla.due_dates(dt.date(2025, 12, 19))
    assert due["first_contact_due"] == dt.date(2025, 12, 23)
    assert due["assessment_due"] == dt.date(2026, 1, 7)
    assert due["treatment_due"] == dt.date(2026, 1, 21)


def test_targets_can_be_changed_in_settings(settings: Any) -> None:
    settings.PONTIO_REFERRAL_SLA = {"first_contact": 1}
    due = sla.due_dates(dt.date(2026, 11, 20))  # a Friday
    assert due["first_contact_due"] == dt.date(2026, 11, 23)


def test_an_unmet_timer_breaches_the_day_after_it_is_due() -> None:
    referral = _referral(dt.date(2026, 11, 2))
    on_due = referral.first_contact_due
    states = {s.name: s for s in sla.timer_states(referral, on_due)}
    assert not states["first_contact"].breached
    states = {s.name: s for s in sla.timer_states(referral, on_due + dt.timedelta(days=1))}
    assert states["first_contact"].breached


def test_a_timer_met_late_stays_breached_and_one_met_in_time_does_not() -> None:
    sent = dt.date(2026, 11, 2)
    late = _referral(sent, first_contact_on=dt.date(2026, 11, 9))
    ok = _referral(sent, first_contact_on=dt.date(2026, 11, 3))
    assert {s.name: s.breached for s in sla.timer_states(late, dt.date(2026, 12, 1))}[
        "first_contact"
    ]
    assert not {s.name: s.breached for s in sla.timer_states(ok, dt.date(2026, 12, 1))}[
        "first_contact"
    ]


def test_a_stopped_timer_does_not_breach_later() -> None:
    referral = _referral(dt.date(2026, 11, 2), timer_stopped_on=dt.date(2026, 11, 3))
    states = sla.timer_states(referral, dt.date(2027, 1, 1))
    assert not any(s.breached for s in states)
    assert not any(s.running for s in states)


def test_the_database_breach_filter_agrees_with_the_timer_states(world: dict[str, Any]) -> None:
    fresh = refer(world["officer"], world["person"])
    overdue = refer(world["officer"], world["person"])
    Referral.objects.filter(pk=overdue.pk).update(
        sent_on=dt.date(2026, 1, 5), **sla.due_dates(dt.date(2026, 1, 5))
    )
    today = dt.date(2026, 11, 23)
    found = set(
        sla.with_clock(Referral.objects.all(), today)
        .filter(sla.breach_q(today, "first_contact"))
        .values_list("pk", flat=True)
    )
    assert found == {overdue.pk}
    assert fresh.pk not in found
