"""Reads of dashboards and exports from a PostgreSQL streaming replica, when there is one.

Set ``PONTIO_REPLICA_URL`` to a read-only standby of the main database (PostgreSQL
streaming replication, e.g. started from ``pg_basebackup -R``) and the views marked
``@replica_reads`` (figures, dashboards, exports: whole-table reads that need no
read-your-own-writes) run their queries there; everything else, every write, and every
``select_for_update`` (the audit chain head) stays on the primary. Without the setting the
router does nothing. A replica may lag the primary by a moment: the figures pages already
describe a period, not this second.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import models

REPLICA = "replica"
_on_replica: ContextVar[bool] = ContextVar("pontio_replica_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """Run the view's reads on the replica (when one is configured)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _on_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _on_replica.reset(token)

    return wrapped


class ReplicaRouter:
    """Sends the reads of ``@replica_reads`` views to the replica; nothing else."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if _on_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
