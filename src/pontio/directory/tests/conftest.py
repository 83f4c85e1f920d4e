"""Share the fixtures of tests/conftest.py with this package (see that file)."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def directory(demo_users):  # type: ignore[no-untyped-def]
    """The demo organisations, users (by username) and the demo directory (seeded once for
    the session: tests/conftest.py)."""

    return demo_users
