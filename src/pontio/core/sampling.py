"""Seeded, reproducible samples for review, shared by every app that draws one.

A sample must be checkable by anyone with the same rows, so:

- the population is sorted by primary key first, whatever order it came in;
- the size is ``ceil(rate * population / 100)`` in integers: a handful of records still
  gives at least one, and 25% of 10 is 3;
- the draw is ``random.Random(seed).sample(pks, size)`` (Python's Mersenne Twister, stable
  across Python versions for integer seeds);
- the default seed is the first 63 bits of SHA-256 of a key naming the period and the area
  (``"YYYY-MM:W06…"``), so the same period always gives the same draw.

Reviewers are handed out by ``RoundRobin``: the one with the fewest open reviews first,
ties by account number, never the person whose record it is.

Used by the stop-search monthly audit (``stopsearch.sampling``) and the disposals scrutiny
panel's quarterly sample (``disposals.panel``).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SEED = 2**63 - 1  # samples store the seed as a signed 64-bit integer


def seed_for(key: str) -> int:
    """The default seed of a key: the same key always gives the same seed."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") & MAX_SEED


def sample_size(population: int, rate_percent: int) -> int:
    """``ceil(rate * population / 100)``, in integers (no floating-point surprises)."""
    return (population * rate_percent + 99) // 100


def select(pks: list[int], rate_percent: int, seed: int) -> list[int]:
    """The sampled primary keys, in the order drawn (the population is sorted first)."""
    population = sorted(pks)
    # Not for secrecy: a reproducible draw is the point (anyone can redraw it).
    return random.Random(seed).sample(  # noqa: S311
        population, sample_size(len(population), rate_percent)
    )


def check_rate(rate_percent: int) -> int:
    rate = int(rate_percent)
    if not 1 <= rate <= 100:
        raise ValidationError(
            {"rate_percent": [_("The sample rate must be a whole number from 1 to 100")]},
            code="invalid_rate",
        )
    return rate


class RoundRobin:
    """Hands out reviewers, the one with the fewest open reviews first (ties by pk)."""

    def __init__(self, loads: Iterable[tuple[int, int]]) -> None:
        """``loads``: (open reviews, user pk) of every candidate."""
        self.load: Counter[int] = Counter()
        self.order: list[int] = []
        for count, pk in sorted(loads):
            self.load[pk] = count
            self.order.append(pk)

    def next(self, *, not_: int | None = None) -> int | None:
        """The next reviewer, never ``not_`` (nobody reviews their own record; with nobody
        else, the review waits unassigned)."""
        candidates = [p for p in self.order if p != not_]
        if not candidates:
            return None
        pk = min(candidates, key=lambda p: (self.load[p], p))
        self.load[pk] += 1
        return pk
