"""Figures built ahead (D79): the worker's build of the opening view is what the page then
reads, in both languages, for the users who sign in, and only into a shared cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.oversight import figures_warm

LOCAL = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w"},
}
DASHBOARDS = "/oversight/dashboards/"
FACTS = "/oversight/facts/"


@pytest.fixture
def figures_cache():
    with override_settings(CACHES=LOCAL):
        from django.core.cache import caches

        caches["figures"].clear()
        yield caches["figures"]
        caches["figures"].clear()


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _client(username: str, language: str):
    client = demo_sign_in(username)  # signs in: the user is no longer dormant
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_page_reads_what_the_worker_built_in_both_languages(demo_users, figures_cache):
    english, welsh = _client("analyst", "en"), _client("analyst", "cy")
    cold, cold_page = _queries(english, DASHBOARDS)
    figures_cache.clear()
    warmed = figures_warm.warm_dashboards(
        today=timezone.localdate(), now=timezone.now(), force=True
    )
    assert warmed.users >= 1 and warmed.tiles >= 2 * 13
    warm, warm_page = _queries(english, DASHBOARDS)
    assert warm < cold - 10
    assert warm_page.count('id="tile-') == cold_page.count('id="tile-') > 10
    welsh_warm, welsh_page = _queries(welsh, DASHBOARDS)
    assert welsh_warm < cold - 10
    assert "Prawf adeg arestio" in welsh_page or 'lang="cy"' in welsh_page

    # The same figures as built on request: the tiles' tables are identical (the charts'
    # element ids are random).
    def tables(page: str) -> list[str]:
        return [part.split("</table>")[0] for part in page.split("<table")[1:]]

    assert tables(cold_page) == tables(warm_page)


def test_the_facts_opening_view_is_built_ahead(demo_users, figures_cache):
    client = _client("analyst", "en")
    cold, cold_page = _queries(client, FACTS)
    figures_cache.clear()
    warmed = figures_warm.warm_facts(today=timezone.localdate(), now=timezone.now(), force=True)
    assert warmed.tiles >= 2 * 7
    warm, warm_page = _queries(client, FACTS)
    assert warm < cold
    assert warm_page.count("govuk-table") == cold_page.count("govuk-table")


def test_dormant_users_and_those_without_the_permission_get_nothing(demo_users):
    now = timezone.now()
    analyst, officer = demo_users["analyst"], demo_users["officer"]
    for user in (analyst, officer):
        user.last_login = now
        user.save(update_fields=["last_login"])
    chosen = figures_warm.users_to_warm(now, figures_warm.DASHBOARDS)
    assert analyst in chosen and officer not in chosen
    analyst.last_login = now - figures_warm.DORMANT_AFTER - dt.timedelta(days=1)
    analyst.save(update_fields=["last_login"])
    assert analyst not in figures_warm.users_to_warm(now, figures_warm.DASHBOARDS)


def test_a_per_process_cache_is_not_warmed(demo_users, figures_cache, capsys):
    assert not figures_warm.shares_cache()
    warmed = figures_warm.warm_dashboards(today=timezone.localdate(), now=timezone.now())
    assert warmed.skipped and warmed.tiles == 0
    call_command("warm_figures")
    assert "No dashboard tiles built" in capsys.readouterr().out
