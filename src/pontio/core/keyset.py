"""Keyset ("seek") pagination for the long lists, with a capped count.

``OFFSET n`` makes the database read and throw away n rows, so page 4,000 of the
stop-search list at national size costs seconds; a keyset page starts from the last row
shown (``WHERE (searched_at, id) < (…)``) on the list's index and costs the same on any
page. The cursor in the URL is signed and holds only the sort values of one row (a time
and a record number), never anything personal.

An exact ``COUNT(*)`` over millions of rows is itself slow, so the count is exact up to
``CAP`` rows and otherwise says "more than CAP" (the page says which).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db import models
from django.db.models import Q, QuerySet

CAP = 10_000
SALT = "pontio.core.keyset"
T = TypeVar("T", bound=models.Model)


@dataclass(frozen=True)
class CappedCount:
    value: int
    exact: bool


def capped_count(queryset: QuerySet[Any], cap: int = CAP) -> CappedCount:
    """The number of rows, counting no further than ``cap`` (then "more than cap")."""
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(min(found, cap), found <= cap)


def _encode(values: Sequence[Any], direction: str) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    return signing.dumps({"v": plain, "d": direction}, salt=SALT, compress=True)


def _decode(token: str, fields: Sequence[models.Field[Any, Any]]) -> tuple[list[Any], str] | None:
    try:
        data = signing.loads(token, salt=SALT)
        raw, direction = list(data["v"]), str(data["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if len(raw) != len(fields) or direction not in {"next", "prev"}:
        return None
    try:
        return [field.to_python(value) for field, value in zip(fields, raw, strict=True)], direction
    except Exception:
        return None


def _after(order: Sequence[str], values: Sequence[Any], forward: bool) -> Q:
    """Rows after ``values`` in ``order`` (before them when not ``forward``)."""
    condition = Q()
    for i, key in enumerate(order):
        name = key.lstrip("-")
        descending = key.startswith("-") == forward
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for earlier_key, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier_key.lstrip("-"): value})
        condition |= step
    return condition


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a column of {model.__name__}: it cannot order a page")
    return field


@dataclass
class KeysetPage(Generic[T]):
    object_list: list[T]
    count: CappedCount
    next_cursor: str | None
    previous_cursor: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def keyset_page(
    queryset: QuerySet[T], order: Sequence[str], cursor: str | None, size: int, cap: int = CAP
) -> KeysetPage[T]:
    """One page of ``queryset`` in ``order`` (whose last key must be unique, e.g. ``-pk``),
    starting after the row named by ``cursor`` (the first page without one)."""
    model = queryset.model
    fields = [_field(model, key.lstrip("-")) for key in order]
    decoded = _decode(cursor, fields) if cursor else None
    rows: QuerySet[T] = queryset
    forward = True
    if decoded is not None:
        values, direction = decoded
        forward = direction == "next"
        rows = rows.filter(_after(order, values, forward))
    reversed_order = [key[1:] if key.startswith("-") else f"-{key}" for key in order]
    fetched = list(rows.order_by(*(order if forward else reversed_order))[: size + 1])
    more = len(fetched) > size
    fetched = fetched[:size]
    if not forward:
        fetched.reverse()

    def cursor_of(row: T, direction: str) -> str:
        return _encode([getattr(row, f.attname) for f in fields], direction)

    has_next = more if forward else decoded is not None
    has_previous = decoded is not None if forward else more
    return KeysetPage(
        object_list=fetched,
        count=capped_count(queryset, cap),
        next_cursor=cursor_of(fetched[-1], "next") if fetched and has_next else None,
        previous_cursor=cursor_of(fetched[0], "prev") if fetched and has_previous else None,
    )
