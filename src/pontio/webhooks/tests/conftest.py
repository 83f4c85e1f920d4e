"""Share the fixtures of tests/conftest.py with this package, plus a local receiver."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402
from tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def world(demo_users, settings):  # type: ignore[no-untyped-def]
    """Demo organisations and users (by username), a person living in Llanelli, and plain
    http to this machine allowed (the local receiver)."""
    from pontio.referrals.tests.helpers import make_person

    settings.PONTIO_WEBHOOKS_ALLOW_HTTP_LOCAL = True
    settings.PONTIO_BASE_URL = "https://pontio.example.gov.uk"
    demo_users["person"] = make_person()
    return demo_users


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    """A real HTTP receiver on 127.0.0.1 that verifies each request (tests/receiver.py)."""
    from pontio.webhooks.tests.receiver import Receiver

    server = Receiver()
    server.start()
    yield server
    server.stop()
