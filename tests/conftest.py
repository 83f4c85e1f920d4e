"""Shared fixtures of the unit and integration tests (not the browser tests).

The test packages under ``src/pontio/*/tests`` pick these up through their own small
``conftest.py`` (pytest only shares a conftest's fixtures with the folders below it).

Sign-in in tests goes through the real forms: password first, then the security code of a
confirmed TOTP authenticator, exactly as a person would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    confirmed_device,
    current_code,
)

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def pytest_configure(config: pytest.Config) -> None:
    """Unit and integration tests run at midday of today's date (the clock still ticks).

    Their worlds say "an appointment three hours ago" of a referral sent now: after midnight
    that appointment is on the day before the referral, which the services rightly refuse,
    so the suite failed between midnight and three. Tests about a day's edges travel there
    themselves (time-machine). Browser tests keep the real clock: the browser has it too.
    """
    markers = (config.option.markexpr or "").replace("not e2e", "")
    if getattr(config, "_pontio_midday", None) is not None or "e2e" in markers:
        return  # already travelling (this module is also imported by the apps' conftests)
    london = ZoneInfo("Europe/London")
    noon = dt.datetime.combine(dt.datetime.now(tz=london).date(), dt.time(12, 0), tzinfo=london)
    traveller = time_machine.travel(noon, tick=True)
    traveller.start()
    config._pontio_midday = traveller  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def english_by_default() -> Any:
    """Each test starts in English, whatever language an earlier test in the same worker
    activated (a test that reads Welsh activates it itself)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests hash with MD5.

    ``pontio.core.tests.test_settings_security`` checks that the real settings still put
    Argon2 first.
    """
    settings.PASSWORD_HASHERS = [FAST_HASHER]


def sign_in_client(
    user: Any,
    *,
    client: Client | None = None,
    password: str = PASSWORD,
    device: TOTPDevice | None = None,
    next_url: str | None = None,
) -> Client:
    """A client signed in as ``user`` with both factors (through the sign-in pages)."""
    client = client or Client()
    device = device or TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = confirmed_device(user)
    url = "/sign-in/" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": user.username, "password": password})
    assert response.status_code == 302, _page_text(response)
    assert response["Location"] == "/sign-in/code/", response["Location"]
    response = client.post(response["Location"], {"code": current_code(device)})
    assert response.status_code == 302, _page_text(response)
    assert response["Location"] != "/sign-in/code/"
    return client


def _page_text(response: Any) -> str:
    content = getattr(response, "content", b"")
    return content.decode(errors="replace")[:2000]


@pytest.fixture
def sign_in(db: Any) -> Callable[..., Client]:
    """``sign_in(user)`` -> a test Client signed in with password and security code."""
    return sign_in_client


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user(roles=[...], counties=[...], with_device=True, ...)`` -> a saved user."""

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("with_device", True)
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def make_organisation(db: Any) -> Callable[..., Any]:
    return OrganisationFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The world every test starts from, seeded once per test database (and so once per
    xdist worker): the counties (a migration), the demo organisations with one user per role
    (``accounts.demo``) and the demo service directory (``directory.demo``). Each test runs
    in a transaction that is rolled back at its end, so every test starts from exactly this
    world, and what one test writes is never seen by another.

    The world is fixture data, not anyone's activity: the audit events its seeding wrote are
    removed and the chain restarts from its genesis, so each test starts with an empty,
    intact log (PostgreSQL's TRUNCATE does not fire the row triggers that refuse deletes).
    """
    from django.db import connection
    from django.test.utils import override_settings

    from pontio.accounts.demo import seed_accounts
    from pontio.audit.chain import GENESIS_HASH
    from pontio.audit.models import AuditEvent, ChainHead, ChangeRecord
    from pontio.directory.demo import seed_directory

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        seed_accounts()
        seed_directory()
        tables = [ChangeRecord._meta.db_table, AuditEvent._meta.db_table]
        with connection.cursor() as cursor:
            for table in tables:
                if connection.vendor == "postgresql":
                    cursor.execute(f'TRUNCATE TABLE "{table}" CASCADE')
                else:
                    cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608  (our own table)
        ChainHead.objects.update_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})


@pytest.fixture
def demo_users(db: Any) -> dict[str, Any]:
    """The demo organisations and one user per role (accounts.demo), by username: seeded
    once for the session (``django_db_setup``), read fresh for each test."""
    from pontio.accounts.demo import DEMO_USERS
    from pontio.accounts.models import User

    names = [spec.username for spec in DEMO_USERS]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def demo_sign_in(username: str, client: Client | None = None) -> Client:
    """Sign in as a demo user (demo password and the derived demo authenticator)."""
    from pontio.accounts.demo import DEMO_PASSWORD
    from pontio.accounts.models import User

    user = User.objects.get(username=username)
    return sign_in_client(user, client=client, password=DEMO_PASSWORD)
