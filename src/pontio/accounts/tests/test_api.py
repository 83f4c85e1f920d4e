"""The partner API: both factors required, scoped like the pages, denials audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, CEREDIGION, PASSWORD, OrganisationFactory, UserFactory

from pontio.accounts.roles import OrganisationKind, Role
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> dict[str, Any]:
    a = OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Provider A")
    b = OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Provider B")
    force = OrganisationFactory(kind=OrganisationKind.FORCE, name="Force")
    return {
        "a": a,
        "b": b,
        "manager_a": UserFactory(
            roles=[Role.PROVIDER_MANAGER], organisation=a, counties=[CEREDIGION], with_device=True
        ),
        "worker_a": UserFactory(
            roles=[Role.PROVIDER_CASEWORKER], organisation=a, counties=[CEREDIGION]
        ),
        "worker_b": UserFactory(
            last_name="Bravo-Secret",
            roles=[Role.PROVIDER_CASEWORKER],
            organisation=b,
            counties=[CEREDIGION],
        ),
        "admin": UserFactory(
            roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True, with_device=True
        ),
        "auditor": UserFactory(
            roles=[Role.AUDITOR], organisation=force, force_wide=True, with_device=True
        ),
        "officer": UserFactory(
            roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE], with_device=True
        ),
    }


def denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("sequence"))


def test_me_requires_sign_in(db: Any) -> None:
    response = Client().get("/api/v1/me/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    events = denied()
    assert len(events) == 1
    assert events[0].reason == "api: /api/v1/me/"
    assert events[0].actor_id is None


def test_me_requires_the_second_factor(team: dict[str, Any]) -> None:
    """A password alone (no code) does not open the API."""
    client = Client()
    client.post("/sign-in/", {"username": team["officer"].username, "password": PASSWORD})
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert len(denied()) == 1
    # Nor does a session signed in without the code (e.g. a Django admin-style login).
    other = Client()
    other.force_login(team["officer"])
    assert other.get("/api/v1/me/").status_code == 403


def test_me_returns_the_caller(team: dict[str, Any]) -> None:
    officer = team["officer"]
    data = sign_in_client(officer).get("/api/v1/me/").json()
    assert data["id"] == officer.pk
    assert data["username"] == officer.username
    assert data["roles"] == [Role.OFFICER]
    assert data["counties"] == [CARMARTHENSHIRE]
    assert data["organisation"] == officer.organisation_id
    assert "password" not in data
    assert "session_salt" not in data


def test_user_list_is_scoped_to_the_provider_managers_organisation(team: dict[str, Any]) -> None:
    response = sign_in_client(team["manager_a"]).get("/api/v1/users/")
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in body["results"]}
    assert ids == {team["manager_a"].pk, team["worker_a"].pk}
    assert body["count"] == 2
    assert "Bravo-Secret" not in response.content.decode()


def test_force_wide_admin_lists_everyone(team: dict[str, Any]) -> None:
    from pontio.accounts.models import User

    body = sign_in_client(team["admin"]).get("/api/v1/users/").json()
    assert {row["id"] for row in body["results"]} == set(User.objects.values_list("pk", flat=True))


def test_another_organisations_user_is_not_found_and_audited(team: dict[str, Any]) -> None:
    client = sign_in_client(team["manager_a"])
    target = team["worker_b"]
    response = client.get(f"/api/v1/users/{target.pk}/")
    assert response.status_code == 404
    assert "Bravo-Secret" not in response.content.decode()
    events = denied()
    assert len(events) == 1
    assert events[0].object_type == "accounts.user"
    assert events[0].object_id == str(target.pk)
    assert events[0].actor_id == team["manager_a"].pk
    assert events[0].view_name == "api-user-detail"


def test_own_organisations_user_is_returned_and_the_read_audited(team: dict[str, Any]) -> None:
    client = sign_in_client(team["manager_a"])
    target = team["worker_a"]
    response = client.get(f"/api/v1/users/{target.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == target.pk
    read = AuditEvent.objects.get(action=AuditAction.READ)
    assert read.object_id == str(target.pk)


def test_roles_without_team_permission_cannot_list_users(team: dict[str, Any]) -> None:
    client = sign_in_client(team["officer"])
    assert client.get("/api/v1/users/").status_code == 403
    assert client.get(f"/api/v1/users/{team['officer'].pk}/").status_code == 403
    assert len(denied()) == 2


def test_organisations_are_scoped(team: dict[str, Any]) -> None:
    body = sign_in_client(team["manager_a"]).get("/api/v1/organisations/").json()
    assert [row["id"] for row in body["results"]] == [team["a"].pk]
    body = sign_in_client(team["admin"]).get("/api/v1/organisations/").json()
    assert {row["id"] for row in body["results"]} >= {team["a"].pk, team["b"].pk}


def test_audit_events_are_for_auditors_only(team: dict[str, Any]) -> None:
    for name in ("admin", "manager_a", "officer"):
        response = sign_in_client(team[name]).get("/api/v1/audit-events/")
        assert response.status_code == 403, name
    response = sign_in_client(team["auditor"]).get("/api/v1/audit-events/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 3  # the sign-ins and denials above
    first = body["results"][0]
    assert {"sequence", "hash", "previous_hash", "action", "occurred_at"} <= set(first)
    sequences = [row["sequence"] for row in body["results"]]
    assert sequences == sorted(sequences, reverse=True)


def test_audit_events_filter_and_the_search_is_itself_audited(team: dict[str, Any]) -> None:
    client = sign_in_client(team["auditor"])
    response = client.get(
        "/api/v1/audit-events/", {"action": "sign_in", "actor_id": team["auditor"].pk}
    )
    rows = response.json()["results"]
    assert rows and all(
        r["action"] == "sign_in" and r["actor_id"] == team["auditor"].pk for r in rows
    )
    read = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="audit.auditevent"
    ).first()
    assert read is not None
    assert read.reason.startswith("api filters:")
    assert "action=sign_in" in read.reason
    bad = client.get("/api/v1/audit-events/", {"actor_id": "abc"})
    assert bad.status_code == 200
    assert bad.json()["count"] == 0


def test_schema_is_openapi(team: dict[str, Any]) -> None:
    response = sign_in_client(team["officer"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Pontio API"
    for path in ("/api/v1/me/", "/api/v1/users/", "/api/v1/users/{id}/", "/api/v1/audit-events/"):
        assert path in schema["paths"], path


def test_fetching_the_schema_writes_no_audit_events(team: dict[str, Any]) -> None:
    """Generating the schema is not a search of the audit log."""

    client = sign_in_client(team["auditor"])
    last = AuditEvent.objects.order_by("-sequence").first().sequence
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200
    new = AuditEvent.objects.filter(sequence__gt=last).values_list("action", "reason")
    assert list(new) == []


def test_out_of_area_user_for_a_county_administrator_is_a_json_answer(
    team: dict[str, Any],
) -> None:
    """The API answers in JSON: never a redirect to the (HTML) break-glass form."""
    county_admin = UserFactory(
        roles=[Role.ADMINISTRATOR],
        organisation=team["admin"].organisation,
        counties=[CARMARTHENSHIRE],
        with_device=True,
    )
    target = team["worker_b"]  # Ceredigion: outside the administrator's county
    response = sign_in_client(county_admin).get(f"/api/v1/users/{target.pk}/")
    assert response.status_code in (403, 404), (response.status_code, response.get("Location"))
    assert response["Content-Type"] == "application/json"
    assert "Bravo-Secret" not in response.content.decode()
    assert [e.object_id for e in denied()] == [str(target.pk)]


def test_api_refuses_writes(team: dict[str, Any]) -> None:
    client = sign_in_client(team["admin"])
    assert client.post("/api/v1/users/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"/api/v1/users/{team['worker_a'].pk}/").status_code == 405
