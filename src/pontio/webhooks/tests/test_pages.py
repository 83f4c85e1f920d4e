"""The administrator's webhook pages: the secret shown once, bad URLs refused, rotation,
disabling, the delivery log and its replay button, and nobody else let in."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.referrals.tests.helpers import refer
from pontio.webhooks import sending, signing
from pontio.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from pontio.webhooks.tests.helpers import subscribe

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _new(client: Any, organisation: Any, url: str, events: list[str] | None = None) -> Any:
    return client.post(
        reverse("webhooks:subscription-new"),
        {
            "url": url,
            "organisation": organisation.pk,
            "events": ["referral.created"] if events is None else events,
        },
    )


def test_the_secret_is_shown_once_and_never_stored_by_the_browser(
    world: dict[str, Any], receiver: Any
) -> None:
    client = demo_sign_in("admin")
    provider = world["caseworker"].organisation
    response = _new(client, provider, receiver.url, ["referral.created", "referral.outcome"])
    subscription = WebhookSubscription.objects.get()
    secret_url = reverse("webhooks:subscription-secret", args=[subscription.pk])
    assert response.status_code == 302 and response["Location"] == secret_url
    assert subscription.events == ["referral.created", "referral.outcome"]
    assert subscription.organisation == provider and subscription.created_by == world["admin"]
    assert len(subscription.secret) == 64
    shown = client.get(secret_url)
    assert shown.status_code == 200 and subscription.secret in _text(shown)
    assert "no-store" in shown["Cache-Control"]
    again = client.get(secret_url)
    assert again.status_code == 200 and subscription.secret not in _text(again)
    assert "already been shown" in _text(again)
    for url in (
        reverse("webhooks:subscription-list"),
        reverse("webhooks:subscription-detail", args=[subscription.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200 and subscription.secret not in _text(page)
    created = AuditEvent.objects.get(object_type="webhooks.webhooksubscription", action="create")
    assert subscription.secret not in str(created.__dict__)
    # Another administrator's session never holds it.
    other = demo_sign_in("admin")
    assert subscription.secret not in _text(other.get(secret_url))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://partner.example.org/hooks", "must start with https://"),
        ("http://10.1.2.3/hooks", "private or local network address"),
        ("https://192.168.1.20/hooks", "private or local network address"),
        ("https://169.254.169.254/latest", "private or local network address"),
        ("ftp://partner.example.org/", "Enter a real URL"),
        ("partner.example.org/hooks", "Enter a real URL"),
        ("https://user:pw@partner.example.org/", "user name or password"),
        ("https://partner.example.org/a b", "without spaces"),
        ("", "Enter the receiver URL"),
    ],
)
def test_a_bad_url_is_refused_with_a_clear_error(
    world: dict[str, Any], url: str, message: str
) -> None:
    response = _new(demo_sign_in("admin"), world["caseworker"].organisation, url)
    assert response.status_code == 400
    assert message in _text(response)
    assert not WebhookSubscription.objects.exists()


def test_plain_http_to_this_machine_needs_the_development_setting(
    world: dict[str, Any], settings: Any
) -> None:
    settings.PONTIO_WEBHOOKS_ALLOW_HTTP_LOCAL = False
    settings.DEBUG = False
    response = _new(
        demo_sign_in("admin"), world["caseworker"].organisation, "http://127.0.0.1:8080/h"
    )
    assert response.status_code == 400
    assert "allowed only in development" in _text(response)
    response = _new(demo_sign_in("admin"), world["caseworker"].organisation, "https://localhost/h")
    assert "private or local network address" in _text(response)
    assert not WebhookSubscription.objects.exists()


def test_events_are_required_and_from_the_list(world: dict[str, Any]) -> None:
    client = demo_sign_in("admin")
    organisation = world["caseworker"].organisation
    assert "Select at least one event" in _text(
        _new(client, organisation, "https://a.example/", [])
    )
    assert "Select events from the list" in _text(
        _new(client, organisation, "https://a.example/", ["person.created"])
    )
    assert not WebhookSubscription.objects.exists()


def test_the_same_url_twice_for_one_organisation_is_refused(world: dict[str, Any]) -> None:
    client = demo_sign_in("admin")
    organisation = world["caseworker"].organisation
    assert _new(client, organisation, "https://a.example/hook").status_code == 302
    again = _new(client, organisation, "https://a.example/hook")
    assert again.status_code == 400 and "already has an active subscription" in _text(again)
    assert WebhookSubscription.objects.count() == 1


def test_rotating_shows_a_new_secret_once(world: dict[str, Any]) -> None:
    subscription, old = subscribe(
        world["admin"], world["caseworker"].organisation, "https://a.example/"
    )
    client = demo_sign_in("admin")
    response = client.post(
        reverse("webhooks:subscription-rotate", args=[subscription.pk]), follow=True
    )
    subscription.refresh_from_db()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert subscription.secret != old and subscription.secret in _text(response)
    assert old not in _text(response)
    assert subscription.secret_rotated_at is not None
    detail = client.get(reverse("webhooks:subscription-detail", args=[subscription.pk]))
    assert subscription.secret not in _text(detail)


def test_disabling_stops_the_subscription(world: dict[str, Any]) -> None:
    subscription, _ = subscribe(
        world["admin"], world["caseworker"].organisation, "https://a.example/"
    )
    client = demo_sign_in("admin")
    response = client.post(reverse("webhooks:subscription-disable", args=[subscription.pk]))
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_at is not None
    refer(world["officer"], world["person"])
    assert not WebhookDelivery.objects.exists()
    # Neither rotated nor disabled twice.
    again = client.post(
        reverse("webhooks:subscription-disable", args=[subscription.pk]), follow=True
    )
    assert "already disabled" in _text(again)
    rotated = client.post(
        reverse("webhooks:subscription-rotate", args=[subscription.pk]), follow=True
    )
    assert "add a new one instead" in _text(rotated)


@pytest.mark.parametrize(
    "username", ["officer", "caseworker", "provider.manager", "auditor", "analyst"]
)
def test_only_administrators_open_the_pages(world: dict[str, Any], username: str) -> None:
    subscription, _ = subscribe(
        world["admin"], world["caseworker"].organisation, "https://a.example/"
    )
    client = demo_sign_in(username)
    for name, args in (
        ("webhooks:subscription-list", []),
        ("webhooks:subscription-new", []),
        ("webhooks:subscription-detail", [subscription.pk]),
        ("webhooks:subscription-secret", [subscription.pk]),
        ("webhooks:delivery-list", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
    for name in ("webhooks:subscription-rotate", "webhooks:subscription-disable"):
        assert client.post(reverse(name, args=[subscription.pk])).status_code == 403
    assert _new(client, world["caseworker"].organisation, "https://b.example/").status_code == 403
    subscription.refresh_from_db()
    assert subscription.active and WebhookSubscription.objects.count() == 1


def test_the_delivery_log_filters_and_replays(
    world: dict[str, Any], receiver: Any, django_capture_on_commit_callbacks, monkeypatch: Any
) -> None:
    subscription, receiver.secret = subscribe(
        world["admin"], world["caseworker"].organisation, receiver.url
    )
    receiver.plan = [500]
    with django_capture_on_commit_callbacks(execute=True):
        refer(world["officer"], world["person"])
        refer(world["officer"], world["person"], reason="Second referral for another reason.")
    failed = WebhookDelivery.objects.get(status=DeliveryStatus.FAILED)
    delivered = WebhookDelivery.objects.get(status=DeliveryStatus.DELIVERED)
    client = demo_sign_in("admin")
    log = client.get(reverse("webhooks:delivery-list"))
    assert log.status_code == 200
    text = _text(log)
    assert reverse("webhooks:delivery-detail", args=[delivered.pk]) in text
    only_failed = _text(client.get(reverse("webhooks:delivery-list"), {"status": "failed"}))
    assert reverse("webhooks:delivery-detail", args=[failed.pk]) in only_failed
    assert reverse("webhooks:delivery-detail", args=[delivered.pk]) not in only_failed
    by_subscription = client.get(
        reverse("webhooks:delivery-list"), {"subscription": subscription.pk}
    )
    assert reverse("webhooks:delivery-detail", args=[delivered.pk]) in _text(by_subscription)
    assert client.get(reverse("webhooks:delivery-list"), {"status": "lost"}).status_code == 400

    detail = client.get(reverse("webhooks:delivery-detail", args=[failed.pk]))
    page = _text(detail)
    assert detail.status_code == 200 and str(failed.event_id) in page and "HTTP 500" in page
    assert world["person"].family_name not in page

    # GET does nothing; the button (POST) sends the same event id again, audited.
    assert client.get(reverse("webhooks:delivery-replay", args=[failed.pk])).status_code == 405
    later = sending.unix_now() + 120
    monkeypatch.setattr(sending, "unix_now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:delivery-replay", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED and failed.replayed_by == world["admin"]
    assert failed.tries.last().replay
    assert receiver.received[-1].headers["Pontio-Event-Id"] == str(failed.event_id)
    first_timestamp = signing.parse(receiver.received[0].headers["Pontio-Signature"])[0]
    assert signing.parse(receiver.received[-1].headers["Pontio-Signature"])[0] == later
    assert later != first_timestamp
    assert AuditEvent.objects.filter(
        object_type="webhooks.webhookdelivery",
        object_id=str(failed.pk),
        reason="webhook delivery replayed by an administrator",
    ).exists()
    # Replaying what the receiver already accepted: it refuses the repeated id.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:delivery-replay", args=[delivered.pk]))
    assert receiver.outcomes()[-1] == "ReplayedEvent"
    delivered.refresh_from_db()
    assert delivered.status == DeliveryStatus.FAILED and delivered.last_status_code == 409


def test_others_cannot_replay(
    world: dict[str, Any], receiver: Any, django_capture_on_commit_callbacks
) -> None:
    _subscription, receiver.secret = subscribe(
        world["admin"], world["caseworker"].organisation, receiver.url
    )
    with django_capture_on_commit_callbacks(execute=True):
        refer(world["officer"], world["person"])
    delivery = WebhookDelivery.objects.get()
    for username in ("caseworker", "auditor"):
        client = demo_sign_in(username)
        assert (
            client.get(reverse("webhooks:delivery-detail", args=[delivery.pk])).status_code == 403
        )
        assert (
            client.post(reverse("webhooks:delivery-replay", args=[delivery.pk])).status_code == 403
        )
    delivery.refresh_from_db()
    assert delivery.replayed_at is None and len(receiver.received) == 1


def test_administrators_have_the_navigation_entry(world: dict[str, Any]) -> None:
    url = reverse("webhooks:subscription-list")
    assert url in _text(demo_sign_in("admin").get(reverse("core:home")))
    assert url not in _text(demo_sign_in("caseworker").get(reverse("core:home")))


def test_the_log_and_the_list_keep_their_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.utils import timezone

    from pontio.webhooks import services

    referral = refer(world["officer"], world["person"])
    for n in range(6):
        subscribe(world["admin"], world["caseworker"].organisation, f"https://a{n}.example/")
    for _ in range(3):
        services.event_publish(
            event_type="referral.amended", referral=referral, created=timezone.now()
        )
    assert WebhookDelivery.objects.count() == 18
    client = demo_sign_in("admin")
    for name in ("webhooks:delivery-list", "webhooks:subscription-list"):
        client.get(reverse(name))
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200


def test_the_pages_work_in_welsh(world: dict[str, Any]) -> None:
    subscription, _ = subscribe(
        world["admin"], world["caseworker"].organisation, "https://a.example/"
    )
    refer(world["officer"], world["person"])
    client = demo_sign_in("admin")
    client.post(reverse("core:language", args=["cy"]))
    client.get(reverse("core:language", args=["cy"]))
    delivery = WebhookDelivery.objects.get()
    for url in (
        reverse("webhooks:subscription-list"),
        reverse("webhooks:subscription-new"),
        reverse("webhooks:subscription-detail", args=[subscription.pk]),
        reverse("webhooks:subscription-secret", args=[subscription.pk]),
        reverse("webhooks:delivery-list"),
        reverse("webhooks:delivery-detail", args=[delivery.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="cy"' in response.content.decode(), url
