"""The replica router: only the reads of @replica_reads views leave the primary."""

from __future__ import annotations

from typing import Any

import pytest

from pontio.core import replica
from pontio.core.models import County


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_without_a_replica_every_read_stays_on_the_primary() -> None:
    router = replica.ReplicaRouter()

    @replica.replica_reads
    def view() -> str | None:
        return router.db_for_read(County)

    assert view() is None  # Django's default: the primary


def test_a_marked_view_reads_from_the_replica_and_writes_to_the_primary(configured: Any) -> None:
    router = replica.ReplicaRouter()
    seen: dict[str, Any] = {}

    @replica.replica_reads
    def view() -> None:
        seen["read"] = router.db_for_read(County)
        seen["write"] = router.db_for_write(County)

    view()
    assert seen == {"read": "replica", "write": "default"}


def test_reads_outside_a_marked_view_and_after_it_stay_on_the_primary(configured: Any) -> None:
    router = replica.ReplicaRouter()

    @replica.replica_reads
    def failing_view() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_view()
    assert router.db_for_read(County) is None


def test_only_the_primary_is_migrated() -> None:
    router = replica.ReplicaRouter()
    assert router.allow_migrate("default", "core") is True
    assert router.allow_migrate("replica", "core") is False
