"""Share the fixtures of tests/conftest.py with this package, plus the custody world."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def world(demo_users, make_user):  # type: ignore[no-untyped-def]
    """Demo users (by username), a Carmarthenshire inspector, an adult living in Llanelli,
    and the custody reference data (reloaded: a flushed database loses migration data)."""
    from pontio.accounts.roles import Role
    from pontio.custody.reference import load_all
    from pontio.custody.tests.helpers import CARMS, make_person

    load_all()
    demo_users["person"] = make_person()
    demo_users["carms_inspector"] = make_user(
        roles=[Role.INSPECTOR], counties=[CARMS], staff_number="Insp 12"
    )
    return demo_users
