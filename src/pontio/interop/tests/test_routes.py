"""The access rows of the FHIR interface, checked here against a referral of our own (the
lead runs them in tests/system/test_access_matrix.py against its world)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.accounts.roles import PROVIDER_ROLES
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.interop.tests.routes import PUBLIC, ROUTES, build_world
from pontio.referrals import services
from pontio.referrals.models import Status
from pontio.referrals.tests.helpers import make_person, move, refer

USERS = ["officer", "caseworker", "provider.manager", "powys.caseworker", "navigator", "analyst"]


@pytest.fixture
def world(demo_users: Any) -> SimpleNamespace:
    person = make_person(family="Prawf")
    made = move(demo_users["caseworker"], refer(demo_users["officer"], person), Status.ACCEPTED)
    row = services.appointment_book(
        context=AuditContext.system("test"),
        actor=demo_users["caseworker"],
        referral_id=made.pk,
        kind="assessment",
        starts_at=timezone.now() + dt.timedelta(days=1),
    )
    world = SimpleNamespace(
        referral_pk=made.pk,
        referral_reference=made.reference,
        person_pk=person.pk,
        appointment_pk=row.pk,
    )
    build_world(world, demo_users)
    return world


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_route_answers_each_user_as_its_row_says(
    world: SimpleNamespace, demo_users: Any, name: str
) -> None:
    row = ROUTES[name]
    url = reverse(name, kwargs=row.get("kwargs", lambda w: {})(world))
    for username in USERS:
        response = demo_sign_in(username).get(url)
        role = demo_users[username].role_set
        allowed = row["roles"] == PUBLIC or bool(set(role) & set(row["roles"]))
        sees = row.get("sees")
        text = response.content.decode()
        marker = row.get("marker")
        if allowed and (sees is None or username in sees):
            assert response.status_code == row.get("status", 200), (username, name)
            if marker:
                assert any(m in text for m in marker(world)), (username, name)
        elif allowed:
            assert response.status_code == row.get("unseen_status", 404), (username, name)
            if marker:
                assert not any(m in text for m in marker(world)), (username, name)
        else:
            assert response.status_code == 403, (username, name)
            assert username not in PROVIDER_ROLES
    anonymous = Client().get(url)
    if row["roles"] == PUBLIC:
        assert anonymous.status_code == 200
    else:
        assert anonymous.status_code in (401, 403)
        assert AuditEvent.objects.filter(action="denied", reason=f"api: {url}").exists()
