"""``manage.py backup`` and ``restore`` on both engines: a database with rows in every app,
backed up, restored into a fresh database, is the same table for table and row for row;
a restore refuses a missing file, a file that is not a backup (or another engine's) and a
database that is not empty (unless forced); a backup does not overwrite a file unforced.

The source is a copy of this test process's seeded world (PostgreSQL: ``CREATE DATABASE
... TEMPLATE``, SQLite: the online backup of the in-memory database), filled with rows
through the services in a separate process; the commands run as operators run them.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from tests.durability.stack import ROOT, clean_env

APPS = ("accounts", "audit", "core", "custody", "directory", "people", "referrals", "stopsearch")
Rows = dict[str, list[tuple[Any, ...]]]


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(PONTIO_ENV="test", DJANGO_SETTINGS_MODULE="pontio.settings", DATABASE_URL=url)
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# --- the two engines: a fresh copy of the seeded world, an empty database, every row -----


def _admin_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    return f"postgresql://{user}{password}@{host}:{params.get('PORT') or 5432}"


@contextmanager
def _pg_databases(tmp_path: Path) -> Iterator[tuple[str, str, Callable[[str], Rows]]]:
    import psycopg

    world = connection.settings_dict["NAME"]
    suffix = uuid.uuid4().hex[:8]
    source, target = f"pontio_backup_src_{suffix}", f"pontio_backup_dst_{suffix}"
    connection.close()  # a template must have no other connection
    with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{source}" TEMPLATE "{world}"')
        admin.execute(f'CREATE DATABASE "{target}"')
    try:

        def rows(name: str) -> Rows:
            with psycopg.connect(f"{_admin_url()}/{name}") as db:
                tables = [
                    r[0]
                    for r in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    ).fetchall()
                ]
                return {t: _pg_rows(db, t) for t in sorted(tables)}

        yield f"{_admin_url()}/{source}", f"{_admin_url()}/{target}", rows
    finally:
        with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as admin:
            for name in (source, target):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_rows(db: Any, table: str) -> list[tuple[Any, ...]]:
    width = len(db.execute(f'SELECT * FROM "{table}" LIMIT 0').description)  # noqa: S608
    order = ", ".join(str(n) for n in range(1, width + 1))
    return [tuple(r) for r in db.execute(f'SELECT * FROM "{table}" ORDER BY {order}')]  # noqa: S608


@contextmanager
def _sqlite_databases(tmp_path: Path) -> Iterator[tuple[str, str, Callable[[str], Rows]]]:
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    connection.connection.backup(copy)
    copy.close()

    def rows(path: str) -> Rows:
        db = sqlite3.connect(path.removeprefix("sqlite:///"))
        try:
            tables = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            found = {}
            for table in sorted(tables):
                width = len(db.execute(f'SELECT * FROM "{table}" LIMIT 0').description)  # noqa: S608
                order = ", ".join(str(n) for n in range(1, width + 1))
                found[table] = db.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()  # noqa: S608
            return found
        finally:
            db.close()

    yield f"sqlite:///{source}", f"sqlite:///{target}", rows


@pytest.fixture
def databases(
    django_db_setup: Any, django_db_blocker: Any, tmp_path: Path
) -> Iterator[tuple[str, str, Callable[[str], Rows]]]:
    """(source URL, empty target URL, rows-of(URL or name)) on this run's engine."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with _pg_databases(tmp_path) as made:
                source, target, rows = made
                yield source, target, lambda url: rows(url.rsplit("/", 1)[1])
        else:
            with _sqlite_databases(tmp_path) as made:
                yield made


def test_a_backup_restored_into_a_fresh_database_is_the_same_row_for_row(
    databases: tuple[str, str, Callable[[str], Rows]], tmp_path: Path
) -> None:
    source, target, rows_of = databases
    backup = tmp_path / "pontio.backup"
    _ok(_run(source, "-m", "tests.durability.world", "fill", "--backup-to", str(backup)))

    restored = _ok(_run(target, "manage.py", "restore", str(backup)))
    assert "Restored" in restored and "tables" in restored

    before, after = rows_of(source), rows_of(target)
    assert sorted(after) == sorted(before)
    empty_apps = [
        a for a in APPS if not any(rows for t, rows in before.items() if t.startswith(a + "_"))
    ]
    assert empty_apps == [], "the source has no rows in these apps"
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"

    # Not into a database with data, unless forced: then everything is replaced.
    again = _run(target, "manage.py", "restore", str(backup))
    assert again.returncode != 0
    assert "is not empty" in again.stderr and "--force" in again.stderr
    assert rows_of(target) == before
    _ok(_run(target, "manage.py", "restore", "--force", str(backup)))
    assert rows_of(target) == before


@pytest.mark.django_db
def test_restore_refuses_a_missing_file_or_junk_and_backup_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "none.backup"))
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 10)
    with pytest.raises(CommandError, match="is not a Pontio backup"):
        call_command("restore", str(junk))
    other = tmp_path / "other.backup"
    other.write_bytes(b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00")
    with pytest.raises(CommandError, match="backup; this database is"):
        call_command("restore", str(other))
    with pytest.raises(CommandError, match="already exists; use --force"):
        call_command("backup", str(junk))
    assert junk.read_bytes().startswith(b"not a backup")
