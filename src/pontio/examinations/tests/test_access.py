"""The access rows of routes.py, checked here as the cross-app matrix will check them (GET as
every demo user): the page, "not found" or the list without the record, or 403 with the
denial audited and nothing of the record shown. The API rows are checked once the lead
mounts the API (requests-dme.md)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.accounts.demo import DEMO_USERS
from pontio.audit.models import AuditEvent
from pontio.examinations.tests import helpers as h
from pontio.examinations.tests.routes import ROUTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(n for n in ROUTES if not n.startswith("api-")))
def test_each_page_answers_every_demo_user_as_the_table_says(world: Any, name: str) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    matrix = SimpleNamespace(
        examination_pk=row.pk,
        examination_reference=row.reference,
        examiner_user_pk=world["examiner"].pk,
    )
    route = ROUTES[name]
    kwargs = route.get("kwargs", lambda w: {})(matrix)
    url = reverse(name, kwargs=kwargs)
    roles = {spec.username: spec.role for spec in DEMO_USERS}
    allowed = {u for u, role in roles.items() if role in route["roles"]}
    seers = set(route.get("sees") or allowed)
    for username in sorted(roles):
        client = demo_sign_in(username)
        before = AuditEvent.objects.filter(action="denied").count()
        response = client.get(url)
        text = response.content.decode(errors="replace")
        if username in seers:
            assert response.status_code == route.get("status", 200), (username, url)
            if route.get("marker"):
                assert row.reference in text, (username, url)
        elif username in allowed:
            assert response.status_code == route.get("unseen_status", 404), (username, url)
            assert row.reference not in text, (username, url)
        else:
            assert response.status_code in (403, 404), (username, url, response.status_code)
            assert AuditEvent.objects.filter(action="denied").count() == before + 1
            assert row.reference not in text


@pytest.mark.urls("pontio.examinations.tests.api_urls")
@pytest.mark.parametrize("name", sorted(n for n in ROUTES if n.startswith("api-")))
def test_each_api_row_answers_every_demo_user_as_the_table_says(world: Any, name: str) -> None:
    test_each_page_answers_every_demo_user_as_the_table_says(world, name)


@pytest.mark.urls("pontio.examinations.tests.api_urls")
def test_the_api_refuses_an_unknown_status_filter(world: Any) -> None:
    client = demo_sign_in("intelligence")
    response = client.get("/api/v1/examinations/?status=everything")
    assert response.status_code == 400 and "status" in response.json()
    assert client.get("/api/v1/examinations/?status=requested").status_code == 200
