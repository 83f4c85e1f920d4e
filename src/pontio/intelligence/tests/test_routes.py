"""The access-matrix rows of ``routes.py`` hold: every demo user, every intelligence URL
(a local run of the system matrix's rule, until the lead merges the rows)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.accounts.demo import DEMO_USERS
from pontio.audit.models import AuditEvent
from pontio.intelligence.tests import routes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pontio.intelligence.tests.api_urlconf")]


def test_every_intelligence_url_has_a_row() -> None:
    from django.urls import get_resolver

    names = {
        f"intelligence:{n}"
        for n in get_resolver("pontio.intelligence.tests.api_urlconf")
        .namespace_dict["intelligence"][1]
        .reverse_dict
        if isinstance(n, str)
    }
    assert names <= set(routes.ROUTES)


def test_the_rows_hold_for_every_demo_user(demo_users: dict) -> None:
    world = SimpleNamespace(**routes.WORLD_FIELDS)
    routes.build_world(world, demo_users)
    roles = {spec.username: spec.role for spec in DEMO_USERS}
    for username, role in roles.items():
        client = demo_sign_in(username)
        for name, row in routes.ROUTES.items():
            url = reverse(name, kwargs=row.get("kwargs", lambda w: {})(world))
            allowed = row["roles"] == routes.PUBLIC or role in row["roles"]
            sees = allowed and (row.get("sees") is None or username in row["sees"])
            before = AuditEvent.objects.filter(action="denied").count()
            response = client.get(url)
            text = response.content.decode()
            marker = row.get("marker")
            if sees:
                assert response.status_code == 200, (username, url, response.status_code)
                if marker:
                    assert any(m in text for m in marker(world)), (username, url)
            elif allowed:
                assert response.status_code == row.get("unseen_status", 404), (username, url)
                if marker:
                    assert not any(m in text for m in marker(world)), (username, url)
            else:
                assert response.status_code in (403, 404), (username, url, response.status_code)
                assert AuditEvent.objects.filter(action="denied").count() == before + 1, (
                    username,
                    url,
                )
                assert world.intel_reference not in text, (username, url)
