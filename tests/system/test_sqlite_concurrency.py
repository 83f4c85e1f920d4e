"""Two edits of one record at once on the demo's SQLite database: a conflict, never a 500.

A probe of the demo once had two users save the same record together: one got "database is
locked" (a server error) instead of the stale-version message. SQLite cannot upgrade a read
lock to a write lock while another writer holds it, so a transaction that reads first and
writes later fails at once. With the settings' ``sqlite_options()`` every transaction takes
the write lock when it begins (``BEGIN IMMEDIATE``, which ``transaction.atomic()`` issues on
SQLite), so the second edit waits, then reads the first one's version and is refused as
stale. The test runs two connections in two threads on a database file, through Django's own
SQLite backend with those options.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from django.db import OperationalError
from django.db.utils import ConnectionHandler

from pontio.settings import sqlite_options

HOLD_SECONDS = 0.4


def _handler(path: Path, options: dict[str, Any]) -> ConnectionHandler:
    return ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    )


def _edit(
    handler: ConnectionHandler, expected: int, hold: float, started: threading.Event, out: list[str]
) -> None:
    """Read the version, think for ``hold`` seconds, then save if nobody else did."""
    wrapper = handler["default"]
    try:
        wrapper.ensure_connection()
        wrapper._start_transaction_under_autocommit()  # what transaction.atomic() runs
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT version FROM record WHERE id = 1")
            version = cursor.fetchone()[0]
            started.set()
            time.sleep(hold)
            if version != expected:
                wrapper.connection.rollback()
                out.append("stale")
                return
            cursor.execute("UPDATE record SET version = version + 1 WHERE id = 1")
        wrapper.connection.commit()
        out.append("saved")
    except OperationalError as error:
        out.append(f"error: {error}")
    finally:
        started.set()
        wrapper.close()


def _race(tmp_path: Path, options: dict[str, Any]) -> tuple[list[str], list[str]]:
    path = tmp_path / "race.sqlite3"
    setup = _handler(path, options)["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, version INTEGER)")
        cursor.execute("INSERT INTO record VALUES (1, 1)")
    setup.close()
    handler = _handler(path, options)
    first: list[str] = []
    second: list[str] = []
    first_started = threading.Event()
    a = threading.Thread(target=_edit, args=(handler, 1, HOLD_SECONDS, first_started, first))
    a.start()
    first_started.wait(5)
    b = threading.Thread(target=_edit, args=(handler, 1, 0, threading.Event(), second))
    b.start()
    a.join(10)
    b.join(10)
    return first, second


def test_the_second_of_two_simultaneous_edits_waits_and_is_told_it_is_stale(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        first, second = _race(tmp_path, sqlite_options())
    assert first == ["saved"]
    assert second == ["stale"]


def test_without_immediate_transactions_the_second_edit_fails_with_a_lock_error(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """Why the setting exists: a deferred transaction that read before another committed
    cannot write afterwards, and SQLite refuses at once (here the second edit saves while
    the first thinks, and the first then fails): the server error the probe met."""
    options = {**sqlite_options(), "transaction_mode": "DEFERRED"}
    with django_db_blocker.unblock():
        first, second = _race(tmp_path, options)
    assert second == ["saved"]
    assert len(first) == 1 and first[0].startswith("error: database is locked"), first


def test_the_demo_database_is_in_wal_mode_with_a_busy_timeout(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        wrapper = _handler(tmp_path / "demo.sqlite3", sqlite_options())["default"]
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
        assert wrapper.transaction_mode == "IMMEDIATE"
        wrapper.close()
