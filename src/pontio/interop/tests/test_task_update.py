"""Provider moves through Task PUT and PATCH: the lifecycle's rules, concurrency, refusals."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.interop import codes
from pontio.interop.tests.helpers import BASE, body, issue, new_referral, patch, put
from pontio.referrals.models import Referral, ReferralEvent, Status
from pontio.referrals.tests.helpers import move


def _task(client: Any, referral: Referral) -> dict[str, Any]:
    return body(client.get(f"{BASE}/Task/{referral.pk}"))


def _reason(code: str, text: str = "") -> dict[str, Any]:
    concept: dict[str, Any] = {
        "coding": [{"system": codes.code_system(codes.REFERRAL_CODE), "code": code}]
    }
    if text:
        concept["text"] = text
    return concept


def _unchanged(referral: Referral) -> None:
    version, status = referral.version, referral.status
    referral.refresh_from_db()
    assert (referral.version, referral.status) == (version, status)


def test_the_provider_accepts_a_task_with_put(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    task["status"] = "accepted"
    response = put(client, f"{BASE}/Task/{referral.pk}", task, task["meta"]["versionId"])
    assert response.status_code == 200, response.content
    data = body(response)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert data["status"] == "accepted"
    assert data["meta"]["versionId"] == str(referral.version)
    assert response["ETag"] == f'W/"{referral.version}"'
    event = ReferralEvent.objects.filter(referral=referral).last()
    assert event is not None and event.to_status == Status.ACCEPTED
    assert event.actor == demo_users["caseworker"]


def test_the_provider_marks_it_received_then_accepted_with_patch(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    response = patch(
        client,
        f"{BASE}/Task/{referral.pk}",
        [{"op": "replace", "path": "/status", "value": "received"}],
        referral.version,
        content_type=codes.JSON_PATCH,
    )
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    response = patch(
        client,
        f"{BASE}/Task/{referral.pk}",
        {"resourceType": "Task", "status": "accepted"},
        referral.version,
    )
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_a_rejection_carries_its_reason_code_and_words(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    response = patch(
        client,
        f"{BASE}/Task/{referral.pk}",
        {
            "resourceType": "Task",
            "status": "rejected",
            "statusReason": _reason("REJ_OUT_OF_AREA", "Lives in Swansea now."),
        },
        referral.version,
    )
    assert response.status_code == 200, response.content
    data = body(response)
    referral.refresh_from_db()
    assert referral.status == Status.REJECTED
    assert referral.status_code is not None and referral.status_code.code == "REJ_OUT_OF_AREA"
    assert data["statusReason"]["coding"][0]["code"] == "REJ_OUT_OF_AREA"
    assert ReferralEvent.objects.filter(referral=referral).last().reason == "Lives in Swansea now."


def test_a_rejection_without_a_reason_code_is_refused_and_changes_nothing(
    demo_users: Any,
) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    response = patch(
        client, f"{BASE}/Task/{referral.pk}", {"resourceType": "Task", "status": "rejected"}, 1
    )
    assert response.status_code == 422
    found = issue(response)
    assert found["code"] == "business-rule"
    assert "reason" in found["diagnostics"].lower()
    _unchanged(referral)


def test_a_move_the_lifecycle_does_not_allow_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    response = patch(
        client, f"{BASE}/Task/{referral.pk}", {"resourceType": "Task", "status": "in-progress"}, 1
    )
    assert response.status_code == 422
    assert "cannot become" in issue(response)["diagnostics"]
    _unchanged(referral)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"status": "finished"}, 400, "code-invalid"),
        ({"status": "draft"}, 422, "business-rule"),
        ({"resourceType": "Patient"}, 400, "invalid"),
        ({"intent": "wish"}, 400, "code-invalid"),
        ({"intent": "plan"}, 422, "business-rule"),
        ({"focus": {"reference": "ServiceRequest/999999"}}, 422, "business-rule"),
        ({"id": "999999"}, 400, "invalid"),
        ({"lastModified": "yesterday"}, 400, "structure"),
        ({"colour": "blue"}, 400, "structure"),
        (
            {
                "status": "rejected",
                "statusReason": {"coding": [{"system": "http://example.org", "code": "X"}]},
            },
            400,
            "code-invalid",
        ),
        ({"status": "rejected", "statusReason": _reason("NOT_A_CODE")}, 422, "business-rule"),
        ({"status": "rejected", "statusReason": _reason("HOLD_HOSPITAL")}, 422, "business-rule"),
    ],
)
def test_an_invalid_task_is_refused_and_changes_nothing(
    demo_users: Any, change: dict[str, Any], status: int, code: str
) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    task.update(change)
    before = AuditEvent.objects.filter(action="update").count()
    response = put(client, f"{BASE}/Task/{referral.pk}", task, referral.version)
    assert response.status_code == status, response.content
    found = issue(response)
    assert found["code"] == code
    assert found["diagnostics"]
    _unchanged(referral)
    assert AuditEvent.objects.filter(action="update").count() == before


def test_a_stale_if_match_is_refused_with_412(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    move(demo_users["provider.manager"], referral, Status.RECEIVED)
    task["status"] = "accepted"
    response = put(client, f"{BASE}/Task/{referral.pk}", task, task["meta"]["versionId"])
    assert response.status_code == 412
    assert issue(response)["code"] == "conflict"
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_a_stale_meta_version_without_if_match_is_refused_with_409(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    move(demo_users["provider.manager"], referral, Status.RECEIVED)
    task["status"] = "accepted"
    response = put(client, f"{BASE}/Task/{referral.pk}", task)
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_an_update_that_names_no_version_is_refused_with_428(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    response = patch(
        client, f"{BASE}/Task/{referral.pk}", {"resourceType": "Task", "status": "accepted"}
    )
    assert response.status_code == 428
    assert issue(response)["code"] == "required"
    _unchanged(referral)


def test_a_malformed_if_match_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    response = put(client, f"{BASE}/Task/{referral.pk}", task, HTTP_IF_MATCH="version one")
    assert response.status_code == 400
    assert issue(response)["expression"] == ["If-Match"]


def test_a_json_patch_on_the_id_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    response = patch(
        demo_sign_in("caseworker"),
        f"{BASE}/Task/{referral.pk}",
        [{"op": "replace", "path": "/id", "value": "7"}],
        1,
        content_type=codes.JSON_PATCH,
    )
    assert response.status_code == 422
    _unchanged(referral)


def test_a_failed_json_patch_test_changes_nothing(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    response = patch(
        demo_sign_in("caseworker"),
        f"{BASE}/Task/{referral.pk}",
        [
            {"op": "test", "path": "/status", "value": "received"},
            {"op": "replace", "path": "/status", "value": "accepted"},
        ],
        1,
        content_type=codes.JSON_PATCH,
    )
    assert response.status_code == 409
    _unchanged(referral)


def test_another_providers_task_cannot_be_updated(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    client = demo_sign_in("powys.caseworker")
    response = patch(
        client, f"{BASE}/Task/{referral.pk}", {"resourceType": "Task", "status": "accepted"}, 1
    )
    assert response.status_code == 404
    _unchanged(referral)


def test_sending_back_the_same_task_changes_nothing(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    move(demo_users["caseworker"], referral, Status.ACCEPTED)
    move(demo_users["caseworker"], referral, Status.ON_HOLD, "HOLD_HOSPITAL")
    referral.refresh_from_db()
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    response = put(client, f"{BASE}/Task/{referral.pk}", copy.deepcopy(task), referral.version)
    assert response.status_code == 200, response.content
    _unchanged(referral)


def test_resuming_from_hold_with_the_old_reason_still_in_the_body_works(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    move(demo_users["caseworker"], referral, Status.ACCEPTED)
    move(demo_users["caseworker"], referral, Status.ON_HOLD, "HOLD_HOSPITAL")
    referral.refresh_from_db()
    client = demo_sign_in("caseworker")
    task = _task(client, referral)
    task["status"] = "in-progress"
    response = put(client, f"{BASE}/Task/{referral.pk}", task, referral.version)
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS


def test_a_json_body_of_another_media_type_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    response = demo_sign_in("caseworker").put(
        f"{BASE}/Task/{referral.pk}",
        "status=accepted",
        content_type="text/plain",
        HTTP_IF_MATCH='W/"1"',
    )
    assert response.status_code == 415
    assert issue(response)["code"] == "not-supported"
    _unchanged(referral)


def test_a_move_is_audited_with_the_persons_id_and_the_tokens_account(demo_users: Any) -> None:
    from pontio.interop.tests.helpers import token_client

    referral = new_referral(demo_users)
    client = token_client(demo_users)
    before = AuditEvent.objects.order_by("-sequence").first().sequence
    response = patch(
        client, f"{BASE}/Task/{referral.pk}", {"resourceType": "Task", "status": "accepted"}, 1
    )
    assert response.status_code == 200, response.content
    updates = AuditEvent.objects.filter(
        sequence__gt=before, action="update", object_type="referrals.referral"
    )
    assert updates.count() == 1
    event = updates.get()
    assert event.person_id == str(referral.person_id)
    assert event.object_id == str(referral.pk)
    assert event.actor_id is not None and event.actor_id != demo_users["caseworker"].pk


def test_an_unknown_token_is_refused_with_401_and_an_operation_outcome(demo_users: Any) -> None:
    from django.test import Client

    referral = new_referral(demo_users)
    client = Client(HTTP_AUTHORIZATION="Bearer pontio_00000000_" + "a" * 43)
    response = client.get(f"{BASE}/Task/{referral.pk}")
    assert response.status_code == 401
    assert issue(response)["code"] == "login"


def test_a_closed_task_carries_the_outcome_for_the_police_as_output(demo_users: Any) -> None:
    from pontio.referrals import services
    from pontio.referrals.tests.helpers import CONTEXT

    referral = new_referral(demo_users)
    move(demo_users["caseworker"], referral, Status.ACCEPTED)
    referral.refresh_from_db()
    services.referral_transition(
        context=CONTEXT,
        actor=demo_users["caseworker"],
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=Status.FAILED,
        code="CLO_CLIENT_DECLINED",
        outcome_against_reason="not",
        outcome_summary="Did not want support after all.",
    )
    data = _task(demo_sign_in("caseworker"), referral)
    outputs = {o["type"]["coding"][0]["code"]: o for o in data["output"]}
    assert outputs[codes.OUTPUT_OUTCOME]["valueCodeableConcept"]["coding"][0]["code"] == "not"
    assert outputs[codes.OUTPUT_SUMMARY]["valueString"] == "Did not want support after all."
    assert data["statusReason"]["coding"][0]["code"] == "CLO_CLIENT_DECLINED"
    sr = body(demo_sign_in("caseworker").get(f"{BASE}/ServiceRequest/{referral.pk}"))
    assert sr["status"] == "revoked"
