"""The dashboards' figures cache (D78): a second look reads the rendered tiles, never
another user's, and a change of scope or of language is a different entry."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from tests.conftest import demo_sign_in

from pontio.oversight.figures_cache import scope_signature

URL = "/oversight/dashboards/"
LOCAL = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
}


def _client(username: str, language: str = "en"):
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def figures_cache():
    with override_settings(CACHES=LOCAL):
        from django.core.cache import caches

        caches["figures"].clear()
        yield caches["figures"]
        caches["figures"].clear()


def _queries(client, url: str = URL) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_second_look_reads_the_rendered_tiles(demo_users, figures_cache):
    client = _client("analyst")
    first, page = _queries(client)
    second, again = _queries(client)
    assert second < first - 10  # the tiles' own queries are gone
    assert page.count('id="tile-') == again.count('id="tile-') > 10


def test_each_user_and_language_has_their_own_entries(demo_users, figures_cache):
    _queries(_client("analyst"))
    cold, _page = _queries(_client("inspector"))
    assert cold > 20  # nothing of the analyst's was reused
    welsh_cold, welsh = _queries(_client("inspector", "cy"))
    assert welsh_cold > 20 and 'lang="cy"' in welsh


def test_the_scope_signature_changes_with_the_scope(demo_users):
    inspector = demo_users["inspector"]
    before = scope_signature(inspector)
    inspector.force_wide = not inspector.force_wide
    assert scope_signature(inspector) != before
    assert scope_signature(demo_users["analyst"]) != before


def test_the_facts_of_a_period_are_read_once(demo_users, figures_cache):
    client = _client("analyst")
    url = "/oversight/facts/?start_0=1&start_1=1&start_2=2016&end_0=31&end_1=12&end_2=2018"
    first, page = _queries(client, url)
    second, again = _queries(client, url)
    assert second < first
    assert "+21%" in page and "+21%" in again
