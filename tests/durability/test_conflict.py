"""Two people change the same referral at the same moment, through the HTTP API of a
production gunicorn on PostgreSQL: one change is saved and the other is refused as stale
(409), never both saved (a lost update) and never a server error.

The first round is made deterministic: a third connection holds the referral's row lock
while both requests are sent, and lets go only when the database shows both waiting, so
the two really overlap. Further rounds race freely.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
import requests
from tests.durability.chaos import referral_body, signed_in_client
from tests.durability.conftest import SKIP_REASON
from tests.durability.stack import Stack

pytestmark = [
    pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or ""),
    # One private cluster serves both modules when xdist keeps them together (--dist loadgroup).
    pytest.mark.xdist_group("durability-stack"),
    # pytest-django sets the test database up only for tests that ask for it; the stack
    # starts from a copy of it.
    pytest.mark.django_db,
]

Send = Callable[[], requests.Response]


def _create(stack: Stack, http: requests.Session, key: str) -> dict[str, Any]:
    stack.web.wait_until_serving()
    answer = http.post(
        stack.web.url + "/api/v1/referrals/",
        json=referral_body(stack.people[0]),
        headers={"Idempotency-Key": key},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _together(*sends: Send) -> list[requests.Response]:
    results: list[Any] = [None] * len(sends)
    start = threading.Barrier(len(sends))

    def run(index: int, send: Send) -> None:
        start.wait()
        results[index] = send()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _waiting_for_locks(stack: Stack, expected: int, timeout: float = 15) -> bool:
    with psycopg.connect(stack.cluster.url.replace("postgres://", "postgresql://")) as watcher:
        watcher.autocommit = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = 'pontio' AND wait_event_type = 'Lock'"
            ).fetchone()
            if row and row[0] >= expected:
                return True
            time.sleep(0.05)
    return False


def test_an_amendment_and_an_acceptance_at_once_give_one_success_and_one_conflict(
    stack: Stack,
) -> None:
    officer = signed_in_client(stack.web.url, stack.sessions["officer"])
    caseworker = signed_in_client(stack.web.url, stack.sessions["caseworker"])
    referral = _create(stack, officer, "conflict-1")
    pk, version = referral["id"], referral["version"]
    url = f"{stack.web.url}/api/v1/referrals/{pk}"

    def amend() -> requests.Response:
        return officer.post(
            url + "/amendments/",
            json={"version": version, "changes": {"contact_phone": "07400 555111"}},
            timeout=30,
        )

    def accept() -> requests.Response:
        return caseworker.post(
            url + "/transition/", json={"to_status": "accepted", "version": version}, timeout=30
        )

    blocker = psycopg.connect(stack.cluster.url.replace("postgres://", "postgresql://"))
    try:
        blocker.execute("SELECT id FROM referrals_referral WHERE id = %s FOR UPDATE", [pk])
        answers: list[requests.Response] = []
        sender = threading.Thread(target=lambda: answers.extend(_together(amend, accept)))
        sender.start()
        both_waiting = _waiting_for_locks(stack, 2)
        blocker.rollback()
        sender.join(30)
    finally:
        blocker.close()

    assert both_waiting, "the two requests never waited on the row together"
    codes = sorted(a.status_code for a in answers)
    assert codes in ([200, 409], [201, 409]), [a.text[:300] for a in answers]
    stale = next(a for a in answers if a.status_code == 409).json()
    assert stale["code"] == "stale_version" and stale["version"] == version + 1

    now = officer.get(url + "/", timeout=10).json()
    amendments = officer.get(url + "/amendments/", timeout=10).json()
    assert now["version"] == version + 1
    accepted = now["status"] == "accepted"
    assert accepted != bool(amendments), "exactly one of the two changes is saved"


def test_two_amendments_from_the_same_version_never_both_save(stack: Stack) -> None:
    first = signed_in_client(stack.web.url, stack.sessions["officer"])
    second = signed_in_client(stack.web.url, stack.sessions["officer"])  # another tab
    referral = _create(stack, first, "conflict-2")
    url = f"{stack.web.url}/api/v1/referrals/{referral['id']}"
    version = referral["version"]
    for round_ in range(5):

        def amend(http: requests.Session, phone: str, v: int = version) -> Send:
            return lambda: http.post(
                url + "/amendments/",
                json={"version": v, "changes": {"contact_phone": phone}},
                timeout=30,
            )

        answers = _together(
            amend(first, f"07400 6{round_}0001"), amend(second, f"07400 6{round_}0002")
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [201, 409], [a.text[:300] for a in answers]
        version += 1
    amendments = first.get(url + "/amendments/", timeout=10).json()
    assert len(amendments) == 5
    assert first.get(url + "/", timeout=10).json()["version"] == version
