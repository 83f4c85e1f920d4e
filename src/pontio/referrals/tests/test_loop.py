"""The whole loop through the services: refer, accept, contact, appointment, TOP, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pontio.referrals import services, sla
from pontio.referrals.models import Alert, Appointment, Status, TopStage
from pontio.referrals.tests.helpers import CONTEXT, move, refer, treatment_started


def test_the_whole_loop_ends_with_the_outcome_visible_to_the_officer(world: dict[str, Any]) -> None:
    officer, caseworker = world["officer"], world["caseworker"]
    referral = refer(officer, world["person"])
    assert referral.status == Status.REQUESTED
    assert referral.provider.name == "Dyfed Drug and Alcohol Service"
    services.referral_mark_received(context=CONTEXT, actor=caseworker, referral_id=referral.pk)
    move(caseworker, referral, Status.ACCEPTED)
    now = timezone.now()
    services.contact_attempt_add(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        at=now,
        channel="phone",
        outcome="no_answer",
    )
    services.contact_attempt_add(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        at=now,
        channel="phone",
        outcome="spoke",
    )
    referral.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS
    assert referral.first_contact_on == timezone.localdate()
    appointment = services.appointment_book(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        kind="assessment",
        starts_at=now - dt.timedelta(minutes=5),
        place="Llanelli",
    )
    services.appointment_record_attendance(
        context=CONTEXT,
        actor=caseworker,
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance=Appointment.Attendance.ATTENDED,
    )
    values = {"cocaine_days": 12, "quality_of_life": 8}
    services.top_record(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        stage=TopStage.START,
        interview_date=timezone.localdate(),
        main_substance="cocaine",
        values=values,
    )
    services.top_record(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        stage=TopStage.REVIEW,
        interview_date=timezone.localdate(),
        main_substance="cocaine",
        values={"cocaine_days": 3, "quality_of_life": 14},
    )
    # An attended appointment and the profiles are work, not the assessment or the
    # treatment start: those timers are not met, and a planned completion waits for them.
    referral.refresh_from_db()
    timers = {t.name: t for t in sla.timer_states(referral, timezone.localdate())}
    assert timers["first_contact"].met_on == timezone.localdate()
    assert timers["assessment"].met_on is None and timers["treatment"].met_on is None
    with pytest.raises(ValidationError, match="needs a recorded treatment start"):
        move(caseworker, referral, Status.COMPLETED, code="CLO_PLANNED_COMPLETE")
    treatment_started(caseworker, referral)
    move(caseworker, referral, Status.COMPLETED, code="CLO_PLANNED_COMPLETE")
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    assert referral.status_code.code == "CLO_PLANNED_COMPLETE"
    assert referral.assessed_on == referral.treatment_started_on == timezone.localdate()
    assert Alert.objects.filter(recipient=officer, referral=referral, kind="closed").exists()
    assert [e.to_status for e in referral.events.all()] == [
        "requested",
        "received",
        "accepted",
        "in-progress",
        "completed",
    ]


def test_a_move_not_in_the_table_is_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(Exception, match="cannot become"):
        move(world["caseworker"], referral, Status.COMPLETED, code="CLO_PLANNED_COMPLETE")
