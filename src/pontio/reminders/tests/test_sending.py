"""Sending through GOV.UK Notify (the client patched), local mode, retries, and never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
import requests
from django.core.management import call_command
from notifications_python_client.errors import HTTPError

from pontio.reminders import sending
from pontio.reminders.models import Kind, MessageStatus, PersonMessage
from pontio.reminders.tests.helpers import book, referral_for

pytestmark = pytest.mark.django_db


def _error(status: int) -> HTTPError:
    response = requests.Response()
    response.status_code = status
    response._content = b'{"errors": [{"error": "x", "message": "x"}]}'
    return HTTPError(response)


@pytest.fixture
def live(settings: Any, monkeypatch: pytest.MonkeyPatch) -> mock.MagicMock:
    settings.NOTIFY_API_KEY = "test-key"
    settings.PONTIO_NOTIFY_MODE = ""
    for kind in Kind.values:
        for language in ("EN", "CY"):
            monkeypatch.setenv(f"NOTIFY_TEMPLATE_{kind.upper()}_SMS_{language}", f"tpl-{kind}")
    api = mock.MagicMock()
    api.send_sms_notification.return_value = {"id": "notify-1"}
    api.get_all_notifications.return_value = {"notifications": []}
    monkeypatch.setattr(sending, "client", lambda: api)
    return api


def _confirmation(demo_users: dict[str, Any]) -> PersonMessage:
    appointment = book(demo_users, referral_for(demo_users))
    return PersonMessage.objects.get(appointment=appointment, kind=Kind.CONFIRMATION)


def test_local_mode_records_instead_of_sending(demo_users: dict[str, Any], settings: Any) -> None:
    settings.NOTIFY_API_KEY = ""
    message = _confirmation(demo_users)
    with mock.patch.object(sending, "client") as client:
        assert sending.send_due(message.due_at) == 1
        client.assert_not_called()
    message.refresh_from_db()
    assert message.status == MessageStatus.RECORDED_LOCALLY
    assert message.to == ""
    assert "Date:" in message.body


def test_local_mode_even_with_a_key(demo_users: dict[str, Any], settings: Any) -> None:
    settings.NOTIFY_API_KEY = "key"
    settings.PONTIO_NOTIFY_MODE = "local"
    message = _confirmation(demo_users)
    with mock.patch.object(sending, "client") as client:
        sending.send_due(message.due_at)
        client.assert_not_called()
    message.refresh_from_db()
    assert message.status == MessageStatus.RECORDED_LOCALLY


def test_sends_with_reference_template_and_personalisation(
    demo_users: dict[str, Any], live: mock.MagicMock
) -> None:
    message = _confirmation(demo_users)
    sending.send_due(message.due_at)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.notify_id == "notify-1"
    kwargs = live.send_sms_notification.call_args.kwargs
    assert kwargs["reference"] == f"pontio-msg-{message.pk}"
    assert kwargs["phone_number"] == "+447700900123"
    assert kwargs["template_id"] == f"tpl-{Kind.CONFIRMATION}"
    assert set(kwargs["personalisation"]) == {"date", "time", "place"}
    # Sent stays sent: a second run sends nothing.
    sending.send_due(message.due_at + dt.timedelta(minutes=1))
    assert live.send_sms_notification.call_count == 1


def test_a_5xx_is_retried_with_back_off_and_sent_exactly_once(
    demo_users: dict[str, Any], live: mock.MagicMock
) -> None:
    live.send_sms_notification.side_effect = [_error(500), {"id": "notify-2"}]
    message = _confirmation(demo_users)
    now = message.due_at
    sending.send_due(now)
    message.refresh_from_db()
    assert message.status == MessageStatus.SCHEDULED
    assert message.attempts == 1
    assert message.due_at == now + dt.timedelta(minutes=1)
    assert message.last_error == "Notify 500"
    sending.send_due(now + dt.timedelta(seconds=30))  # not due yet
    assert live.send_sms_notification.call_count == 1
    sending.send_due(now + dt.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    sending.send_due(now + dt.timedelta(minutes=20))
    assert live.send_sms_notification.call_count == 2  # one failed, one accepted: sent once


def test_a_timeout_that_notify_had_accepted_is_not_sent_again(
    demo_users: dict[str, Any], live: mock.MagicMock
) -> None:
    live.send_sms_notification.side_effect = [HTTPError.create(requests.Timeout())]
    message = _confirmation(demo_users)
    sending.send_due(message.due_at)
    message.refresh_from_db()
    assert message.uncertain and message.status == MessageStatus.SCHEDULED
    live.get_all_notifications.return_value = {"notifications": [{"id": "notify-3"}]}
    sending.send_due(message.due_at)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.notify_id == "notify-3"
    live.get_all_notifications.assert_called_with(reference=f"pontio-msg-{message.pk}")
    assert live.send_sms_notification.call_count == 1


def test_a_worker_that_died_while_sending_looks_up_before_resending(
    demo_users: dict[str, Any], live: mock.MagicMock
) -> None:
    message = _confirmation(demo_users)
    PersonMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=1, claimed_at=message.due_at
    )
    live.get_all_notifications.return_value = {"notifications": [{"id": "notify-4"}]}
    sending.send_due(message.due_at + dt.timedelta(minutes=11))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    live.send_sms_notification.assert_not_called()


def test_a_4xx_is_a_permanent_failure_without_retry(
    demo_users: dict[str, Any], live: mock.MagicMock
) -> None:
    live.send_sms_notification.side_effect = [_error(400)]
    message = _confirmation(demo_users)
    sending.send_due(message.due_at)
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE
    assert message.to == ""
    assert message.last_error == "Notify refused: 400"
    sending.send_due(message.due_at + dt.timedelta(hours=1))
    assert live.send_sms_notification.call_count == 1


def test_gives_up_after_five_attempts(demo_users: dict[str, Any], live: mock.MagicMock) -> None:
    live.send_sms_notification.side_effect = _error(503)
    message = _confirmation(demo_users)
    now = message.due_at
    for _ in range(6):
        sending.send_due(now)
        now += dt.timedelta(minutes=31)
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert live.send_sms_notification.call_count == sending.MAX_ATTEMPTS


def test_a_reminder_is_never_sent_late(demo_users: dict[str, Any], live: mock.MagicMock) -> None:
    appointment = book(demo_users, referral_for(demo_users))
    reminder = PersonMessage.objects.get(appointment=appointment, kind=Kind.REMINDER_2_HOURS)
    sending.send_due(appointment.starts_at + dt.timedelta(minutes=5))
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    sent_kinds = [c.kwargs["template_id"] for c in live.send_sms_notification.call_args_list]
    assert f"tpl-{Kind.REMINDER_2_HOURS}" not in sent_kinds


def test_the_command_queues_the_due_messages(demo_users: dict[str, Any], settings: Any) -> None:
    settings.NOTIFY_API_KEY = ""
    message = _confirmation(demo_users)
    call_command("send_due_reminders", stdout=mock.MagicMock())  # immediate backend in tests
    message.refresh_from_db()
    assert message.status == MessageStatus.RECORDED_LOCALLY


def test_demo_seed_gives_past_appointments_their_history(
    demo_users: dict[str, Any], settings: Any
) -> None:
    from django.utils import timezone

    from pontio.referrals import services
    from pontio.referrals.models import Appointment
    from pontio.referrals.tests.helpers import CONTEXT
    from pontio.reminders.demo import seed_reminders

    settings.NOTIFY_API_KEY = ""
    referral = referral_for(demo_users)
    past = book(demo_users, referral, timezone.now() - dt.timedelta(hours=1))
    past.refresh_from_db()
    services.appointment_record_attendance(
        context=CONTEXT,
        actor=demo_users["caseworker"],
        appointment_id=past.pk,
        expected_version=past.version,
        attendance=Appointment.Attendance.ATTENDED,
    )
    upcoming = book(demo_users, referral)
    result = seed_reminders()
    assert result.past == 1 and result.upcoming == 1
    again = seed_reminders()
    assert again.recorded == 0
    history = PersonMessage.objects.filter(appointment=past)
    assert {m.status for m in history} == {MessageStatus.RECORDED_LOCALLY}
    assert history.count() == 3
    assert (
        PersonMessage.objects.get(appointment=upcoming, kind=Kind.CONFIRMATION).status
        == MessageStatus.RECORDED_LOCALLY
    )
