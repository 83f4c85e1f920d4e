"""Reading Tasks, ServiceRequests and Patients: scope, what they carry, and the audit."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.interop import codes
from pontio.interop.tests.helpers import BASE, body, issue, new_referral, token_client
from pontio.people.models import Gender
from pontio.referrals.models import Referral


def test_metadata_is_a_public_capability_statement_of_fhir_4_0_1(db: Any) -> None:
    from django.test import Client

    response = Client().get(f"{BASE}/metadata")
    assert response.status_code == 200
    data = body(response)
    assert data["resourceType"] == "CapabilityStatement"
    assert data["fhirVersion"] == "4.0.1"
    types = {r["type"] for r in data["rest"][0]["resource"]}
    assert types == {"Task", "ServiceRequest", "Patient", "Appointment"}


def test_the_task_carries_the_referral_status_version_and_reason_code(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    data = body(demo_sign_in("caseworker").get(f"{BASE}/Task/{referral.pk}"))
    assert data["status"] == "requested"
    assert data["intent"] == "order"
    assert data["focus"] == {"reference": f"ServiceRequest/{referral.pk}"}
    assert data["for"] == {"reference": f"Patient/{referral.person_id}"}
    assert data["meta"]["versionId"] == str(referral.version)
    assert data["identifier"][0] == {
        "system": codes.referral_reference_system(),
        "value": referral.reference,
    }
    assert "statusReason" not in data


def test_a_read_answers_with_the_etag_of_the_version(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    response = demo_sign_in("caseworker").get(f"{BASE}/Task/{referral.pk}")
    assert response["ETag"] == f'W/"{referral.version}"'


def test_a_read_changes_nothing(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    demo_sign_in("caseworker").get(f"{BASE}/Task/{referral.pk}")
    referral.refresh_from_db()
    assert referral.status == "requested"
    assert referral.version == 1


def test_the_service_request_says_who_asked_whom_and_why(demo_users: Any) -> None:
    referral = new_referral(demo_users, risk_notes="Has a dog.")
    data = body(demo_sign_in("caseworker").get(f"{BASE}/ServiceRequest/{referral.pk}"))
    assert data["status"] == "active"
    assert data["intent"] == "order"
    assert data["requester"]["display"] == "Dyfed-Powys Police"
    assert data["performer"][0]["display"] == "Dyfed Drug and Alcohol Service"
    assert data["reasonCode"][0]["text"] == referral.reason
    assert any("Has a dog." in n["text"] for n in data["note"])


def test_the_service_request_is_found_by_the_referral_reference(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    new_referral(demo_users)
    client = demo_sign_in("caseworker")
    system = codes.referral_reference_system()
    data = body(
        client.get(f"{BASE}/ServiceRequest", {"identifier": f"{system}|{referral.reference}"})
    )
    assert data["total"] == 1
    assert data["entry"][0]["resource"]["id"] == str(referral.pk)


def test_the_patient_carries_only_what_the_provider_may_receive(demo_users: Any) -> None:
    referral = new_referral(
        demo_users,
        person={"pnc_id": "26/123456A", "gender": Gender.FEMALE},
        preferred_language="cy",
    )
    response = demo_sign_in("caseworker").get(f"{BASE}/Patient/{referral.person_id}")
    data = body(response)
    text = json.dumps(data)
    assert "26/123456A" not in text
    assert "pnc" not in text.lower()
    assert set(data) <= {
        "resourceType",
        "id",
        "name",
        "birthDate",
        "gender",
        "telecom",
        "address",
        "communication",
    }
    assert data["gender"] == "female"
    assert data["telecom"][0]["value"] == referral.contact_phone
    assert data["communication"][0]["language"]["coding"][0] == {
        "system": "urn:ietf:bcp:47",
        "code": "cy",
        "display": "Welsh",
    }


def test_the_patient_carries_the_email_address_the_officer_confirmed(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    Referral.objects.filter(pk=referral.pk).update(contact_email="rhys@example.org")
    response = demo_sign_in("caseworker").get(f"{BASE}/Patient/{referral.person_id}")
    telecom = body(response)["telecom"]
    assert [(p["system"], p["rank"]) for p in telecom] == [("phone", 1), ("email", 2)]
    assert telecom[1]["value"] == "rhys@example.org"


def test_another_providers_referral_is_not_found(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("powys.caseworker")
    for kind, pk in (
        ("Task", referral.pk),
        ("ServiceRequest", referral.pk),
        ("Patient", referral.person_id),
    ):
        response = client.get(f"{BASE}/{kind}/{pk}")
        assert response.status_code == 404, kind
        assert issue(response)["code"] == "not-found"


def test_another_organisations_token_finds_nothing(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = token_client(demo_users, "Kaleidoscope Powys")
    assert client.get(f"{BASE}/Task/{referral.pk}").status_code == 404
    data = body(client.get(f"{BASE}/Task", {"status": "requested"}))
    assert data["total"] == 0


def test_a_token_without_the_fhir_scope_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = token_client(demo_users, scopes=("api",))
    response = client.get(f"{BASE}/Task/{referral.pk}")
    assert response.status_code == 403
    assert issue(response)["code"] == "forbidden"


def test_the_police_may_not_use_the_fhir_interface(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    response = demo_sign_in("officer").get(f"{BASE}/Task/{referral.pk}")
    assert response.status_code == 403
    assert issue(response)["code"] == "forbidden"


def test_no_sign_in_is_refused_with_an_operation_outcome(db: Any) -> None:
    from django.test import Client

    response = Client().get(f"{BASE}/Task")
    assert response.status_code in (401, 403)
    assert issue(response)["code"] in ("login", "forbidden")


def test_an_id_that_is_not_a_number_is_not_found(demo_users: Any) -> None:
    response = demo_sign_in("caseworker").get(f"{BASE}/Task/abc")
    assert response.status_code == 404
    assert issue(response)["code"] == "not-found"


def test_every_read_is_audited_with_the_persons_id(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    for kind, pk in (
        ("Task", referral.pk),
        ("ServiceRequest", referral.pk),
        ("Patient", referral.person_id),
    ):
        before = AuditEvent.objects.count()
        client.get(f"{BASE}/{kind}/{pk}")
        events = AuditEvent.objects.order_by("sequence")[before:]
        reads = [e for e in events if e.action == "read"]
        assert reads, kind
        assert all(e.person_id == str(referral.person_id) for e in reads), kind
        assert all(e.actor_id == demo_users["caseworker"].pk for e in reads), kind


def test_a_read_outside_scope_is_audited_as_denied(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    demo_sign_in("powys.caseworker").get(f"{BASE}/Task/{referral.pk}")
    assert AuditEvent.objects.filter(
        action="denied", object_id=str(referral.pk), actor_id=demo_users["powys.caseworker"].pk
    ).exists()
