"""Figures built ahead of the request (D79): the dashboards' opening view, kept warm.

A dashboard opens on the last twelve full months for the whole force area. At the national
size the thirteen tiles of that view cost seconds to build, far beyond the page's budget, so
the task worker builds them ahead (``warm_figures``, every few minutes from cron or the
worker) into the figures cache, for every active user who may see the dashboards, in both
languages, under the same keys the page reads (``figures_cache.key``: the user's scope
signature is in every key, so nobody is ever served figures built for another scope).

Warming only helps when the web processes and the worker share the cache
(``PONTIO_REDIS_URL``); with the per-process cache of a single-machine install it is skipped
and each page builds its figures on the first request, as before. A period or county the
user chooses is built on request and kept for ``FIGURES_CACHE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pontio.accounts.areas import area_counties
from pontio.accounts.models import User
from pontio.core import tiles
from pontio.core.models import County
from pontio.core.permissions import roles_with
from pontio.core.request_cache import request_scope
from pontio.oversight import figures_cache
from pontio.oversight.facts import compute_facts
from pontio.oversight.facts.periods import default_period as facts_period

logger = logging.getLogger(__name__)

DASHBOARDS = "oversight.view_dashboards"
FACTS = "oversight.view_facts"
# A user who has not signed in for this long gets no figures built ahead: their first look
# builds them, as any chosen period does.
DORMANT_AFTER = dt.timedelta(days=30)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 full months: from the first of the month a year before this one to the
    last day of last month."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    for _month in range(11):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, end


def dashboard_areas(user: Any) -> tuple[County, ...]:
    """The counties the dashboards break down by and offer to choose from: the user's area
    (``accounts.areas``: those their organisation serves, the force area for the
    Commissioner's office)."""
    return area_counties(user)


def opening_query(today: dt.date, user: Any) -> tiles.TileQuery:
    start, end = default_period(today)
    return tiles.TileQuery(start, end, None, today, dashboard_areas(user))


def query_string(query: tiles.TileQuery) -> str:
    params = QueryDict(mutable=True)
    params["start"] = query.start.isoformat()
    params["end"] = query.end.isoformat()
    if query.county is not None:
        params["county"] = query.county_code
    return params.urlencode()


def area_label(query: tiles.TileQuery) -> str:
    return str(query.county.label) if query.county is not None else _("All counties")


def tile_key(user: Any, tile: tiles.Tile, query: tiles.TileQuery) -> str:
    return figures_cache.key(user, "tile", tile.key, query.describe(), str(query.today))


def render_tile(
    user: Any,
    tile: tiles.Tile,
    query: tiles.TileQuery,
    csv_query: str,
    data: Any = None,
    csv_url: str = "oversight:dashboard-csv",
) -> str:
    """One tile as the page shows it, in the active language (built unless ``data`` is
    given: the figures are the same in both languages, their labels are not)."""
    shown = tiles.present(tile, query, data if data is not None else tile.build(user, query))
    return render_to_string(
        "oversight/dashboards/_tile.html",
        {
            "shown": shown,
            "csv_query": csv_query,
            "csv_url": csv_url,
            "area": area_label(query),
            "start": query.start,
            "end": query.end,
        },
    )


def shares_cache() -> bool:
    """Whether what this process puts in the figures cache reaches the web processes."""
    return not isinstance(caches[figures_cache.FIGURES_CACHE], LocMemCache)


def facts_key(user: Any, start: dt.date, end: dt.date, county: Any, today: dt.date) -> str:
    return figures_cache.key(
        user,
        "facts",
        start.isoformat(),
        end.isoformat(),
        county.ons_code if county is not None else "",
        today.isoformat(),
    )


def users_to_warm(now: dt.datetime, permission: str) -> list[User]:
    roles = roles_with(permission)
    return list(
        User.objects.filter(
            is_active=True,
            organisation__isnull=False,
            role_grants__role__in=roles,
            last_login__gte=now - DORMANT_AFTER,
        )
        .distinct()
        .order_by("pk")
    )


@dataclass(frozen=True)
class Warmed:
    users: int
    tiles: int
    seconds: float
    skipped: str = ""


def warm_dashboards(*, today: dt.date, now: dt.datetime, force: bool = False) -> Warmed:
    """Build the opening view's tiles for every user who may see them, in every language.

    Each user's tiles are built in one request scope, so figures that several tiles or both
    languages share (``core.request_cache``) are worked out once per user."""
    if not (force or shares_cache()):
        return Warmed(0, 0, 0.0, skipped="the figures cache is per process")
    began = time.monotonic()
    timeout = settings.FIGURES_WARM_SECONDS
    count = 0
    users = users_to_warm(now, DASHBOARDS)
    for user in users:
        query = opening_query(today, user)
        csv_query = query_string(query)
        with request_scope():
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    for tile in tiles.tiles_for(user):
                        html = render_tile(user, tile, query, csv_query)
                        figures_cache.put(tile_key(user, tile, query), html, timeout=timeout)
                        count += 1
    seconds = time.monotonic() - began
    logger.info("dashboards warmed", extra={"users": len(users), "tiles": count, "s": seconds})
    return Warmed(len(users), count, seconds)


def warm_facts(*, today: dt.date, now: dt.datetime, force: bool = False) -> Warmed:
    """The facts page's opening view (the last financial year, the whole area), likewise."""
    if not (force or shares_cache()):
        return Warmed(0, 0, 0.0, skipped="the figures cache is per process")
    began = time.monotonic()
    start, end = facts_period(today)
    users = users_to_warm(now, FACTS)
    count = 0
    for user in users:
        with request_scope():
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    facts = compute_facts(user=user, start=start, end=end, county=None)
                    figures_cache.put(
                        facts_key(user, start, end, None, today),
                        facts,
                        timeout=settings.FIGURES_WARM_SECONDS,
                    )
                    count += len(facts)
    seconds = time.monotonic() - began
    logger.info("facts warmed", extra={"users": len(users), "facts": count, "s": seconds})
    return Warmed(len(users), count, seconds)
