"""Booking appointments and recording attendance through FHIR Appointment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.interop import codes
from pontio.interop.resources import instant
from pontio.interop.tests.helpers import BASE, body, issue, new_referral, patch, post, put
from pontio.referrals.models import Appointment, Referral, Status
from pontio.referrals.tests.helpers import move


def booking(referral: Referral, starts_at: dt.datetime, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "Appointment",
        "status": "booked",
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "start": instant(starts_at),
        "serviceType": [
            {
                "coding": [
                    {"system": codes.code_system(codes.APPOINTMENT_KIND), "code": "assessment"}
                ]
            }
        ],
        "participant": [
            {"actor": {"reference": f"Patient/{referral.person_id}"}, "status": "accepted"},
            {"actor": {"display": "DDAS Llanelli, Stepney Street"}, "status": "accepted"},
        ],
    }
    data.update(changes)
    return data


@pytest.fixture
def accepted(demo_users: Any) -> Referral:
    referral = new_referral(demo_users)
    return move(demo_users["caseworker"], referral, Status.ACCEPTED)


def _book(client: Any, referral: Referral, starts_at: dt.datetime | None = None) -> dict[str, Any]:
    starts_at = starts_at or timezone.now() - dt.timedelta(hours=1)
    response = post(client, f"{BASE}/Appointment", booking(referral, starts_at))
    assert response.status_code == 201, response.content
    return body(response)


def test_the_provider_books_an_appointment(accepted: Referral) -> None:
    client = demo_sign_in("caseworker")
    starts_at = timezone.now() + dt.timedelta(days=2)
    response = post(client, f"{BASE}/Appointment", booking(accepted, starts_at))
    assert response.status_code == 201, response.content
    data = body(response)
    row = Appointment.objects.get(pk=data["id"])
    assert row.referral_id == accepted.pk
    assert row.kind == "assessment"
    assert row.place == "DDAS Llanelli, Stepney Street"
    assert row.attendance == "booked"
    assert data["status"] == "booked"
    assert response["Location"].endswith(f"/fhir/R4/Appointment/{row.pk}")


def test_appointments_are_found_by_their_service_request(accepted: Referral) -> None:
    client = demo_sign_in("caseworker")
    made = _book(client, accepted)
    data = body(client.get(f"{BASE}/Appointment", {"based-on": f"ServiceRequest/{accepted.pk}"}))
    assert data["total"] == 1
    assert data["entry"][0]["resource"]["id"] == made["id"]
    assert body(client.get(f"{BASE}/Appointment/{made['id']}"))["id"] == made["id"]


@pytest.mark.parametrize(
    ("status", "attendance", "extension"),
    [
        ("fulfilled", "attended", None),
        ("fulfilled", "left_early", "left_early"),
        ("noshow", "dna", None),
        ("cancelled", "cancelled", None),
    ],
)
def test_attendance_is_recorded_from_the_appointment_status(
    accepted: Referral, status: str, attendance: str, extension: str | None
) -> None:
    client = demo_sign_in("caseworker")
    made = _book(client, accepted)
    made["status"] = status
    if extension:
        for row in made["extension"]:
            if row["url"] == codes.extension_url(codes.ATTENDANCE):
                row["valueCode"] = extension
    response = put(client, f"{BASE}/Appointment/{made['id']}", made, made["meta"]["versionId"])
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["status"] == status
    assert Appointment.objects.get(pk=made["id"]).attendance == attendance


def test_an_attended_appointment_starts_the_work(accepted: Referral) -> None:
    client = demo_sign_in("caseworker")
    made = _book(client, accepted)
    response = patch(
        client,
        f"{BASE}/Appointment/{made['id']}",
        {"resourceType": "Appointment", "status": "fulfilled"},
        made["meta"]["versionId"],
    )
    assert response.status_code == 200, response.content
    accepted.refresh_from_db()
    assert accepted.status == Status.IN_PROGRESS


def test_a_stale_appointment_version_is_refused_with_412(accepted: Referral) -> None:
    client = demo_sign_in("caseworker")
    made = _book(client, accepted)
    response = patch(
        client,
        f"{BASE}/Appointment/{made['id']}",
        {"resourceType": "Appointment", "status": "noshow"},
        99,
    )
    assert response.status_code == 412
    assert Appointment.objects.get(pk=made["id"]).attendance == "booked"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"status": "arrived"}, 422),
        ({"status": "late"}, 400),
        ({"start": "2030-01-01T09:00:00Z"}, 422),
        ({"resourceType": "Task"}, 400),
    ],
)
def test_an_invalid_attendance_update_changes_nothing(
    accepted: Referral, change: dict[str, Any], status: int
) -> None:
    client = demo_sign_in("caseworker")
    made = _book(client, accepted)
    made.update(change)
    response = put(client, f"{BASE}/Appointment/{made['id']}", made, made["meta"]["versionId"])
    assert response.status_code == status, response.content
    issue(response)
    assert Appointment.objects.get(pk=made["id"]).attendance == "booked"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"status": "proposed"}, 422),
        ({"basedOn": [{"reference": "Task/1"}]}, 400),
        (
            {
                "serviceType": [
                    {"coding": [{"system": codes.code_system(codes.APPOINTMENT_KIND), "code": "x"}]}
                ]
            },
            400,
        ),
        ({"start": "tomorrow"}, 400),
        ({"participant": []}, 400),
    ],
)
def test_an_invalid_booking_is_refused(
    accepted: Referral, change: dict[str, Any], status: int
) -> None:
    client = demo_sign_in("caseworker")
    data = booking(accepted, timezone.now() + dt.timedelta(days=1), **change)
    response = post(client, f"{BASE}/Appointment", data)
    assert response.status_code == status, response.content
    issue(response)
    assert not Appointment.objects.filter(referral=accepted).exists()


def test_booking_on_a_referral_not_yet_accepted_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    response = post(
        demo_sign_in("caseworker"),
        f"{BASE}/Appointment",
        booking(referral, timezone.now() + dt.timedelta(days=1)),
    )
    assert response.status_code == 422
    assert "Accept the referral" in issue(response)["diagnostics"]


def test_another_provider_cannot_book_on_the_referral(accepted: Referral) -> None:
    response = post(
        demo_sign_in("powys.caseworker"),
        f"{BASE}/Appointment",
        booking(accepted, timezone.now() + dt.timedelta(days=1)),
    )
    assert response.status_code == 404
    assert not Appointment.objects.filter(referral=accepted).exists()
