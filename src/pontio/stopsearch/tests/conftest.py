"""Share the fixtures of tests/conftest.py with this package, plus the referral world."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def world(demo_users):  # type: ignore[no-untyped-def]
    """Demo organisations and users (by username), the demo directory (seeded once for the
    session: tests/conftest.py), and a person."""
    from pontio.accounts.models import User
    from pontio.stopsearch.tests.helpers import make_person

    demo_users["person"] = make_person()
    # These tests read English text; Welsh pages are covered by the catalogue test and the
    # browser journeys. The demo inspector reads Pontio in Welsh, so switch them here.
    User.objects.filter(username="inspector").update(preferred_language="en")
    demo_users["inspector"].preferred_language = "en"
    return demo_users
