"""Keyset pagination: every row once, in order, both ways; forged cursors are ignored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing

from pontio.core.keyset import capped_count, keyset_page
from pontio.core.models import Notification

pytestmark = pytest.mark.django_db

ORDER = ("template", "-pk")  # ties on the first key, broken by the second


@pytest.fixture
def rows() -> list[Notification]:
    made = [
        Notification.objects.create(template=f"t{i % 4}", link="https://example.gov.uk/x")
        for i in range(23)
    ]
    return sorted(made, key=lambda n: (n.template, -n.pk))


def walk(size: int) -> tuple[list[Any], list[Any]]:
    pages = [keyset_page(Notification.objects.all(), ORDER, None, size)]
    while pages[-1].next_cursor:
        pages.append(keyset_page(Notification.objects.all(), ORDER, pages[-1].next_cursor, size))
    return pages, [row.pk for page in pages for row in page]


def test_going_forward_shows_every_row_once_in_order(rows: list[Notification]) -> None:
    pages, seen = walk(5)
    assert seen == [n.pk for n in rows]
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert pages[0].previous_cursor is None and pages[-1].next_cursor is None


def test_going_back_from_the_last_page_shows_the_same_pages(rows: list[Notification]) -> None:
    pages, _ = walk(5)
    page = pages[-1]
    back = [[r.pk for r in page]]
    while page.previous_cursor:
        page = keyset_page(Notification.objects.all(), ORDER, page.previous_cursor, 5)
        back.append([r.pk for r in page])
    assert back[::-1] == [[r.pk for r in p] for p in pages]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", signing.dumps({"v": ["t1"], "d": "next"}, salt="pontio.core.keyset"), ""],
    # Named, not shown: the signed cursor holds a timestamp, and xdist's workers must
    # collect the same test ids even when they do so a second apart.
    ids=["nonsense", "wrong-shape", "empty"],
)
def test_a_forged_or_malformed_cursor_starts_from_the_first_page(
    rows: list[Notification], cursor: str
) -> None:
    page = keyset_page(Notification.objects.all(), ORDER, cursor, 5)
    assert [r.pk for r in page] == [n.pk for n in rows[:5]]


def test_the_count_is_exact_up_to_the_cap_and_says_so_beyond(rows: list[Notification]) -> None:
    exact = capped_count(Notification.objects.all(), cap=100)
    assert (exact.value, exact.exact) == (23, True)
    capped = capped_count(Notification.objects.all(), cap=10)
    assert (capped.value, capped.exact) == (10, False)
