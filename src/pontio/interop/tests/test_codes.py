"""The code tables of codes.py agree with the FHIR R4 value sets and Pontio's choices."""

from __future__ import annotations

from pontio.interop import codes
from pontio.people.models import Gender
from pontio.referrals.models import Appointment, Status


def test_every_referral_status_is_a_task_status() -> None:
    assert all(codes.is_code("Task.status", s) for s in Status.values)
    assert {"draft", "ready", "entered-in-error"} == codes.UNUSED_TASK_STATUS


def test_every_referral_status_maps_to_a_service_request_status() -> None:
    assert set(codes.REQUEST_STATUS_OF_TASK) == set(Status.values)
    assert all(
        codes.is_code("ServiceRequest.status", s) for s in codes.REQUEST_STATUS_OF_TASK.values()
    )


def test_every_attendance_maps_to_an_appointment_status_and_back() -> None:
    assert set(codes.APPOINTMENT_STATUS_OF) == set(Appointment.Attendance.values)
    assert all(codes.is_code("Appointment.status", s) for s in codes.APPOINTMENT_STATUS_OF.values())
    for status, attendance in codes.ATTENDANCE_OF_STATUS.items():
        assert codes.APPOINTMENT_STATUS_OF[attendance] == status


def test_genders_map_to_administrative_gender_and_not_stated_is_left_out() -> None:
    assert all(codes.is_code("Patient.gender", g) for g in codes.GENDER_OF.values())
    assert Gender.NOT_STATED not in codes.GENDER_OF


def test_a_code_outside_its_value_set_is_refused() -> None:
    assert not codes.is_code("Task.status", "done")
    assert not codes.is_code("Appointment.status", "attended")
    assert not codes.is_code("Bundle.type", None)
    assert codes.is_code("Bundle.type", "searchset")


def test_pontio_code_systems_live_under_the_base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PONTIO_BASE_URL = "https://pontio.example/"
    assert codes.referral_reference_system() == "https://pontio.example/fhir/referral-reference"
    assert (
        codes.code_system("referral-code") == "https://pontio.example/fhir/CodeSystem/referral-code"
    )
