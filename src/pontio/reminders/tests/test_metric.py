"""Attendance with and without reminders (selectors and the dashboard tile)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pontio.core.tiles import TileQuery, get_tile, present
from pontio.referrals import services
from pontio.referrals.models import Appointment
from pontio.referrals.tests.helpers import CONTEXT
from pontio.reminders import selectors
from pontio.reminders.models import Channel, Kind, MessageStatus, PersonMessage
from pontio.reminders.tests.helpers import book, referral_for

pytestmark = pytest.mark.django_db
A, D, L, C = (
    Appointment.Attendance.ATTENDED,
    Appointment.Attendance.DID_NOT_ATTEND,
    Appointment.Attendance.LEFT_EARLY,
    Appointment.Attendance.CANCELLED,
)


def _past(
    world: dict[str, Any],
    referral: Any,
    minutes_ago: int,
    attendance: str,
    reminder: str | None = None,
) -> Appointment:
    starts = timezone.now() - dt.timedelta(minutes=minutes_ago)
    appointment = book(world, referral, starts)
    appointment.refresh_from_db()
    services.appointment_record_attendance(
        context=CONTEXT,
        actor=world["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance=attendance,
    )
    if reminder is not None:
        PersonMessage.objects.create(
            referral=referral,
            appointment=appointment,
            kind=Kind.REMINDER_2_HOURS,
            channel=Channel.SMS,
            for_starts_at=starts,
            status=reminder,
            due_at=starts - dt.timedelta(hours=2),
            sent_at=starts - dt.timedelta(hours=2),
        )
    return appointment


def _world(world: dict[str, Any]) -> None:
    referral = referral_for(world)
    for i, attendance in enumerate([A, A, A, A, L, D]):  # reminded: 5 of 6 came
        _past(world, referral, 10 + i, attendance, MessageStatus.DELIVERED)
    _past(world, referral, 20, A, MessageStatus.RECORDED_LOCALLY)  # reminded: 6 of 7
    _past(world, referral, 21, D)  # no reminder
    _past(world, referral, 22, D, MessageStatus.PERMANENT_FAILURE)  # failed: not reminded
    _past(world, referral, 23, A)  # no reminder
    _past(world, referral, 24, C, MessageStatus.DELIVERED)  # cancelled: not counted


def test_counts_by_group(demo_users: dict[str, Any]) -> None:
    _world(demo_users)
    today = timezone.localdate()
    found = selectors.reminder_attendance(demo_users["analyst"], today, today)
    assert found.reminded == selectors.Group(recorded=7, came=6)
    assert found.not_reminded == selectors.Group(recorded=3, came=1)
    assert found.total == selectors.Group(recorded=10, came=7)
    before = today - dt.timedelta(days=1)
    assert selectors.reminder_attendance(demo_users["analyst"], before, before).total.recorded == 0


def test_a_reminder_after_the_start_or_for_another_time_does_not_count(
    demo_users: dict[str, Any],
) -> None:
    referral = referral_for(demo_users)
    appointment = _past(demo_users, referral, 30, A, MessageStatus.SENT)
    PersonMessage.objects.filter(appointment=appointment).update(
        sent_at=appointment.starts_at + dt.timedelta(minutes=1)
    )
    today = timezone.localdate()
    found = selectors.reminder_attendance(demo_users["analyst"], today, today)
    assert found.reminded.recorded == 0 and found.not_reminded.recorded == 1


def test_scope_nobody_outside_counts(demo_users: dict[str, Any]) -> None:
    _world(demo_users)
    today = timezone.localdate()
    assert selectors.reminder_attendance(demo_users["admin"], today, today).total.recorded == 0
    assert (
        selectors.reminder_attendance(demo_users["provider.manager"], today, today).total.recorded
        == 10
    )


def _shown(user: Any) -> dict[str, list[str]]:
    tile = get_tile("reminder-attendance")
    assert tile is not None
    today = timezone.localdate()
    query = TileQuery(start=today, end=today)
    shown = present(tile, query, tile.build(user, query))
    return {row.key: [cell.text for cell in row.cells] for row in shown.rows}


def test_tile_suppresses_small_numbers_for_the_analyst(demo_users: dict[str, Any]) -> None:
    _world(demo_users)
    rows = _shown(demo_users["analyst"])
    assert rows["not_reminded"][0] == "fewer than 5"
    # 7 would be 10 minus the hidden 3: hidden too (secondary suppression).
    assert rows["all"][0] == "10"
    assert rows["reminded"][0] == "not shown (small numbers)"
    assert rows["not_reminded"][2] == "not shown (small numbers)"
    # 6 of 7 came: the 1 who did not is a handful, so the rate is not shown either.
    assert rows["reminded"][2] == "not shown (small numbers)"


def test_tile_exact_for_the_provider_manager(demo_users: dict[str, Any]) -> None:
    _world(demo_users)
    rows = _shown(demo_users["provider.manager"])
    assert rows["reminded"] == ["7", "6", "85.7%"]
    assert rows["not_reminded"] == ["3", "1", "33.3%"]
    assert rows["all"] == ["10", "7", "70.0%"]
