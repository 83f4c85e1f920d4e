"""Small shared pieces: Notify messages, client addresses, GOV.UK date input, request ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.test import RequestFactory

from pontio.core.forms import GovukDateField
from pontio.core.http import client_ip
from pontio.core.models import Notification
from pontio.core.notify import notification_send

# --- GOV.UK Notify ----------------------------------------------------------------------------


class FakeNotify:
    sent: list[dict[str, Any]] = []
    fail = False

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key

    def send_email_notification(self, **kwargs: Any) -> dict[str, Any]:
        if FakeNotify.fail:
            raise RuntimeError("Notify is down")
        FakeNotify.sent.append({"api_key": self.api_key, **kwargs})
        return {"id": "notify-123"}


@pytest.fixture
def fake_notify(monkeypatch: Any, settings: Any) -> type[FakeNotify]:
    import notifications_python_client.notifications as module

    FakeNotify.sent = []
    FakeNotify.fail = False
    monkeypatch.setattr(module, "NotificationsAPIClient", FakeNotify)
    settings.NOTIFY_API_KEY = "test-key"
    monkeypatch.setenv("NOTIFY_TEMPLATE_ACCOUNT_INVITATION_CY", "tmpl-cy")
    monkeypatch.setenv("NOTIFY_TEMPLATE_ACCOUNT_INVITATION_EN", "tmpl-en")
    return FakeNotify


def queued(language: str = "cy") -> Notification:
    return Notification.objects.create(
        template="account_invitation",
        language=language,
        recipient_user_id=5,
        email_address="person@example.test",
        link="http://127.0.0.1:8000/set-password/NQ/token/",
    )


@pytest.mark.django_db
def test_without_a_key_messages_are_recorded_locally(settings: Any) -> None:
    settings.NOTIFY_API_KEY = ""
    note = notification_send(queued())
    assert note.status == Notification.Status.RECORDED_LOCALLY
    assert Notification.objects.get(pk=note.pk).email_address == "person@example.test"


@pytest.mark.django_db
def test_local_mode_records_locally_even_with_a_key(
    fake_notify: type[FakeNotify], settings: Any
) -> None:
    settings.PONTIO_NOTIFY_MODE = "local"
    note = notification_send(queued("cy"))
    assert note.status == Notification.Status.RECORDED_LOCALLY
    assert fake_notify.sent == []


@pytest.mark.django_db
def test_message_is_sent_with_the_link_only_and_the_address_is_cleared(
    fake_notify: type[FakeNotify],
) -> None:
    note = notification_send(queued("cy"))
    assert fake_notify.sent == [
        {
            "api_key": "test-key",
            "email_address": "person@example.test",
            "template_id": "tmpl-cy",  # the Welsh template for a Welsh speaker
            "personalisation": {"link": "http://127.0.0.1:8000/set-password/NQ/token/"},
            "reference": f"pontio-{note.pk}",
        }
    ]
    stored = Notification.objects.get(pk=note.pk)
    assert stored.status == Notification.Status.SENT
    assert stored.notify_id == "notify-123"
    assert stored.email_address == ""
    assert stored.sent_at is not None
    # Sending again does nothing.
    notification_send(stored)
    assert len(fake_notify.sent) == 1


@pytest.mark.django_db
def test_missing_template_for_the_language_is_not_sent(
    fake_notify: type[FakeNotify], monkeypatch: Any
) -> None:
    monkeypatch.delenv("NOTIFY_TEMPLATE_ACCOUNT_INVITATION_CY")
    note = notification_send(queued("cy"))
    assert note.status == Notification.Status.NOT_CONFIGURED
    assert fake_notify.sent == []


@pytest.mark.django_db
def test_failed_send_is_marked_failed(fake_notify: type[FakeNotify]) -> None:
    fake_notify.fail = True
    note = queued("en")
    with pytest.raises(RuntimeError):
        notification_send(note)
    assert Notification.objects.get(pk=note.pk).status == Notification.Status.FAILED


# --- client address ---------------------------------------------------------------------------


def test_forwarded_header_is_ignored_without_trusted_proxies(settings: Any) -> None:
    settings.PONTIO_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_only_the_entry_added_by_our_proxy_is_trusted(settings: Any) -> None:
    settings.PONTIO_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")
    assert client_ip(request) == "10.0.0.5"


# --- GOV.UK date input ------------------------------------------------------------------------


class DateForm(forms.Form):
    day = GovukDateField(required=False)
    needed = GovukDateField()


@pytest.mark.parametrize(
    ("parts", "error"),
    [
        (("", "", ""), "Enter a date"),
        (("1", "", "2026"), "The date must include a day, month and year"),
        (("31", "2", "2026"), "The date must be a real date"),
        (("x", "2", "2026"), "The date must be a real date"),
        # A huge year once raised OverflowError (a server error) instead of a message.
        (("1", "1", "99999999999"), "The year must include 4 numbers"),
        (("1", "1", "26"), "The year must include 4 numbers"),
        (("99999999999", "1", "2026"), "The date must be a real date"),
        (("1", "99999999999", "2026"), "The date must be a real date"),
        (("1", "1", "1800"), "The date must be on or after 1 January 1900"),
        (("1", "1", "2101"), "The date must be on or before 31 December 2100"),
    ],
)
def test_date_field_errors(parts: tuple[str, str, str], error: str) -> None:
    data = {f"needed_{i}": v for i, v in enumerate(parts)}
    form = DateForm(data)
    assert not form.is_valid()
    assert form.errors["needed"] == [error]


def test_date_field_values() -> None:
    form = DateForm({"needed_0": " 7 ", "needed_1": "4", "needed_2": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": None, "needed": dt.date(2026, 4, 7)}


@pytest.mark.parametrize("entry", ["203.0.113.5:4711", "unknown", "[2001:db8::1]:443", "<script>"])
def test_a_malformed_forwarded_entry_is_not_used_as_an_address(settings: Any, entry: str) -> None:
    """Some proxies add a port or write "unknown"; audit events store the address in an
    IP-address column, which PostgreSQL refuses to fill with anything else. The entry is
    ignored and the address of the proxy that connected is kept instead."""
    settings.PONTIO_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=entry)
    assert client_ip(request) == "10.0.0.5"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [("2001:DB8:0:0::1", "2001:db8::1"), (" 198.51.100.7 ", "198.51.100.7")],
)
def test_a_forwarded_address_is_stored_in_canonical_form(
    settings: Any, entry: str, expected: str
) -> None:
    """The audit hash covers the address, so it is kept as PostgreSQL gives it back."""
    settings.PONTIO_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=entry)
    assert client_ip(request) == expected


def test_without_any_address_there_is_none(settings: Any) -> None:
    settings.PONTIO_TRUSTED_PROXIES = 2
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) is None
