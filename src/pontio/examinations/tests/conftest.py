"""Share the fixtures of tests/conftest.py with this package, plus the examinations world."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def world(demo_users):  # type: ignore[no-untyped-def]
    """Demo users by username, the custody reference data, an operation in its enforcement
    phase (Carmarthenshire and Pembrokeshire) and the examiner profiles: the demo examiner
    in the central unit (trained for every level, a supervisor), a Powys local investigator
    trained for triage only."""
    from pontio.examinations.tests import helpers

    return helpers.build_world(demo_users)
