"""The access-matrix rows name every URL of the app, and their world builds."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import get_resolver

from pontio.operations.tests.routes import ROUTES, WORLD_FIELDS, build_world


def test_every_page_of_the_app_has_a_row():
    names = {
        f"operations:{p.name}"
        for p in get_resolver("pontio.operations.urls").url_patterns
        if getattr(p, "name", None)
    }
    from pontio.operations.api.urls import urlpatterns as api

    names |= {p.name for p in api}
    assert names == set(ROUTES)


@pytest.mark.django_db
def test_the_world_builds(demo_users):
    world = SimpleNamespace(**WORLD_FIELDS)
    build_world(world, demo_users)
    assert all(getattr(world, name) for name in WORLD_FIELDS)


@pytest.mark.django_db
@pytest.mark.urls("pontio.operations.tests.api_urls")
def test_the_rows_hold_for_every_demo_user(demo_users):
    """The matrix's rule, row by row, as tests/system/test_access_matrix.py applies it."""
    from django.urls import reverse
    from tests.conftest import demo_sign_in

    from pontio.intelligence.tests.helpers import public_report

    world = SimpleNamespace(**WORLD_FIELDS)
    build_world(world, demo_users)
    world.intel_report_pk = public_report()[0].pk
    for username, user in sorted(demo_users.items()):
        client = demo_sign_in(username)
        for name, row in ROUTES.items():
            kwargs = row.get("kwargs", lambda w: {})(world)
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            allowed = user.role_set & set(row["roles"])
            sees = row.get("sees")
            if allowed and (sees is None or username in sees):
                assert response.status_code == row.get("status", 200), (username, name)
                marker = row.get("marker")
                if marker is not None:
                    assert any(m in response.content.decode() for m in marker(world)), (
                        username,
                        name,
                    )
            elif allowed:
                assert response.status_code == row.get("unseen_status", 404), (username, name)
            else:
                assert response.status_code in (403, 404), (username, name, response.status_code)
                assert "Matrix Covert" not in response.content.decode()
            if row.get("post_only"):
                posted = client.post(url)
                assert posted.status_code == (302 if allowed else 403), (username, name)
