"""From booking to a booked required assessment, attendance recorded by the provider, and
the police's task after a failure (service level)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pontio.audit.models import AuditEvent
from pontio.custody import services
from pontio.custody.models import (
    AssessmentEvent,
    AssessmentState,
    BreachTask,
    Notice,
    RequiredAssessment,
)
from pontio.custody.tests.helpers import CONTEXT, fresh, impose, next_working_day, positive
from pontio.people.models import CustodyNumber
from pontio.referrals import services as referral_services
from pontio.referrals.models import Appointment, Pathway, Status

pytestmark = pytest.mark.django_db


def _accept(caseworker, referral):  # type: ignore[no-untyped-def]
    referral.refresh_from_db()
    return referral_services.referral_transition(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=Status.ACCEPTED,
    )


def _attend(caseworker, assessment, attendance):  # type: ignore[no-untyped-def]
    appointment = Appointment.objects.get(pk=assessment.appointment_id)
    with time_machine.travel(appointment.starts_at + dt.timedelta(hours=2), tick=False):
        return referral_services.appointment_record_attendance(
            context=CONTEXT,
            actor=caseworker,
            appointment_id=appointment.pk,
            expected_version=appointment.version,
            attendance=attendance,
        )


def test_booking_adds_the_custody_number_to_the_person(world):  # type: ignore[no-untyped-def]
    from pontio.custody.tests.helpers import book

    record = book(world["custody.sergeant"], world["person"], number="ll/123/26")
    assert record.custody_number == "LL/123/26"
    assert record.age_at_arrest == timezone.localdate().year - 1990 - (
        1 if (timezone.localdate().month, timezone.localdate().day) < (3, 27) else 0
    )
    assert CustodyNumber.objects.filter(person=world["person"], number="LL/123/26").exists()
    assert AuditEvent.objects.filter(object_type="custody.custodyrecord").exists()


def test_imposing_refers_books_and_prints_ra1(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    assert assessment.state == AssessmentState.INITIAL_REQUIRED
    referral = assessment.referral
    assert referral.pathway == Pathway.TEST_ON_ARREST
    assert referral.source_reference == record.custody_number
    assert referral.contact_phone == "+447700900123"
    assert {s.code for s in referral.substances.all()} == {"cocaine", "crack"}
    appointment = Appointment.objects.get(pk=assessment.appointment_id)
    assert appointment.referral_id == referral.pk
    assert appointment.kind == Appointment.Kind.ASSESSMENT
    event = AssessmentEvent.objects.get(assessment=assessment)
    assert (event.from_state, event.to_state, event.notice_kind) == ("", "initial_required", "RA1")
    notice = Notice.objects.get(assessment=assessment)
    assert notice.kind == "RA1" and bytes(notice.pdf).startswith(b"%PDF")
    kinds = set(
        AuditEvent.objects.filter(person_id=str(record.person_id)).values_list(
            "object_type", flat=True
        )
    )
    assert {
        "custody.requiredassessment",
        "custody.assessmentevent",
        "custody.notice",
        "referrals.referral",
        "referrals.appointment",
    } <= kinds


def test_failure_to_attend_opens_the_police_task(world):  # type: ignore[no-untyped-def]
    sergeant, caseworker = world["custody.sergeant"], world["caseworker"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    _accept(caseworker, assessment.referral)
    _attend(caseworker, assessment, Appointment.Attendance.DID_NOT_ATTEND)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.INITIAL_FAILED_TO_ATTEND
    task = BreachTask.objects.get(assessment=assessment)
    assert task.failure == BreachTask.Failure.FAILED_TO_ATTEND
    assert task.county_id == record.suite.county_id
    assert task.due_on > timezone.localdate()
    assert task.statement is not None and task.statement.kind == "statement"
    assert bytes(task.statement.pdf).startswith(b"%PDF")
    # The sergeant of the county sees the task; the provider never does.
    from pontio.custody import selectors

    assert list(selectors.breach_tasks(sergeant)) == [task]
    assert list(selectors.breach_tasks(caseworker)) == []
    decided = services.breach_decide(
        context=CONTEXT,
        actor=sergeant,
        task_id=task.pk,
        expected_version=task.version,
        decision="nfa",
        reason="Admitted to hospital on the day of the appointment.",
    )
    assert decided.decision == "nfa" and not decided.is_open


def test_left_early_and_attended_moves(world):  # type: ignore[no-untyped-def]
    sergeant, caseworker = world["custody.sergeant"], world["caseworker"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    _accept(caseworker, assessment.referral)
    _attend(caseworker, assessment, Appointment.Attendance.ATTENDED)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.INITIAL_ATTENDED
    assert Notice.objects.filter(assessment=assessment, kind="RA3").exists()
    later = next_working_day(21)
    with time_machine.travel(assessment.appointment_at + dt.timedelta(hours=3), tick=False):
        services.assessment_followup(
            context=CONTEXT,
            actor=caseworker,
            assessment_id=assessment.pk,
            expected_version=assessment.version,
            required=True,
            appointment_at=later,
            appointment_place="Dyfed Drug and Alcohol Service, Llanelli",
        )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.FOLLOWUP_REQUIRED
    assert Notice.objects.filter(assessment=assessment, kind="RA4").exists()
    _attend(caseworker, assessment, Appointment.Attendance.LEFT_EARLY)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.FOLLOWUP_LEFT_EARLY
    task = BreachTask.objects.get(assessment=assessment)
    assert (task.stage, task.failure) == ("followup", "left_early")
    assert RequiredAssessment.objects.get(pk=assessment.pk).referral.appointments.count() == 2
    assert fresh(record).version > record.version
