"""The access-matrix rows of this app, checked here until the lead wires them in: each
route answers its allowed role as the row says and refuses every other demo role."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.referrals.tests.helpers import refer
from pontio.webhooks.tests.routes import ROUTES, WORLD_FIELDS, build_world

pytestmark = pytest.mark.django_db

OTHERS = ("officer", "caseworker", "provider.manager", "analyst", "auditor", "inspector")


def test_every_url_of_the_app_has_a_row() -> None:
    from pontio.webhooks.urls import urlpatterns

    assert {f"webhooks:{p.name}" for p in urlpatterns} == set(ROUTES)


def test_the_rows_hold_for_the_administrator_and_nobody_else(world: dict[str, Any]) -> None:
    matrix = SimpleNamespace(**WORLD_FIELDS)
    matrix.referral_pk = refer(world["officer"], world["person"]).pk
    build_world(matrix, world)
    admin = demo_sign_in("admin")
    others = {name: demo_sign_in(name) for name in OTHERS}
    for name, row in ROUTES.items():
        kwargs = row["kwargs"](matrix) if "kwargs" in row else {}
        url = reverse(name, kwargs=kwargs)
        response = admin.get(url)
        assert response.status_code == row.get("status", 200), name
        if "marker" in row:
            assert any(m in response.content.decode() for m in row["marker"](matrix)), name
        for username, client in others.items():
            assert client.get(url).status_code == 403, (name, username)


def test_the_post_only_rows_answer_the_administrator_with_a_redirect(
    world: dict[str, Any],
) -> None:
    matrix = SimpleNamespace(**WORLD_FIELDS)
    matrix.referral_pk = refer(world["officer"], world["person"]).pk
    build_world(matrix, world)
    posts = {name: row for name, row in ROUTES.items() if row.get("post_only")}
    assert set(posts) == {
        "webhooks:subscription-rotate",
        "webhooks:subscription-disable",
        "webhooks:delivery-replay",
    }
    others = {name: demo_sign_in(name) for name in OTHERS}
    # Replay and rotate before disabling (a disabled subscription refuses both, still 302).
    for name in ("webhooks:delivery-replay", "webhooks:subscription-rotate"):
        url = reverse(name, kwargs=posts[name]["kwargs"](matrix))
        for username, client in others.items():
            assert client.post(url).status_code == 403, (name, username)
        assert demo_sign_in("admin").post(url).status_code == 302, name
    disable = posts["webhooks:subscription-disable"]
    url = reverse("webhooks:subscription-disable", kwargs=disable["kwargs"](matrix))
    for username, client in others.items():
        assert client.post(url).status_code == 403, username
    assert demo_sign_in("admin").post(url).status_code == 302
