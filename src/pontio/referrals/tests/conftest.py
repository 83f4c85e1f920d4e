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
    session: tests/conftest.py), and two people."""
    from pontio.referrals.tests.helpers import make_person

    demo_users["person"] = make_person()
    demo_users["powys_person"] = make_person(
        given="Siân",
        family="Price",
        county_code="W06000023",
        postcode="LD1 5HF",
        town="Llandrindod Wells",
    )
    return demo_users
