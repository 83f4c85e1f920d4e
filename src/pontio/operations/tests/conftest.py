"""Share the fixtures of tests/conftest.py with this package, plus the operations world."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def world(demo_users):  # type: ignore[no-untyped-def]
    """Demo organisations and users (by username) and a person living in Llanelli."""
    from pontio.operations.tests.helpers import make_person

    demo_users["person"] = make_person()
    return demo_users
