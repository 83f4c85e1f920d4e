"""The custody API (issue 12 item 8): records and required-assessment states, read and
write, scoped like the pages; denials for providers and officers of another county."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.custody.models import AssessmentState, CustodyRecord, RequiredAssessment
from pontio.custody.tests.helpers import fresh, impose, next_working_day, positive

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def booking(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "person": world["person"].pk,
        "custody_number": "ll/900/26",
        "suite": "LLANELLI",
        "arrested_at": (timezone.now() - dt.timedelta(hours=1)).replace(microsecond=0).isoformat(),
        "offences": [{"code": "TA1968_S1"}],
    }
    data.update(changes)
    return data


def denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


def test_book_with_an_idempotency_key_and_a_retry_makes_one_record(world: dict[str, Any]) -> None:
    client = demo_sign_in("custody.sergeant")
    url = reverse("api-custody-record-list")
    assert post(client, url, booking(world)).status_code == 400  # no key
    assert not CustodyRecord.objects.filter(custody_number="LL/900/26").exists()
    data = booking(world)
    first = post(client, url, data, **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.content
    assert first.json()["custody_number"] == "LL/900/26"
    assert first.json()["offences"][0]["code"] == "TA1968_S1"
    made = CustodyRecord.objects.get(custody_number="LL/900/26")
    assert made.idempotency_key == "k-1"
    events = AuditEvent.objects.count()
    again = post(client, url, data, **{"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert CustodyRecord.objects.filter(custody_number="LL/900/26").count() == 1
    assert CustodyRecord.objects.get(pk=made.pk).version == made.version  # nothing changed
    assert list(
        AuditEvent.objects.order_by("sequence")[events:].values_list("action", flat=True)
    ) == [AuditAction.READ]
    # The same key with a different booking: refused (422), nothing saved.
    other = booking(world, custody_number="ll/901/26")
    reused = post(client, url, other, **{"Idempotency-Key": "k-1"})
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert not CustodyRecord.objects.filter(custody_number="LL/901/26").exists()
    changed = booking(world, offences=[{"code": "TA1968_S1"}, {"code": "CJA1988_S39"}])
    assert post(client, url, changed, **{"Idempotency-Key": "k-1"}).status_code == 422
    # Another caller's key is theirs: the same key books their own record.
    officer = demo_sign_in("custody.officer")
    theirs = post(officer, url, other, **{"Idempotency-Key": "k-1"})
    assert theirs.status_code == 201, theirs.content
    # The same number under another key (another arrest): refused by the rule.
    later = booking(world, arrested_at=timezone.now().replace(microsecond=0).isoformat())
    refused = post(client, url, later, **{"Idempotency-Key": "k-2"})
    assert refused.status_code == 400
    assert "custody_number" in refused.json()
    assert CustodyRecord.objects.filter(custody_number="LL/900/26").count() == 1


def test_bad_input_is_refused_by_field(world: dict[str, Any]) -> None:
    client = demo_sign_in("custody.sergeant")
    url = reverse("api-custody-record-list")
    future = (timezone.now() + dt.timedelta(hours=3)).isoformat()
    answer = post(client, url, booking(world, arrested_at=future), **{"Idempotency-Key": "k"})
    assert answer.status_code == 400 and "arrested_at" in answer.json()
    answer = post(
        client, url, booking(world, offences=[{"code": "NOPE"}]), **{"Idempotency-Key": "k"}
    )
    assert answer.status_code == 400 and "offences" in answer.json()
    assert not CustodyRecord.objects.exists()


def test_the_list_is_scoped_and_filtered(world: dict[str, Any]) -> None:
    record = positive(world["custody.sergeant"], world["person"])
    client = demo_sign_in("custody.sergeant")
    url = reverse("api-custody-record-list")
    rows = client.get(url).json()
    assert [r["id"] for r in rows["results"]] == [record.pk]
    assert rows["results"][0]["test_outcome"] == "sample_taken"
    assert client.get(url, {"suite": "ABERYSTWYTH"}).json()["count"] == 0
    assert client.get(url, {"step": "positive"}).json()["count"] == 1
    assert client.get(url, {"step": "required"}).json()["count"] == 0
    assert client.get(url, {"suite": "NOWHERE"}).status_code == 400
    # The Ceredigion inspector does not see a Llanelli record.
    assert demo_sign_in("inspector").get(url).json()["count"] == 0


def test_denials_for_a_provider_and_an_officer_of_another_county(world: dict[str, Any]) -> None:
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    detail = reverse("api-custody-record-detail", args=[record.pk])
    assert demo_sign_in("custody.sergeant").get(detail).status_code == 200
    caseworker = demo_sign_in("caseworker")
    assert caseworker.get(detail).status_code == 403
    assert caseworker.get(reverse("api-custody-record-list")).status_code == 403
    before = denials()
    inspector = demo_sign_in("inspector")  # Ceredigion
    assert inspector.get(detail).status_code == 404
    url = reverse("api-custody-assessment-detail", args=[assessment.pk])
    assert inspector.get(url).status_code == 404
    assert denials() == before + 2
    # The Powys caseworker: not their referral.
    assert demo_sign_in("powys.caseworker").get(url).status_code == 404
    # The provider caseworker of the referral reads the assessment, without the police's task.
    answer = caseworker.get(url)
    assert answer.status_code == 200
    assert answer.json()["state"] == AssessmentState.INITIAL_REQUIRED
    assert "breach_tasks" not in answer.json()


def test_an_assessment_move_with_a_stale_version_is_a_conflict(world: dict[str, Any]) -> None:
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    client = demo_sign_in("custody.sergeant")
    url = reverse("api-custody-assessment-transition", args=[assessment.pk])
    version = fresh(record).version
    move = {
        "action": "vary",
        "version": version,
        "appointment_at": next_working_day(9).isoformat(),
        "appointment_place": "Dyfed Drug and Alcohol Service, Llanelli",
        "reason": "The person starts work that day",
    }
    answer = post(client, url, move)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == AssessmentState.INITIAL_VARIED
    stale = post(client, url, move)  # the same version again
    assert stale.status_code == 409
    assert stale.json()["version"] == fresh(record).version
    # A move the lifecycle does not allow: refused with the rule, nothing changes.
    refused = post(
        client,
        url,
        {
            "action": "followup_not_required",
            "version": RequiredAssessment.objects.get(pk=assessment.pk).version,
        },
    )
    assert refused.status_code == 400
    assert RequiredAssessment.objects.get(pk=assessment.pk).state == AssessmentState.INITIAL_VARIED
