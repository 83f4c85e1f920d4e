"""The demo's partner token and webhook history (seed_interop)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from pontio.referrals.tests.helpers import make_person, move, refer
from pontio.webhooks.demo import RECEIVER, seed_interop
from pontio.webhooks.models import DeliveryStatus, WebhookDelivery


def test_the_demo_token_calls_fhir_and_the_log_holds_delivered_events(demo_users: Any) -> None:
    referral = refer(demo_users["officer"], make_person())
    move(demo_users["caseworker"], referral, "accepted")
    result = seed_interop()
    assert result.token.startswith("pontio_")
    assert result.deliveries == 2
    delivered = WebhookDelivery.objects.filter(subscription__url=RECEIVER)
    assert {d.status for d in delivered} == {DeliveryStatus.DELIVERED}
    assert sorted(d.attempts for d in delivered) == [1, 2]

    client = Client(HTTP_AUTHORIZATION=f"Bearer {result.token}")
    answer = client.get("/fhir/R4/Task", {"status": "accepted", "_count": "5"})
    assert answer.status_code == 200
    assert str(referral.pk) in answer.content.decode()

    again = seed_interop()
    assert again.token == "" and again.deliveries == 0
