"""A read-only request writes nothing: the session's idle expiry moves on at most once per
refresh interval (D62), and the idle timeout still ends an unused session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, UserFactory

from pontio.accounts.roles import Role

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def officer() -> Any:
    return UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], with_device=True)


def writes_during(client: Any, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]


def test_a_page_read_soon_after_the_last_save_writes_nothing(officer: Any) -> None:
    client = sign_in_client(officer)
    before = Session.objects.get().expire_date
    assert writes_during(client, "/accessibility/") == []
    assert writes_during(client, "/account/") == []
    assert Session.objects.get().expire_date == before


def test_after_the_refresh_interval_a_request_moves_the_idle_expiry_on(
    officer: Any, settings: Any
) -> None:
    client = sign_in_client(officer)
    before = Session.objects.get().expire_date
    later = timezone.now() + dt.timedelta(seconds=settings.PONTIO_SESSION_REFRESH_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        writes = writes_during(client, "/accessibility/")
    assert len(writes) == 1 and "django_session" in writes[0]
    assert Session.objects.get().expire_date > before


def test_a_session_used_now_and_then_within_the_idle_timeout_stays_open(
    officer: Any, settings: Any
) -> None:
    client = sign_in_client(officer)
    step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    moment = timezone.now()
    for _ in range(3):  # three idle gaps just under the timeout: longer than it in all
        moment += step
        with time_machine.travel(moment, tick=False):
            assert client.get("/account/").status_code == 200


def test_a_session_left_unused_past_the_idle_timeout_ends(officer: Any, settings: Any) -> None:
    client = sign_in_client(officer)
    later = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    with time_machine.travel(later, tick=False):
        response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
