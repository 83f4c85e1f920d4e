"""The API never answers bad input with a server error.

A probe of main sent deeply nested JSON to the API's write endpoints: the decoder's
RecursionError became an HTTP 500. Every endpoint that takes a body is tried here, by every
role, with bodies a client might send by mistake or on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.conftest import demo_sign_in

from pontio.core.api import MAX_JSON_DEPTH

pytestmark = pytest.mark.django_db

ROLES = ["officer", "custody.sergeant", "caseworker", "provider.manager", "admin", "auditor"]


def _api_write_routes() -> list[str]:
    """Names of the API routes whose view accepts POST, PUT or PATCH."""
    names = []

    def walk(patterns: list[Any]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and (entry.name or "").startswith("api-"):
                view_class = getattr(entry.callback, "view_class", None) or getattr(
                    entry.callback, "cls", None
                )
                if view_class and any(hasattr(view_class, m) for m in ("post", "put", "patch")):
                    names.append(entry.name)

    walk(get_resolver().url_patterns)
    return sorted(set(names))


def _url(name: str) -> str:
    pattern = get_resolver().reverse_dict.getlist(name)[0][0][0]
    kwargs = dict.fromkeys(pattern[1], 1)
    return reverse(name, kwargs=kwargs)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_there_are_write_endpoints_to_try() -> None:
    routes = _api_write_routes()
    assert {"api-referral-list", "api-referral-transition", "api-referral-appointments"} <= set(
        routes
    )


@pytest.mark.parametrize("role", ROLES)
def test_deeply_nested_json_is_refused_never_a_server_error(
    demo_users: dict[str, Any], role: str
) -> None:
    client: Client = demo_sign_in(role)
    for name in _api_write_routes():
        url = _url(name)
        for body in (
            nested(100_000),
            nested(MAX_JSON_DEPTH + 1),
            '{"a":' * 5000 + "1" + "}" * 5000,
        ):
            response = client.post(
                url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="deep-1"
            )
            assert response.status_code < 500, (role, url, response.status_code)
            assert response.status_code in (400, 403, 404, 405), (role, url, response.status_code)


def test_the_refusal_says_what_is_wrong(demo_users: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    response = client.post(
        reverse("api-referral-list"),
        nested(100_000),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="deep-2",
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_body_within_the_depth_limit_is_parsed_as_usual(demo_users: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    response = client.post(
        reverse("api-referral-list"),
        '{"contact": {"channels": [["phone"]]}}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="shallow-1",
    )
    assert response.status_code == 400
    assert "nested too deeply" not in response.content.decode()


@pytest.mark.parametrize("body", ["{", "[1,]", "\x00", '"\\ud800"', "1e999999"])
def test_malformed_json_is_a_400(demo_users: dict[str, Any], body: str) -> None:
    client = demo_sign_in("officer")
    response = client.post(
        reverse("api-referral-list"),
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="malformed-1",
    )
    assert response.status_code == 400, (body, response.status_code)
