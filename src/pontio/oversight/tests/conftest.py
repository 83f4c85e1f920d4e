"""Share the fixtures of tests/conftest.py with this package, plus the demo tracker."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def tracker(demo_users):  # type: ignore[no-untyped-def]
    """The demo users and the demo tracker (the 2019 deep dive, an inspection and a death
    review), seeded on 3 December 2026."""
    import datetime as dt

    from pontio.oversight.demo import DEEP_DIVE, seed_tracker
    from pontio.oversight.models import Review

    seed_tracker(dt.date(2026, 12, 3))
    demo_users["deep_dive"] = Review.objects.get(title_en=DEEP_DIVE)
    return demo_users
