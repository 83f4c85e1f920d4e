"""End to end: a partner's real receiver on 127.0.0.1 subscribes, referrals happen, the
worker sends signed requests, the receiver verifies them (and refuses replays, unsigned
and tampered requests), failures are retried with back-off, and nothing leaks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import requests
from django.utils import timezone

from pontio.accounts.models import Organisation
from pontio.referrals import services as referral_services
from pontio.referrals.models import Appointment, Status
from pontio.referrals.services.amend import referral_amend
from pontio.referrals.services.appointments import appointment_reschedule
from pontio.referrals.tests.helpers import CONTEXT as REFERRAL_CONTEXT
from pontio.referrals.tests.helpers import move, refer
from pontio.webhooks import sending, signing
from pontio.webhooks.models import DeliveryStatus, WebhookDelivery
from pontio.webhooks.tests.helpers import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(world: dict[str, Any]) -> Organisation:
    return world["caseworker"].organisation


@pytest.fixture
def hooked(world: dict[str, Any], receiver: Any, provider: Organisation) -> Any:
    """The provider's receiver, subscribed to every event, knowing its secret."""
    subscription, secret = subscribe(world["admin"], provider, receiver.url)
    receiver.secret = secret
    receiver.subscription = subscription
    return receiver


def _refer(world: dict[str, Any], capture: Any) -> Any:
    with capture(execute=True):
        referral = refer(world["officer"], world["person"])
    return referral


def _later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_the_provider_receives_signed_events_and_refuses_replays_and_forgeries(
    world: dict[str, Any], hooked: Any, provider: Organisation, django_capture_on_commit_callbacks
) -> None:
    referral = _refer(world, django_capture_on_commit_callbacks)
    assert referral.provider == provider
    with django_capture_on_commit_callbacks(execute=True):
        move(world["caseworker"], referral, Status.ACCEPTED)
    assert hooked.outcomes() == ["accepted", "accepted"]
    first, second = hooked.received
    assert first.headers[signing.EVENT_TYPE_HEADER] == "referral.created"
    assert second.headers[signing.EVENT_TYPE_HEADER] == "referral.status_changed"
    payload = json.loads(first.body)
    assert payload["type"] == "referral.created"
    assert payload["data"]["referral"] == {
        "id": referral.pk,
        "reference": referral.reference,
        "status": "requested",
        "url": f"https://pontio.example.gov.uk/api/v1/referrals/{referral.pk}/",
        "fhir_task": f"https://pontio.example.gov.uk/fhir/R4/Task/{referral.pk}",
    }
    assert json.loads(second.body)["data"]["referral"]["status"] == "accepted"
    assert payload["created"].endswith("Z")
    delivery = WebhookDelivery.objects.get(event_id=payload["id"])
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert first.headers[signing.EVENT_ID_HEADER] == payload["id"]

    # The very same request again (a replay by whoever saw it): refused.
    replayed = requests.post(hooked.url, data=first.body, headers=first.headers, timeout=5)
    assert replayed.status_code == 409 and hooked.outcomes()[-1] == "ReplayedEvent"
    # Unsigned, and with the body changed under the signature: refused.
    unsigned = {k: v for k, v in first.headers.items() if k != signing.SIGNATURE_HEADER}
    assert requests.post(hooked.url, data=b"{}", headers=unsigned, timeout=5).status_code == 400
    assert hooked.outcomes()[-1] == "MissingSignature"
    tampered = first.body.replace(b'"requested"', b'"completed"')
    assert tampered != first.body
    assert (
        requests.post(hooked.url, data=tampered, headers=first.headers, timeout=5).status_code
        == 400
    )
    assert hooked.outcomes()[-1] == "WrongSignature"
    # The event id header swapped to slip past the replay check: refused too.
    swapped = {**first.headers, signing.EVENT_ID_HEADER: "00000000-0000-4000-8000-000000000000"}
    assert requests.post(hooked.url, data=first.body, headers=swapped, timeout=5).status_code == 400
    assert hooked.outcomes()[-1] == "MismatchedEventId"


def test_the_payload_holds_no_personal_data(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    _refer(world, django_capture_on_commit_callbacks)
    person = world["person"]
    body = hooked.received[0].body.decode()
    headers = json.dumps(hooked.received[0].headers)
    for text in (
        person.given_name,
        person.family_name,
        person.date_of_birth.isoformat(),
        person.date_of_birth.strftime("%d/%m/%Y"),
        "07700 900123",
        "07700900123",
        "cocaine",
        "welfare check",
    ):
        assert text.lower() not in body.lower() and text.lower() not in headers.lower()
    assert set(json.loads(body)) == {"id", "type", "created", "data"}


def test_a_failure_is_retried_after_the_back_off_then_delivered_exactly_once(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    hooked.plan = [500]
    _refer(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        1,
        500,
        "HTTP 500",
    )
    first_try = delivery.tries.get()
    assert delivery.next_attempt_at - first_try.at == dt.timedelta(minutes=1)
    # Not due yet: nothing is sent.
    assert sending.send_due(now=_later(0.5)) == {}
    assert sending.send_due(now=_later(1.5)) == {"delivered": 1}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert delivery.last_status_code == 200 and delivery.last_error == ""
    # A delivered row is never sent again, whoever sweeps and whenever.
    assert sending.send_due(now=_later(60 * 24)) == {}
    assert sending.delivery_send(delivery.pk, now=_later(60 * 24)) == "skipped"
    assert hooked.outcomes() == ["failed", "accepted"]
    assert [t.status_code for t in delivery.tries.all()] == [500, 200]


def test_after_six_failed_attempts_the_delivery_is_abandoned(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    hooked.plan = [503] * 10
    _refer(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(5):
        due = delivery.next_attempt_at
        waits.append(due - delivery.tries.last().at)
        assert sending.send_due(now=due - dt.timedelta(seconds=1)) == {}
        sending.send_due(now=due)
        delivery.refresh_from_db()
    assert waits == [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
    assert delivery.status == DeliveryStatus.ABANDONED
    assert delivery.attempts == 6 and delivery.next_attempt_at is None
    assert sending.send_due(now=_later(60 * 24 * 30)) == {}
    assert len(hooked.received) == 6


def test_an_unreachable_receiver_is_recorded_briefly(
    world: dict[str, Any], provider: Organisation, django_capture_on_commit_callbacks
) -> None:
    subscribe(world["admin"], provider, "http://127.0.0.1:9/closed")
    _refer(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None and delivery.last_error == "Could not connect"


def test_a_redirect_is_not_followed(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    hooked.plan = [302]
    _refer(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 302
    assert "redirect" in delivery.last_error


def test_other_organisations_receive_nothing(
    world: dict[str, Any], receiver: Any, django_capture_on_commit_callbacks
) -> None:
    others = Organisation.objects.exclude(
        pk__in=[world["caseworker"].organisation_id, world["officer"].organisation_id]
    )
    for other in others:
        subscribe(world["admin"], other, receiver.url)
    referral = _refer(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        move(world["caseworker"], referral, Status.ACCEPTED)
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_the_referring_organisation_hears_of_its_referrals_too(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    police, _secret = subscribe(
        world["admin"], world["officer"].organisation, hooked.url, ["referral.created"]
    )
    _refer(world, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.filter(subscription=police).count() == 1
    assert WebhookDelivery.objects.filter(subscription=hooked.subscription).count() == 1


def test_only_the_events_asked_for_are_sent(
    world: dict[str, Any], receiver: Any, provider: Organisation, django_capture_on_commit_callbacks
) -> None:
    _subscription, receiver.secret = subscribe(
        world["admin"], provider, receiver.url, ["referral.status_changed"]
    )
    referral = _refer(world, django_capture_on_commit_callbacks)
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        move(world["caseworker"], referral, Status.ACCEPTED)
    assert [r.headers[signing.EVENT_TYPE_HEADER] for r in receiver.received] == [
        "referral.status_changed"
    ]


def test_appointments_amendments_and_the_outcome_are_events(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    referral = _refer(world, django_capture_on_commit_callbacks)
    caseworker = world["caseworker"]
    with django_capture_on_commit_callbacks(execute=True):
        move(caseworker, referral, Status.ACCEPTED)
        appointment = referral_services.appointment_book(
            context=REFERRAL_CONTEXT,
            actor=caseworker,
            referral_id=referral.pk,
            kind=Appointment.Kind.ASSESSMENT,
            starts_at=timezone.now() + dt.timedelta(days=3),
        )
    with django_capture_on_commit_callbacks(execute=True):
        appointment.refresh_from_db()
        appointment_reschedule(
            context=REFERRAL_CONTEXT,
            actor=caseworker,
            appointment_id=appointment.pk,
            expected_version=appointment.version,
            starts_at=appointment.starts_at + dt.timedelta(days=1),
            mode=Appointment.Mode.PHONE,
            reason="The person asked for a later day.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        referral.refresh_from_db()
        referral_amend(
            context=REFERRAL_CONTEXT,
            actor=world["officer"],
            referral_id=referral.pk,
            expected_version=referral.version,
            changes={"contact_times": "Afternoons"},
            reason="The person asked.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        move(caseworker, referral, Status.FAILED, code="CLO_CLIENT_DECLINED")
    types = [r.headers[signing.EVENT_TYPE_HEADER] for r in hooked.received]
    assert types == [
        "referral.created",
        "referral.status_changed",
        "appointment.booked",
        "appointment.changed",
        "referral.amended",
        "referral.status_changed",
        "referral.outcome",
    ]
    assert set(hooked.outcomes()) == {"accepted"}
    booked = json.loads(hooked.received[2].body)
    assert booked["data"]["appointment"] == {"id": appointment.pk}
    outcome = json.loads(hooked.received[-1].body)
    assert outcome["data"]["referral"]["status"] == "failed"


def test_nothing_is_sent_when_the_transaction_rolls_back(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                refer(world["officer"], world["person"])
                raise RuntimeError("abandon")
        except RuntimeError:
            pass
    assert callbacks == [] and not WebhookDelivery.objects.exists()
    assert hooked.received == []


def test_a_disabled_subscription_abandons_what_was_waiting(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    from pontio.webhooks import services

    hooked.plan = [500]
    _refer(world, django_capture_on_commit_callbacks)
    services.subscription_disable(
        context=REFERRAL_CONTEXT, actor=world["admin"], subscription_id=hooked.subscription.pk
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.ABANDONED
    assert sending.send_due(now=_later(60)) == {}
    assert len(hooked.received) == 1


def test_the_cron_command_sends_what_is_due(
    world: dict[str, Any], hooked: Any, django_capture_on_commit_callbacks
) -> None:
    from io import StringIO

    from django.core.management import call_command

    # The worker was down: the commit's task never ran.
    with django_capture_on_commit_callbacks(execute=False):
        refer(world["officer"], world["person"])
    assert hooked.received == []
    out = StringIO()
    call_command("send_due_webhooks", stdout=out)
    assert "delivered: 1" in out.getvalue()
    assert hooked.outcomes() == ["accepted"]
    call_command("send_due_webhooks", stdout=out)
    assert len(hooked.received) == 1
