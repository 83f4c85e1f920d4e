"""Polling for new and changed Tasks: _lastUpdated, status, _count and keyset paging."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.conftest import demo_sign_in

from pontio.interop.resources import instant
from pontio.interop.tests.helpers import BASE, body, issue, new_referral
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import move


def _since(referrals: list[Referral]) -> str:
    first = min(r.updated_at for r in referrals)
    return "gt" + instant(first - dt.timedelta(seconds=1))


def _walk(client: Any, params: dict[str, str]) -> tuple[list[str], list[dict[str, Any]]]:
    """Every page from the first, following next links: the ids and the bundles."""
    bundles = [body(client.get(f"{BASE}/Task", params))]
    while True:
        links = {link["relation"]: link["url"] for link in bundles[-1]["link"]}
        if "next" not in links:
            break
        bundles.append(body(client.get(links["next"])))
        assert len(bundles) < 20
    ids = [e["resource"]["id"] for b in bundles for e in b.get("entry", [])]
    return ids, bundles


def test_new_tasks_come_in_pages_oldest_change_first(demo_users: Any) -> None:
    made = [new_referral(demo_users) for _ in range(5)]
    client = demo_sign_in("caseworker")
    ids, bundles = _walk(
        client, {"_lastUpdated": _since(made), "status": "requested", "_count": "2"}
    )
    assert ids == [str(r.pk) for r in sorted(made, key=lambda r: (r.updated_at, r.pk))]
    assert [len(b.get("entry", [])) for b in bundles] == [2, 2, 1]
    assert {b["total"] for b in bundles} == {5}
    assert all(b["type"] == "searchset" for b in bundles)


def test_a_row_changed_between_pages_skips_nothing_and_repeats_nothing_unchanged(
    demo_users: Any,
) -> None:
    made = [new_referral(demo_users) for _ in range(4)]
    client = demo_sign_in("caseworker")
    params = {"_lastUpdated": _since(made), "_count": "2"}
    first = body(client.get(f"{BASE}/Task", params))
    seen = [e["resource"]["id"] for e in first["entry"]]
    # The first row of the first page changes before the second page is read.
    move(demo_users["caseworker"], Referral.objects.get(pk=seen[0]), Status.ACCEPTED)
    later = new_referral(demo_users)
    next_url = {link["relation"]: link["url"] for link in first["link"]}["next"]
    rest: list[str] = []
    page = body(client.get(next_url))
    while True:
        rest += [e["resource"]["id"] for e in page.get("entry", [])]
        links = {link["relation"]: link["url"] for link in page["link"]}
        if "next" not in links:
            break
        page = body(client.get(links["next"]))
    unchanged = [str(r.pk) for r in made[2:]]
    assert rest[:2] == unchanged
    # The changed row comes again with its new version; the new one after it; none lost.
    assert set(rest[2:]) == {seen[0], str(later.pk)}
    assert seen[1] not in rest


def test_status_filters_the_tasks(demo_users: Any) -> None:
    made = [new_referral(demo_users) for _ in range(3)]
    move(demo_users["caseworker"], made[0], Status.ACCEPTED)
    client = demo_sign_in("caseworker")
    ids, _bundles = _walk(client, {"_lastUpdated": _since(made), "status": "requested"})
    assert sorted(ids) == sorted(str(r.pk) for r in made[1:])
    ids, _bundles = _walk(client, {"_lastUpdated": _since(made), "status": "accepted,requested"})
    assert len(ids) == 3


def test_count_zero_answers_the_total_only(demo_users: Any) -> None:
    made = [new_referral(demo_users) for _ in range(2)]
    data = body(
        demo_sign_in("caseworker").get(
            f"{BASE}/Task", {"_lastUpdated": _since(made), "_count": "0"}
        )
    )
    assert data["total"] == 2
    assert "entry" not in data


def test_later_than_every_change_finds_nothing(demo_users: Any) -> None:
    made = [new_referral(demo_users)]
    after = "gt" + instant(max(r.updated_at for r in made) + dt.timedelta(seconds=1))
    data = body(demo_sign_in("caseworker").get(f"{BASE}/Task", {"_lastUpdated": after}))
    assert data["total"] == 0


@pytest.mark.parametrize(
    ("params", "expression"),
    [
        ({"_lastUpdated": "2026-03-01T09:00:00Z"}, "_lastUpdated"),
        ({"_lastUpdated": "gtyesterday"}, "_lastUpdated"),
        ({"_lastUpdated": "gt2026-03-01T09:00:00"}, "_lastUpdated"),
        ({"_lastUpdated": "gt2026-03-01"}, "_lastUpdated"),
        ({"status": "done"}, "status"),
        ({"_count": "two"}, "_count"),
        ({"_count": "-1"}, "_count"),
        ({"_cursor": "not-a-cursor"}, "_cursor"),
    ],
)
def test_a_bad_parameter_is_refused_with_a_specific_diagnostic(
    demo_users: Any, params: dict[str, str], expression: str
) -> None:
    response = demo_sign_in("caseworker").get(f"{BASE}/Task", params)
    assert response.status_code == 400
    found = issue(response)
    assert found["expression"] == [expression]
    assert expression in found["diagnostics"] or "status" in found["diagnostics"]


def test_an_unknown_search_parameter_is_refused(demo_users: Any) -> None:
    response = demo_sign_in("caseworker").get(f"{BASE}/Task", {"name": "Jones"})
    assert response.status_code == 400
    assert issue(response)["code"] == "not-supported"
