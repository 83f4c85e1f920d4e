"""The provider's side of a required assessment, through the pages: the section on the
referral page (state, appointment, the RA notices, never the police's statement) and the
initial assessor's follow-up decision (Drugs Act 2005 s13: RA4 or RA5)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.custody.models import AssessmentState, Notice, RequiredAssessment
from pontio.custody.tests.helpers import CONTEXT, impose, next_working_day, positive
from pontio.referrals import services as referral_services
from pontio.referrals.models import Appointment, Status

pytestmark = pytest.mark.django_db

PLACE = "Dyfed Drug and Alcohol Service, 1 Stepney Street, Llanelli"


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _required(world: Any) -> RequiredAssessment:
    """A requirement imposed by the sergeant; its referral accepted by DDAS's caseworker."""
    assessment = impose(
        world["custody.sergeant"], positive(world["custody.sergeant"], world["person"])
    )
    referral = assessment.referral
    referral_services.referral_transition(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=Status.ACCEPTED,
    )
    return assessment


def _attend(world: Any, assessment: RequiredAssessment, attendance: str) -> None:
    appointment = Appointment.objects.get(pk=assessment.appointment_id)
    with time_machine.travel(appointment.starts_at + dt.timedelta(hours=2), tick=False):
        referral_services.appointment_record_attendance(
            context=CONTEXT,
            actor=world["caseworker"],
            appointment_id=appointment.pk,
            expected_version=appointment.version,
            attendance=attendance,
        )
    assessment.refresh_from_db()


def _detail(assessment: RequiredAssessment) -> str:
    return reverse("referrals:detail", args=[assessment.referral_id])


def _followup(assessment: RequiredAssessment) -> str:
    return reverse("custody:provider-followup", args=[assessment.pk])


def _later(assessment: RequiredAssessment) -> Any:
    """During the initial assessment (after it began): the assessor decides now."""
    return time_machine.travel(assessment.appointment_at + dt.timedelta(hours=3), tick=False)


def _appointment(day: dt.date, time: str = "10:00", place: str = PLACE) -> dict[str, str]:
    return {
        "on_0": str(day.day),
        "on_1": str(day.month),
        "on_2": str(day.year),
        "time": time,
        "appointment_place": place,
    }


def test_the_caseworker_sees_the_section_and_downloads_ra1(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    client = demo_sign_in("caseworker")
    shown = page(client.get(_detail(assessment)))
    assert "Required assessment" in shown
    assert "Initial assessment required (RA1)" in shown
    assert PLACE in shown
    ra1 = Notice.objects.get(assessment=assessment, kind="RA1")
    assert reverse("custody:notice", args=[ra1.pk]) in shown
    assert "Download (PDF)" in shown
    # Not attended yet: no follow-up decision to give.
    assert _followup(assessment) not in shown
    download = client.get(reverse("custody:notice", args=[ra1.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_the_statement_is_never_listed_for_the_provider(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    _attend(world, assessment, Appointment.Attendance.DID_NOT_ATTEND)
    statement = Notice.objects.get(assessment=assessment, kind="statement")
    client = demo_sign_in("caseworker")
    shown = page(client.get(_detail(assessment)))
    assert "Failed to attend the initial assessment" in shown
    assert reverse("custody:notice", args=[statement.pk]) not in shown
    assert "Evidential statement" not in shown
    assert client.get(reverse("custody:notice", args=[statement.pk])).status_code == 404
    # Nor is a follow-up decision open after a failure.
    assert _followup(assessment) not in shown
    assert client.get(_followup(assessment))["Location"] == _detail(assessment)


def test_the_assessor_says_no_follow_up_is_required(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    _attend(world, assessment, Appointment.Attendance.ATTENDED)
    with _later(assessment):
        client = demo_sign_in("caseworker")
        shown = page(client.get(_detail(assessment)))
        assert "Attended and remained for the initial assessment" in shown
        assert _followup(assessment) in shown
        form = client.get(_followup(assessment))
        assert form.status_code == 200
        assert "Follow-up assessment (s13)" in page(form)
        response = client.post(
            _followup(assessment),
            {"required": "no", "reason": "No further need.", "version": assessment.version},
        )
        assert response.status_code == 302
        assert response["Location"] == _detail(assessment)
        after = page(client.get(response["Location"]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.FOLLOWUP_NOT_REQUIRED
    ra5 = Notice.objects.get(assessment=assessment, kind="RA5")
    assert "the RA5 notice is given" in after
    assert reverse("custody:notice", args=[ra5.pk]) in after
    assert _followup(assessment) not in after


def test_the_assessor_books_the_follow_up(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    _attend(world, assessment, Appointment.Attendance.ATTENDED)
    later = next_working_day(21, hour=11)
    with _later(assessment):
        client = demo_sign_in("caseworker")
        response = client.post(
            _followup(assessment),
            {
                "required": "yes",
                "version": assessment.version,
                **_appointment(later.date(), "11:00"),
            },
        )
        assert response.status_code == 302, page(response)
        after = page(client.get(response["Location"]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.FOLLOWUP_REQUIRED
    assert assessment.appointment_at == later
    assert assessment.appointment_place == PLACE
    assert Notice.objects.filter(assessment=assessment, kind="RA4").exists()
    assert "the RA4 notice given" in after


def test_a_follow_up_without_a_place_is_refused_and_nothing_saved(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    _attend(world, assessment, Appointment.Attendance.ATTENDED)
    later = next_working_day(21)
    with _later(assessment):
        client = demo_sign_in("caseworker")
        response = client.post(
            _followup(assessment),
            {
                "required": "yes",
                "version": assessment.version,
                **_appointment(later.date(), place=""),
            },
        )
    assert response.status_code == 200
    shown = page(response)
    assert "govuk-error-summary" in shown
    assert "Enter where the assessment will be" in shown
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.INITIAL_ATTENDED
    assert not Notice.objects.filter(assessment=assessment, kind__in=["RA4", "RA5"]).exists()


def test_a_stale_version_gives_the_conflict_message(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    _attend(world, assessment, Appointment.Attendance.ATTENDED)
    with _later(assessment):
        client = demo_sign_in("caseworker")
        response = client.post(
            _followup(assessment), {"required": "no", "version": assessment.version - 1}
        )
    assert response.status_code == 200
    assert "Someone else changed this record" in page(response)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.INITIAL_ATTENDED


def test_another_providers_caseworker_gets_not_found(world):  # type: ignore[no-untyped-def]
    assessment = _required(world)
    _attend(world, assessment, Appointment.Attendance.ATTENDED)
    ra1 = Notice.objects.get(assessment=assessment, kind="RA1")
    with _later(assessment):
        client = demo_sign_in("powys.caseworker")
        assert client.get(_followup(assessment)).status_code == 404
        response = client.post(
            _followup(assessment), {"required": "no", "version": assessment.version}
        )
        assert response.status_code == 404
        assert client.get(reverse("custody:notice", args=[ra1.pk])).status_code == 404
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.INITIAL_ATTENDED
