"""Share the fixtures of tests/conftest.py with this package, plus the disposals world."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def world(demo_users):  # type: ignore[no-untyped-def]
    """Demo users (by username), the disposals reference data (reloaded: a flushed database
    loses migration data) and the default diversion scheme pointed at Pobl's navigators."""
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme

    load_all()
    demo_users["scheme"] = link_scheme()
    return demo_users
