"""The deep dive's seven facts, computed live from what Pontio holds (issue 17).

``compute_fact(key, user=..., start=..., end=..., county=...)`` gives one ``FactResult``:
its value (or why there is none), how it was computed, its definition and the anchor of
that definition in docs/metrics.md, its source, the deep dive's figure, and a chart with
its accessible table. Every read goes through ``restrict(..., user, "aggregate")``; counts
from 1 to 4 are suppressed for people who see figures only. Computing a fact writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pontio.core.models import County
from pontio.oversight.facts import crime, deaths, diversion, investment, operations, referrals
from pontio.oversight.facts.base import FactResult, Scope

_COMPUTE: dict[str, Callable[[Scope], FactResult]] = {
    deaths.KEY: deaths.compute,
    crime.KEY: crime.compute,
    investment.KEY: investment.compute,
    referrals.SHARE_KEY: referrals.police_share,
    referrals.USE_KEY: referrals.reduced_use,
    diversion.KEY: diversion.compute,
    operations.KEY: operations.compute,
}

# In the deep dive's order.
FACT_KEYS: tuple[str, ...] = tuple(_COMPUTE)

__all__ = ["FACT_KEYS", "FactResult", "compute_fact", "compute_facts"]


def compute_fact(
    key: str, *, user: object, start: dt.date, end: dt.date, county: County | None = None
) -> FactResult:
    """One fact over [start, end] (both included), for the county or the force area."""
    try:
        compute = _COMPUTE[key]
    except KeyError:
        raise ValueError(f"Unknown fact {key!r}") from None
    if start > end:
        raise ValueError("The period must not end before it starts")
    return compute(Scope(user=user, start=start, end=end, county=county))


def compute_facts(
    *, user: object, start: dt.date, end: dt.date, county: County | None = None
) -> list[FactResult]:
    return [compute_fact(key, user=user, start=start, end=end, county=county) for key in FACT_KEYS]
