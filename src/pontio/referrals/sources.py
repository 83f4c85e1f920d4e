"""Where a referral can start from: pre-fill sources registered by the processes built on
referrals.

A referral is made from a person's record; a process above referrals (stop and search today,
custody and disposals later) may start one from its own record. Referrals never imports those
apps: each registers a ``Source`` from its ``dashboard.py``, naming the query parameter that
carries its record's id (a number only, never personal data) and a function that turns that
id into initial values of the referral form, read through the user's scope. A record the user
may not see, or another person's, gives nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    parameter: str  # e.g. "from_search"
    initial: Callable[[Any, Any, int], dict[str, Any]]  # (user, person, record id) -> initial


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    _SOURCES[source.parameter] = source


def initial_from(query: Mapping[str, str], user: Any, person: Any) -> dict[str, Any]:
    """Initial values from the first registered source named in the query string."""
    for parameter, source in _SOURCES.items():
        raw = (query.get(parameter) or "").strip()
        if raw.isdigit():
            return source.initial(user, person, int(raw))
    return {}
