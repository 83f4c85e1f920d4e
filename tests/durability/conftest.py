"""One private PostgreSQL cluster and production web server per test process, shared by the
kill and conflict tests (setting one up takes most of their time)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.durability.stack import Stack, why_not_runnable

SKIP_REASON = why_not_runnable()


def _database_url(params: dict[str, Any]) -> str:
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{params.get('PORT') or 5432}/{params['NAME']}"


@pytest.fixture(scope="session")
def stack(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Stack]:
    """Started from a copy of this process's test database (migrated, with the seeded
    world): quicker than running every migration into the new cluster."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    from django.db import connection

    with django_db_blocker.unblock():
        source = _database_url(connection.settings_dict)
    running = Stack.up(usernames=("officer", "caseworker"), people=3, copy_from=source)
    try:
        yield running
    finally:
        running.down()
