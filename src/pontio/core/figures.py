"""Counts and rates for people who see aggregates only: small-number suppression.

Anyone who may not open the records behind a figure (the OPCC analyst, the panel, an
operations lead) sees counts from 1 to 4 as "fewer than 5", and no percentage that would
reveal such a handful through its numerator or through the rest of its denominator. This
follows the Government Statistical Service's guidance on disclosure control for tables of
counts (a threshold rule with secondary suppression).

*Primary* suppression hides the small cells. *Secondary* suppression hides more cells where a
hidden one could otherwise be worked out by subtraction: in any group of cells whose total is
also shown (a row and its total, a column and its total), a single hidden cell is the total
minus the others, so a second cell of the group (the smallest shown one that is not zero) is
hidden too; and a hidden total among shown parts is their sum, so a part is hidden with it.
``suppressed_cells`` repeats this until no group has exactly one hidden cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils import formats
from django.utils.translation import gettext as _

# Counts from 1 to 4 are not shown to people who see aggregates only.
SMALL = 5

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def rate_suppressed(rate: Rate) -> bool:
    """A percentage could reveal a handful of people through its numerator or the rest."""
    return (
        rate.denominator < SMALL
        or is_small(rate.numerator)
        or is_small(rate.denominator - rate.numerator)
    )


def fewer_than() -> str:
    return _("fewer than %(n)s") % {"n": SMALL}


def show_count(count: int, suppress: bool) -> str:
    return fewer_than() if suppress and is_small(count) else formats.number_format(count)


def suppressed_cells(cells: Mapping[K, int], groups: Iterable[tuple[K, Sequence[K]]]) -> set[K]:
    """The cells to hide: the small ones, and enough others that none can be worked out.

    ``cells`` maps each shown cell (parts and totals alike) to its count; each group is a
    ``(total, parts)`` pair whose counts add up (the total may be a key not in the table
    when it is not shown: then nothing can be subtracted from it and the group is skipped).
    """
    hidden = {key for key, count in cells.items() if is_small(count)}
    groups = [(total, list(parts)) for total, parts in groups if total in cells]
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            members = [total, *parts]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            candidates = [p for p in parts if p not in hidden]
            if not candidates:  # only the total is left: it is the sum of hidden parts
                continue
            # The smallest non-zero part gives the least away; a zero is hidden only if
            # nothing else is left (a hidden zero among hidden small counts still protects
            # them, since a reader cannot tell which is which).
            nonzero = [p for p in candidates if cells.get(p, 0) > 0]
            choice = min(nonzero or candidates, key=lambda p: (cells.get(p, 0), str(p)))
            hidden.add(choice)
            changed = True
    return hidden
