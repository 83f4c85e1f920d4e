"""Kill test: what the service acknowledged survives workers, the web server and the
database being killed mid-write (issue 15).

Officers' clients create, amend and write notes on referrals through the API of a
production gunicorn while, at random moments, a web worker is SIGKILLed (the master starts
another), the whole gunicorn is SIGKILLed and started again, and PostgreSQL is stopped with
``pg_ctl stop -m immediate`` (no checkpoint: crash recovery from the WAL) and started again.
Then every acknowledged write must be in the database as acknowledged, no record may be
half-written, and the audit chain must verify. CI runs a few cycles
(PONTIO_DURABILITY_CYCLES, default 3); bench/durability.py runs 20 and reports times.
"""

from __future__ import annotations

import os

import pytest
from tests.durability.chaos import KINDS, kill_run
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

CYCLES = int(os.environ.get("PONTIO_DURABILITY_CYCLES", "3"))


def test_every_acknowledged_write_survives_kills_of_workers_server_and_database(
    stack: Stack,
) -> None:
    outcome = kill_run(stack, CYCLES, threads=3, seed=15)

    assert [c.kind for c in outcome.cycles][: len(KINDS)] == list(KINDS)[:CYCLES]
    assert len(outcome.cycles) == CYCLES
    assert outcome.unexpected == []
    assert outcome.acks.created and outcome.acks.amended and outcome.acks.noted
    assert outcome.report["problems"] == []
    counts = outcome.report["counts"]
    assert counts["referrals"] >= len(outcome.acks.created)
    assert counts["audit_events_checked"] > 0


def test_the_checker_notices_a_lost_or_altered_write(stack: Stack) -> None:
    """The kill test can fail: acknowledgements the database does not bear out are named."""
    acks = {
        "created": [
            {"id": 987654, "reference": "PR26-999999", "version": 1, "person": 1, "key": "k"}
        ],
        "amended": [],
        "noted": [{"id": 987654, "referral": 1, "text": "never written"}],
    }
    problems = stack.check(acks)["problems"]
    assert "acknowledged referral 987654 is missing" in problems
    assert "acknowledged note 987654 is missing" in problems
