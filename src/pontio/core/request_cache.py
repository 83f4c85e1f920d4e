"""Values worked out once per request (``RequestIdMiddleware`` opens the scope).

Only what cannot change under the request may go here, or whoever changes it clears it
(``forget``): outside a request (tasks, commands, tests calling services) there is no
cache and every caller works its value out again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_CACHE: ContextVar[dict[Any, Any] | None] = ContextVar("pontio_request_cache", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def cached(key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``; every time outside a request."""
    cache = _CACHE.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(match: Callable[[Any], bool]) -> None:
    """Drop the cached values whose key ``match``es (their source has just changed)."""
    cache = _CACHE.get()
    if cache:
        for key in [k for k in cache if match(k)]:
            del cache[key]
