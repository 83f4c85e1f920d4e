"""Partner API tokens against the referrals API (in the system tests: the accounts app's own
tests may not import the referrals' helpers, a higher layer)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pontio.accounts.models import Organisation
from pontio.accounts.roles import Role
from pontio.accounts.tokens import TokenEvent, token_create
from pontio.audit.models import AuditEvent
from pontio.referrals.tests.helpers import POWYS, make_person, refer

pytestmark = pytest.mark.django_db

DYFED = "Dyfed Drug and Alcohol Service"
POWYS_PROVIDER = "Kaleidoscope Powys"


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def issue(admin: Any, organisation: str, role: str, scopes: list[str] | None = None) -> str:
    _token, plaintext = token_create(
        actor=admin,
        organisation=Organisation.objects.get(name=organisation),
        name="Case system",
        scopes=scopes or ["api"],
        role=role,
        expires_at=timezone.now() + timedelta(days=30),
    )
    return plaintext


def bearer(plaintext: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def test_provider_token_sees_only_its_organisations_referrals(
    demo_users: dict[str, Any],
) -> None:
    ours = refer(demo_users["officer"], make_person())
    theirs = refer(demo_users["powys.officer"], make_person(county_code=POWYS))
    assert ours.provider.name == DYFED
    assert theirs.provider.name == POWYS_PROVIDER
    client = bearer(issue(demo_users["admin"], DYFED, Role.PROVIDER_MANAGER))
    listed = client.get("/api/v1/referrals/")
    assert listed.status_code == 200, listed.content
    ids = {row["id"] for row in listed.json()["results"]}
    assert ours.pk in ids
    assert theirs.pk not in ids
    assert client.get(f"/api/v1/referrals/{ours.pk}/").status_code == 200
    assert client.get(f"/api/v1/referrals/{theirs.pk}/").status_code == 404


def test_organisation_b_token_cannot_see_organisation_a_referral(
    demo_users: dict[str, Any],
) -> None:
    ours = refer(demo_users["officer"], make_person())
    client = bearer(issue(demo_users["admin"], POWYS_PROVIDER, Role.PROVIDER_CASEWORKER))
    assert client.get(f"/api/v1/referrals/{ours.pk}/").status_code == 404
    assert ours.pk not in {r["id"] for r in client.get("/api/v1/referrals/").json()["results"]}
    calls = AuditEvent.objects.filter(action=TokenEvent.CALL).order_by("sequence")
    assert [c.reason.rsplit(" ", 1)[1] for c in calls] == ["404", "200"]
