"""Partner API tokens at the API: authentication, scopes, organisation scope, rate limit and
the audit event of every call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import Role
from pontio.accounts.tokens import ApiToken, TokenEvent, hash_token, token_create, token_revoke
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db

DYFED = "Dyfed Drug and Alcohol Service"


def issue(
    admin: User,
    organisation: str = DYFED,
    *,
    scopes: list[str] | None = None,
    role: str = Role.PROVIDER_CASEWORKER,
    days: int = 90,
) -> tuple[ApiToken, str]:
    return token_create(
        actor=admin,
        organisation=Organisation.objects.get(name=organisation),
        name="Case system",
        scopes=scopes or ["api"],
        role=role,
        expires_at=timezone.now() + timedelta(days=days),
    )


def bearer(plaintext: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_token_calls_the_api_as_its_service_account(demo_users: dict[str, Any]) -> None:
    token, plaintext = issue(demo_users["admin"])
    response = bearer(plaintext).get("/api/v1/me/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["username"] == f"api-{token.prefix}"
    assert body["roles"] == [Role.PROVIDER_CASEWORKER]
    assert body["organisation"] == token.organisation_id


def test_only_the_hash_is_stored(demo_users: dict[str, Any]) -> None:
    token, plaintext = issue(demo_users["admin"])
    token.refresh_from_db()
    assert plaintext.startswith(f"pontio_{token.prefix}_")
    assert token.secret_hash == hash_token(plaintext)
    assert plaintext.split("_", 2)[2] not in token.secret_hash
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert all(plaintext not in str(value) for value in stored.values())
    assert not token.user.has_usable_password()


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda t, p: p[:-1] + ("A" if p[-1] != "A" else "B"), "token_unknown"),
        (lambda t, p: "pontio_00000000_" + "x" * 43, "token_unknown"),
        (lambda t, p: p + "x", "token_malformed"),
        (lambda t, p: "not-a-token", "token_malformed"),
        (lambda t, p: "", "token_malformed"),
    ],
)
def test_bad_tokens_are_refused_with_their_code(
    demo_users: dict[str, Any], damage: Any, code: str
) -> None:
    token, plaintext = issue(demo_users["admin"])
    response = bearer(damage(token, plaintext)).get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="pontio"'
    assert response.json()["code"] == code
    denial = AuditEvent.objects.filter(action=AuditAction.DENIED).latest("sequence")
    assert denial.reason == f"api: /api/v1/me/ ({code})"
    assert denial.actor_id is None
    assert not AuditEvent.objects.filter(action=TokenEvent.CALL).exists()


def test_expired_token_is_refused(demo_users: dict[str, Any]) -> None:
    _token, plaintext = issue(demo_users["admin"], days=10)
    assert bearer(plaintext).get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        response = bearer(plaintext).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token has expired. Ask an administrator for a new one.",
        "code": "token_expired",
    }


def test_revoked_token_is_refused_and_its_account_closed(demo_users: dict[str, Any]) -> None:
    token, plaintext = issue(demo_users["admin"])
    assert bearer(plaintext).get("/api/v1/me/").status_code == 200
    token_revoke(actor=demo_users["admin"], token=token)
    token.refresh_from_db()
    token.user.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == demo_users["admin"]
    assert token.user.is_active is False
    response = bearer(plaintext).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert "revoked" in response.json()["detail"]


def test_a_reactivated_service_account_does_not_revive_a_revoked_token(
    demo_users: dict[str, Any],
) -> None:
    token, plaintext = issue(demo_users["admin"])
    token_revoke(actor=demo_users["admin"], token=token)
    User.objects.filter(pk=token.user_id).update(is_active=True)
    assert bearer(plaintext).get("/api/v1/me/").json()["code"] == "token_revoked"


def test_fhir_only_token_may_not_use_the_rest_api(demo_users: dict[str, Any]) -> None:
    _token, plaintext = issue(demo_users["admin"], scopes=["fhir"])
    response = bearer(plaintext).get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "token_scope"
    assert "“api”" in response.json()["detail"]


def test_every_token_call_is_audited(demo_users: dict[str, Any]) -> None:
    token, plaintext = issue(demo_users["admin"])
    client = bearer(plaintext)
    client.get("/api/v1/me/?search=secret-term")
    client.get("/api/v1/referrals/999999/")
    calls = list(AuditEvent.objects.filter(action=TokenEvent.CALL).order_by("sequence"))
    assert [c.reason for c in calls] == [
        f"token {token.prefix}: GET /api/v1/me/ 200",
        f"token {token.prefix}: GET /api/v1/referrals/999999/ 404",
    ]
    for call in calls:
        assert call.actor_id == token.user_id
        assert call.actor_organisation_id == token.organisation_id
        assert call.object_type == "accounts.apitoken"
        assert call.object_id == str(token.pk)


def test_token_calls_are_rate_limited(demo_users: dict[str, Any], settings: Any) -> None:
    settings.PONTIO_PARTNER_RATE = "2/min"
    _token, plaintext = issue(demo_users["admin"])
    _other_token, other = issue(demo_users["admin"])
    client = bearer(plaintext)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    third = client.get("/api/v1/me/")
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0
    # Per token: another token, and a signed-in person, are not held back.
    assert bearer(other).get("/api/v1/me/").status_code == 200
    person = demo_sign_in("caseworker")
    for _ in range(4):
        assert person.get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(
        action=TokenEvent.CALL, reason__endswith="GET /api/v1/me/ 429"
    ).exists()


def test_session_users_are_unchanged(demo_users: dict[str, Any]) -> None:
    client = demo_sign_in("caseworker")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "caseworker"
    # Without a session or a token: still 403 without a Bearer challenge.
    anonymous = Client().get("/api/v1/me/")
    assert anonymous.status_code == 403
    assert "WWW-Authenticate" not in anonymous
    assert not AuditEvent.objects.filter(action=TokenEvent.CALL).exists()


def test_a_token_does_not_open_the_pages(demo_users: dict[str, Any]) -> None:
    _token, plaintext = issue(demo_users["admin"])
    response = bearer(plaintext).get("/referrals/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_token_calls_need_no_csrf_token(demo_users: dict[str, Any]) -> None:
    _token, plaintext = issue(demo_users["admin"])
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    # Past authentication and permissions (a CSRF refusal would be 403): no POST on "me".
    assert client.post("/api/v1/me/", {}, content_type="application/json").status_code == 405


def test_the_list_shows_when_a_token_was_last_used(demo_users: dict[str, Any]) -> None:
    used, plaintext = issue(demo_users["admin"])
    unused, _other = issue(demo_users["admin"])
    assert bearer(plaintext).get("/api/v1/me/").status_code == 200
    from pontio.accounts.tokens import tokens_for

    rows = {t.pk: t for t in tokens_for(demo_users["admin"])}
    assert rows[used.pk].last_used_at is not None
    assert rows[unused.pk].last_used_at is None


def test_a_token_call_opens_no_session(demo_users: dict[str, Any]) -> None:
    from django.contrib.sessions.models import Session

    _token, plaintext = issue(demo_users["admin"])
    before = Session.objects.count()
    response = bearer(plaintext).get("/api/v1/me/")
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == before
