"""The outbox (administrators only, audited) and Notify's delivery callback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.reminders import sending
from pontio.reminders.models import Kind, MessageStatus, PersonMessage
from pontio.reminders.tests.helpers import book, referral_for

pytestmark = pytest.mark.django_db
TOKEN = "callback-token-for-tests"
URL = "/reminders/notify/callback/"


def _recorded(demo_users: dict[str, Any], settings: Any, language: str = "en") -> PersonMessage:
    settings.NOTIFY_API_KEY = ""
    appointment = book(demo_users, referral_for(demo_users, language=language))
    message = PersonMessage.objects.get(appointment=appointment, kind=Kind.CONFIRMATION)
    sending.send_due(message.due_at)
    message.refresh_from_db()
    return message


def test_admin_sees_the_outbox_and_the_read_is_audited(
    demo_users: dict[str, Any], settings: Any
) -> None:
    message = _recorded(demo_users, settings)
    client = demo_sign_in("admin")
    response = client.get(reverse("reminders:outbox"))
    assert response.status_code == 200
    text = response.content.decode()
    assert message.reference in text
    assert "12 Stepney Street, Llanelli" in text
    assert "Recorded locally" in text
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_type="reminders.personmessage",
        person_id=str(message.referral.person_id),
    ).exists()


def test_outbox_filters(demo_users: dict[str, Any], settings: Any) -> None:
    message = _recorded(demo_users, settings)
    client = demo_sign_in("admin")
    shown = client.get(reverse("reminders:outbox"), {"status": "recorded_locally"})
    assert message.reference in shown.content.decode()
    hidden = client.get(reverse("reminders:outbox"), {"status": "delivered", "kind": ""})
    assert message.reference not in hidden.content.decode()
    wrong = client.get(reverse("reminders:outbox"), {"status": "nonsense"})
    assert wrong.status_code == 200
    assert message.reference not in wrong.content.decode()


@pytest.mark.parametrize("username", ["caseworker", "officer", "analyst", "auditor"])
def test_others_may_not_open_the_outbox(demo_users: dict[str, Any], username: str) -> None:
    assert demo_sign_in(username).get(reverse("reminders:outbox")).status_code == 403


def _post(payload: dict[str, Any], token: str | None = TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    client = Client(enforce_csrf_checks=True)
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def _callback(message: PersonMessage, status: str = "delivered") -> dict[str, Any]:
    return {
        "id": "2e4f3a1c-0000-4000-8000-000000000001",
        "reference": message.reference,
        "to": "+447700900123",
        "status": status,
        "created_at": "2026-12-04T10:00:00.000000Z",
        "completed_at": "2026-12-04T10:00:05.000000Z",
        "sent_at": "2026-12-04T10:00:01.000000Z",
        "notification_type": "sms",
    }


def _sent(demo_users: dict[str, Any], settings: Any) -> PersonMessage:
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    appointment = book(demo_users, referral_for(demo_users))
    message = PersonMessage.objects.get(appointment=appointment, kind=Kind.CONFIRMATION)
    PersonMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)
    message.refresh_from_db()
    assert message.to
    return message


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_callback_refused_without_the_right_token(
    demo_users: dict[str, Any], settings: Any, token: str | None
) -> None:
    message = _sent(demo_users, settings)
    response = _post(_callback(message), token)
    assert response.status_code == 401
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.to


def test_callback_refused_when_no_token_is_configured(
    demo_users: dict[str, Any], settings: Any
) -> None:
    message = _sent(demo_users, settings)
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert _post(_callback(message), "").status_code == 401


def test_callback_updates_the_status_clears_the_address_and_is_idempotent(
    demo_users: dict[str, Any], settings: Any
) -> None:
    message = _sent(demo_users, settings)
    response = _post(_callback(message))
    assert response.status_code == 200
    assert response.json() == {"result": "updated"}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.to == ""
    assert message.delivered_at is not None
    again = _post(_callback(message, "permanent-failure"))
    assert again.status_code == 200 and again.json() == {"result": "unchanged"}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_callback_failure_status(demo_users: dict[str, Any], settings: Any) -> None:
    message = _sent(demo_users, settings)
    _post(_callback(message, "permanent-failure"))
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE
    assert message.to == ""


def test_callback_for_an_unknown_reference_is_ignored(
    demo_users: dict[str, Any], settings: Any
) -> None:
    message = _sent(demo_users, settings)
    payload = {**_callback(message), "reference": "pontio-msg-999999999"}
    response = _post(payload)
    assert response.status_code == 200 and response.json() == {"result": "ignored"}
    assert _post({**payload, "reference": None}).json() == {"result": "ignored"}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_callback_get_is_not_allowed(settings: Any, db: Any) -> None:
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405
