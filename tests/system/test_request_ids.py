"""Request ids: every response has its own, and the audit events of a request carry it."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_each_response_has_its_own_request_id_and_audit_events_carry_it() -> None:
    from django.test import Client

    from pontio.accounts.events import AccountEvent
    from pontio.audit.models import AuditEvent

    client = Client()
    first = client.post("/sign-in/", {"username": "nobody-at-all", "password": "x"})
    second = client.get("/sign-in/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    event = AuditEvent.objects.get(action=AccountEvent.SIGN_IN_FAILED)
    assert event.request_id == first["X-Request-ID"]
    assert event.view_name == "accounts:sign-in"
    assert event.ip_address == "127.0.0.1"
