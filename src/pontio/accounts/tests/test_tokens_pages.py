"""Issuing and revoking partner API tokens: the administrators' pages and the services'
rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.accounts.models import Organisation
from pontio.accounts.roles import Role
from pontio.accounts.tokens import ApiToken, hash_token, token_create, token_revoke
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db

DYFED = "Dyfed Drug and Alcohol Service"


def form_data(**changes: Any) -> dict[str, Any]:
    expires = timezone.localdate() + timedelta(days=30)
    data: dict[str, Any] = {
        "organisation": Organisation.objects.get(name=DYFED).pk,
        "name": "Case management system",
        "role": Role.PROVIDER_CASEWORKER,
        "scopes": ["api", "fhir"],
        "expires_on_0": expires.day,
        "expires_on_1": expires.month,
        "expires_on_2": expires.year,
    }
    data.update(changes)
    return data


def issue_through_pages(client: Client, **changes: Any) -> tuple[ApiToken, str]:
    response = client.post("/tokens/new/", form_data(**changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    token = ApiToken.objects.get()
    assert response["Location"] == f"/tokens/{token.pk}/issued/"
    return token, response["Location"]


def test_the_token_is_shown_once(demo_users: dict[str, Any]) -> None:
    client = demo_sign_in("admin")
    token, url = issue_through_pages(client)
    first = client.get(url)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    page = first.content.decode()
    start = page.index("pontio_" + token.prefix + "_")
    plaintext = page[start : start + len("pontio_") + 8 + 1 + 43]
    assert hash_token(plaintext) == token.secret_hash
    second = client.get(url)
    assert second.status_code == 200
    assert plaintext not in second.content.decode()
    assert "cannot be shown again" in second.content.decode()
    # The token works, with what the administrator chose.
    assert token.scopes == ["api", "fhir"]
    assert token.role == Role.PROVIDER_CASEWORKER
    assert token.user.organisation.name == DYFED
    assert set(token.user.counties.all()) == set(token.organisation.counties.all())
    me = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}").get("/api/v1/me/")
    assert me.status_code == 200


def test_the_list_shows_tokens_but_never_their_secret(demo_users: dict[str, Any]) -> None:
    token, plaintext = token_create(
        actor=demo_users["admin"],
        organisation=Organisation.objects.get(name=DYFED),
        name="Listed system",
        scopes=["api"],
        role=Role.PROVIDER_MANAGER,
        expires_at=timezone.now() + timedelta(days=10),
    )
    page = demo_sign_in("admin").get("/tokens/").content.decode()
    assert "Listed system" in page
    assert token.prefix in page
    assert "Provider manager" in page
    assert plaintext not in page
    assert token.secret_hash not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a name for the token"),
        ({"scopes": []}, "scopes", "Choose at least one part of the API the token may use"),
        ({"role": Role.OFFICER}, "role", "Choose a role that someone in this organisation"),
        ({"role": Role.ADMINISTRATOR}, "role", "Select a valid choice"),
        ({"expires_on_2": "2020"}, "expires_on", "The date must be on or after"),
        ({"expires_on_2": str(timezone.localdate().year + 2)}, "expires_on", "on or before"),
        ({"expires_on_0": ""}, "expires_on", "The date must include a day, month and year"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    demo_users: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    response = demo_sign_in("admin").post("/tokens/new/", form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_service_checks_the_expiry_and_the_scopes(demo_users: dict[str, Any]) -> None:
    def create(**changes: Any) -> Any:
        values: dict[str, Any] = {
            "actor": demo_users["admin"],
            "organisation": Organisation.objects.get(name=DYFED),
            "name": "x",
            "scopes": ["api"],
            "role": Role.PROVIDER_CASEWORKER,
            "expires_at": timezone.now() + timedelta(days=10),
        }
        values.update(changes)
        return token_create(**values)

    for changes, field in [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expires_at"),
        ({"expires_at": timezone.now() + timedelta(days=400)}, "expires_at"),
        ({"expires_at": None}, "expires_at"),
        ({"scopes": ["api", "admin"]}, "scopes"),
        ({"role": Role.AUDITOR}, "role"),
    ]:
        with pytest.raises(ValidationError) as refused:
            create(**changes)
        assert field in refused.value.message_dict
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("username", ["provider.manager", "auditor", "officer"])
def test_only_administrators_issue_and_revoke(demo_users: dict[str, Any], username: str) -> None:
    token, _plaintext = token_create(
        actor=demo_users["admin"],
        organisation=Organisation.objects.get(name=DYFED),
        name="x",
        scopes=["api"],
        role=Role.PROVIDER_CASEWORKER,
        expires_at=timezone.now() + timedelta(days=10),
    )
    client = demo_sign_in(username)
    assert client.get("/tokens/").status_code == 403
    assert client.post("/tokens/new/", form_data()).status_code == 403
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1
    with pytest.raises(PermissionDenied):
        token_revoke(actor=demo_users[username], token=token)
    with pytest.raises(PermissionDenied):
        token_create(
            actor=demo_users[username],
            organisation=token.organisation,
            name="y",
            scopes=["api"],
            role=Role.PROVIDER_CASEWORKER,
            expires_at=timezone.now() + timedelta(days=10),
        )


def test_revoking_asks_first_then_closes_the_service_account(
    demo_users: dict[str, Any],
) -> None:
    token, plaintext = token_create(
        actor=demo_users["admin"],
        organisation=Organisation.objects.get(name=DYFED),
        name="Old system",
        scopes=["api"],
        role=Role.PROVIDER_CASEWORKER,
        expires_at=timezone.now() + timedelta(days=10),
    )
    client = demo_sign_in("admin")
    confirm = client.get(f"/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Revoke the token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    token.user.refresh_from_db()
    assert token.revoked_at is not None
    assert token.user.is_active is False
    again = client.post(f"/tokens/{token.pk}/revoke/")
    assert "already been revoked" in again.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}").get("/api/v1/me/")
    assert api.status_code == 401


def test_issue_and_revoke_are_audited_without_the_secret(demo_users: dict[str, Any]) -> None:
    client = demo_sign_in("admin")
    token, url = issue_through_pages(client)
    page = client.get(url).content.decode()
    start = page.index("pontio_" + token.prefix + "_")
    plaintext = page[start : start + 60]
    client.post(f"/tokens/{token.pk}/revoke/")
    events = AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk))
    # Issued, shown (the page that shows it is a read), revoked.
    assert list(events.order_by("sequence").values_list("action", flat=True)) == [
        AuditAction.CREATE,
        AuditAction.READ,
        AuditAction.UPDATE,
    ]
    assert all(e.actor_id == demo_users["admin"].pk for e in events)
    for event in events:
        change = getattr(event, "change", None)
        text = str(change.before if change else "") + str(change.after if change else "")
        assert plaintext not in text
        assert token.secret_hash not in text
    assert AuditEvent.objects.filter(
        object_type="accounts.user", object_id=str(token.user_id), action=AuditAction.CREATE
    ).exists()


def test_administrators_find_the_tokens_in_the_navigation(demo_users: dict[str, Any]) -> None:
    assert 'href="/tokens/"' in demo_sign_in("admin").get("/").content.decode()
    assert 'href="/tokens/"' not in demo_sign_in("provider.manager").get("/").content.decode()
