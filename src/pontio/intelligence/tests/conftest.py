"""Share the fixtures of tests/conftest.py with this package, plus the intelligence helpers."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    """Rate-limit counters and used form tokens live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def logs():  # type: ignore[no-untyped-def]
    """The messages logged by the intelligence app during the test (the suite runs with
    pytest's logging plugin off, so ``caplog`` is not there)."""
    import logging

    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Keep(level=logging.INFO)
    logger = logging.getLogger("pontio.intelligence")
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)
