"""What the property tests (hypothesis) of the services share: CI settings and a savepoint.

Deterministic (derandomized, no example database) so CI never goes red on a new random
example; no deadline, because a service call's time varies on a shared machine. Every
example runs in ``rolled_back()`` so that examples never see each other's records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings


def ci_settings(max_examples: int = 25) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
