"""Backing up and restoring the whole database (``manage.py backup`` and ``restore``).

PostgreSQL: ``pg_dump`` in its custom format (``-Fc``: compressed, checked by
``pg_restore --list``); a restore plays ``pg_restore``'s script with psql in a single
transaction, so a restore that fails leaves the database as it was. SQLite (the demo):
the online backup API of the sqlite3 module, which copies a consistent snapshot while the
demo keeps running.

A restore goes into an empty database unless forced: restoring over live data is how
records are lost, and the audit log cannot be "undone" afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

PG_MAGIC = b"PGDMP"  # the first bytes of every pg_dump custom-format file
SQLITE_MAGIC = b"SQLite format 3\x00"
# A database Pontio made always has this table (Django's record of applied migrations).
MARKER_TABLE = "django_migrations"


class BackupError(Exception):
    """A refusal or failure, with a message for the operator."""


@dataclass(frozen=True)
class Outcome:
    engine: str
    database: str
    path: Path
    tables: int
    size: int


def engine() -> str:
    return str(connection.vendor)


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


def table_count() -> int:
    with connection.cursor() as cursor:
        return len(connection.introspection.table_names(cursor))


def _file_kind(path: Path) -> str:
    """ "postgresql", "sqlite" or "" (not a backup either engine makes)."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return ""


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed or not on PATH (Debian: apt-get install postgresql-client)."
        )
    return found


def _pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore and the environment carrying the password
    and TLS settings (never on the command line, where other users could read it)."""
    params = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    options: dict[str, Any] = params.get("OPTIONS", {})
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed (exit status {done.returncode}): {done.stderr.strip()}")
    return done


def _pg_backup(path: Path) -> None:
    args, env = _pg_connection_args()
    _run([_pg_tool("pg_dump"), "--format=custom", f"--file={path}", *args, database_name()], env)


def _pg_listing(path: Path) -> str:
    """The table of contents of a dump (read from the file: no connection), or ""."""
    done = subprocess.run(  # noqa: S603
        [_pg_tool("pg_restore"), "--list", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout if done.returncode == 0 else ""


# --force: everything in the public schema goes first, in the same transaction as the
# restore (objects that are not in the backup must not survive it either).
PG_EMPTY_SCHEMA = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"


def _pg_restore(path: Path, *, replace: bool) -> None:
    """pg_restore's script, played by psql in ONE transaction: a restore that fails half-way
    (a full disk, a damaged file) leaves the database exactly as it was."""
    args, env = _pg_connection_args()
    connection.close()  # the restore works on its own connection
    script = [
        _pg_tool("pg_restore"),
        "--no-owner",  # objects belong to the user restoring (a scratch server's)
        "--no-privileges",
        "--file=-",
        str(path),
    ]
    play = [
        _pg_tool("psql"),
        "--no-psqlrc",
        "--quiet",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        *args,
        f"--dbname={database_name()}",
    ]
    with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as play_errors:
        reader = subprocess.Popen(script, env=env, stdout=subprocess.PIPE, stderr=script_errors)  # noqa: S603
        player = subprocess.Popen(  # noqa: S603
            play, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=play_errors
        )
        if reader.stdout is None or player.stdin is None:  # pragma: no cover (PIPE given)
            raise BackupError("Could not start pg_restore and psql.")
        # A BrokenPipeError means psql stopped at an error: reported below.
        try:
            with contextlib.suppress(BrokenPipeError):
                if replace:
                    player.stdin.write(PG_EMPTY_SCHEMA)
                shutil.copyfileobj(reader.stdout, player.stdin, 1 << 20)
        finally:
            with contextlib.suppress(BrokenPipeError):
                player.stdin.close()
            reader.stdout.close()
        failures: list[str] = []
        for process, errors, name in (
            (player, play_errors, "psql"),
            (reader, script_errors, "pg_restore"),
        ):
            status = process.wait()
            errors.seek(0)
            text = errors.read().decode(errors="replace").strip()
            if status != 0 and not (name == "pg_restore" and failures):
                failures.append(f"{name} failed (exit status {status}): {text[-2000:]}")
        if failures:
            raise BackupError("The restore failed and nothing was changed. " + failures[0])


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_raw() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):  # pragma: no cover (engine checked)
        raise BackupError("The database connection is not a sqlite3 connection.")
    return raw


def _sqlite_backup(path: Path) -> None:
    target = sqlite3.connect(path)
    try:
        _sqlite_raw().backup(target)
        # One self-contained file: the copy would otherwise keep the demo's WAL mode and
        # need its -wal and -shm companions beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_is_pontio(path: Path) -> bool:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = source.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                [MARKER_TABLE],
            ).fetchone()
            check = source.execute("PRAGMA quick_check").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError:
        return False
    return bool(row and row[0]) and bool(check and check[0] == "ok")


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # Replaces every page of the target: nothing of what was there survives.
        source.backup(_sqlite_raw())
    finally:
        source.close()
    connection.close()


# --- the two operations -------------------------------------------------------------------


def backup(path: Path, *, overwrite: bool = False) -> Outcome:
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; use --force to overwrite it.")
    if path.parent and not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    kind = engine()
    if kind == "postgresql":
        _pg_backup(path)
    elif kind == "sqlite":
        _sqlite_backup(path)
    else:
        raise BackupError(f"Backups of {kind} databases are not supported.")
    return Outcome(kind, database_name(), path, table_count(), path.stat().st_size)


def check_backup_file(path: Path) -> str:
    """The engine that made the backup at ``path``; BackupError if it is not one of ours
    for this database's engine."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    kind = _file_kind(path)
    if not kind:
        raise BackupError(f"{path} is not a Pontio backup (neither a pg_dump nor a SQLite file).")
    if kind != engine():
        raise BackupError(
            f"{path} is a {kind} backup; this database is {engine()}. Restore it into a "
            f"{kind} database."
        )
    if kind == "postgresql":
        listing = _pg_listing(path)
        if f"TABLE public {MARKER_TABLE} " not in listing:
            raise BackupError(f"{path} is unreadable or not a backup of a Pontio database.")
    elif not _sqlite_is_pontio(path):
        raise BackupError(f"{path} is damaged or not a backup of a Pontio database.")
    return kind


def restore(path: Path, *, force: bool = False) -> Outcome:
    kind = check_backup_file(path)
    existing = table_count()
    if existing and not force:
        raise BackupError(
            f"The database {database_name()} is not empty ({existing} tables). Restore into "
            "an empty database, or use --force to replace everything in it."
        )
    if kind == "postgresql":
        _pg_restore(path, replace=bool(existing))
    else:
        _sqlite_restore(path)
    return Outcome(kind, database_name(), path, table_count(), path.stat().st_size)
