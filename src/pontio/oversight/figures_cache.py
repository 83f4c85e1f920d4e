"""The figures cache (D78): aggregates kept for a few minutes under the user's scope.

Figures pages (the dashboards' tiles, the deep dive's facts) aggregate a whole period; they
describe a period, not this second, so what they show is kept in Django's cache framework
for ``FIGURES_CACHE_SECONDS``. The key holds what was asked (tile or page, period, county),
the language and the user's *scope signature*, so nobody ever reads figures built for
another scope, and a change of scope is a new key. Only what is shown is kept (already
suppressed), never rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils import translation

FIGURES_CACHE = "figures"
T = TypeVar("T")


def scope_signature(user: Any) -> str:
    """What the user's figures depend on: who they are and every part of their scope
    (roles, organisation, counties, force-wide), hashed."""
    raw = "|".join(
        (
            str(user.pk),
            ",".join(sorted(user.role_set)),
            str(user.organisation_id),
            str(int(user.force_wide)),
            ",".join(str(pk) for pk in sorted(user.county_ids)),
        )
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def key(user: Any, *parts: str) -> str:
    language = translation.get_language() or "en"
    raw = "|".join((*parts, language, scope_signature(user)))
    return "pontio:figures:" + hashlib.sha256(raw.encode()).hexdigest()


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    return caches[FIGURES_CACHE].get_many(list(keys))


def put(cache_key: str, value: Any, timeout: int | None = None) -> None:
    caches[FIGURES_CACHE].set(
        cache_key, value, settings.FIGURES_CACHE_SECONDS if timeout is None else timeout
    )


def get_or_build(cache_key: str, build: Callable[[], T]) -> T:
    found = caches[FIGURES_CACHE].get(cache_key)
    if found is None:
        found = build()
        put(cache_key, found)
    return found
