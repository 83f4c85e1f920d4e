"""A private PostgreSQL cluster and a production gunicorn on it, to be killed at will.

Used by tests/durability (CI, a few cycles) and bench/durability.py (20 cycles). Nothing
here touches the shared server at 5432: the cluster is initdb'd into a temporary folder
and listens on a free port, with its socket in that folder too.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SECRET_KEY = "durability-test-secret-key-not-for-production-0123456789abcdefghij"


def pg_bin_dir() -> Path | None:
    """The newest PostgreSQL server binaries (Debian's layout), or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def why_not_runnable(*, in_pytest: bool = True) -> str | None:
    """The reason the kill tests cannot run here, or None when they can. In pytest they run
    in the PostgreSQL stage only (the SQLite stage would run them a second time)."""
    url = os.environ.get("DATABASE_URL", "")
    if in_pytest and not url.startswith(("postgres://", "postgresql://")):
        return "durability tests run once, in the PostgreSQL stage (DATABASE_URL is not postgres)"
    if pg_bin_dir() is None:
        return "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no postgres user to run the cluster as"
    if not (VENV_BIN / "gunicorn").exists():
        return "gunicorn is not installed in the virtualenv"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a child: ours without pytest's Django settings and database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"} and not k.startswith("PONTIO_")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    env.update(extra)
    return env


@dataclass
class Cluster:
    """A throw-away PostgreSQL cluster run as the postgres OS user (PostgreSQL refuses root)."""

    base: Path
    port: int = field(default_factory=free_port)
    bin: Path = field(default_factory=lambda: pg_bin_dir() or Path("/nonexistent"))

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/pontio"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(  # noqa: S603  (our own arguments)
            command, capture_output=True, text=True, timeout=120
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done

    def create(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.base}'",
            "max_connections": "40",
            "shared_buffers": "32MB",
            "logging_collector": "off",
            # Off while the schema and the world are loaded (much faster), on again before
            # any kill: see durable().
            "fsync": "off",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
        self.start()
        self.sql("postgres", "CREATE DATABASE pontio")

    def durable(self) -> None:
        """fsync on, as in production, from here on (before the first kill)."""
        self.sql("postgres", "ALTER SYSTEM SET fsync = on")
        self.sql("postgres", "SELECT pg_reload_conf()")
        self.sql("postgres", "CHECKPOINT")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-w", "start")

    def crash(self) -> None:
        """Stop at once, as a crash would: no checkpoint, recovery from the WAL at start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def sql(self, database: str, statement: str) -> str:
        done = self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-AtX", "-c", statement,
        )  # fmt: skip
        return done.stdout.strip()


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return done.stdout


def world(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.durability.world", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"world {args[0]} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@dataclass
class WebServer:
    """gunicorn as in docs/operations.md, with PONTIO_ENV=production over plain http on
    localhost (secure cookies and the https redirect off, as behind no proxy)."""

    base: Path
    database_url: str
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return clean_env(
            PONTIO_ENV="production",
            SECRET_KEY=SECRET_KEY,
            DATABASE_URL=self.database_url,
            ALLOWED_HOSTS="127.0.0.1",
            PONTIO_SECURE_COOKIES="0",
            PONTIO_SSL_REDIRECT="0",
            PONTIO_VAR_DIR=str(self.base / "var"),
            LOG_LEVEL="WARNING",
        )

    def start(self, wait: float = 60) -> None:
        (self.base / "var" / "static").mkdir(parents=True, exist_ok=True)
        log = (self.base / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "gunicorn"), "pontio.wsgi",
                "--workers", str(self.workers),
                "--bind", f"127.0.0.1:{self.port}",
                "--timeout", "20", "--graceful-timeout", "5",
                "--no-control-socket",  # its default path is shared by every gunicorn
            ],
            cwd=ROOT, env=self.env(), stdout=log, stderr=log,
            start_new_session=True,  # its own process group: killed as one
        )  # fmt: skip
        log.close()
        self.wait_until_serving(wait)

    def wait_until_serving(self, wait: float = 60) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/health/", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not serve within {wait} s: {self.log_tail()}")

    def log_tail(self) -> str:
        path = self.base / "gunicorn.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
        return pids

    def kill_worker(self) -> int | None:
        pids = self.worker_pids()
        if not pids:
            return None
        os.kill(pids[0], signal.SIGKILL)  # the master notices and starts another
        return pids[0]

    def kill(self) -> None:
        """SIGKILL the master and its workers at once (no graceful anything)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        # Workers orphaned by a dead master notice within a second; wait for the port.
        deadline = time.monotonic() + 10
        while self._group_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.process = None

    def _group_alive(self) -> bool:
        """Whether a process of the server's group still runs (zombies do not count: in a
        container without an init that reaps them, dead workers stay listed)."""
        assert self.process is not None
        group = self.process.pid
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] not in {"Z", "X"}:
                return True
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.process = None


@dataclass
class Stack:
    """Cluster, migrated and seeded database, web server and signed-in sessions."""

    base: Path
    cluster: Cluster
    web: WebServer
    people: list[int]
    sessions: dict[str, str]

    @classmethod
    def up(
        cls,
        usernames: tuple[str, ...] = ("officer",),
        people: int = 3,
        copy_from: str | None = None,
    ) -> Stack:
        """Everything started. ``copy_from``: the URL of a migrated database holding the
        test world (pytest's own test database), copied in with ``manage.py backup`` and
        ``restore``, which is much quicker than migrating; otherwise migrate and seed."""
        base = Path(tempfile.mkdtemp(prefix="pontio-durability-"))
        base.chmod(0o711)  # the postgres user must reach its folder inside
        cluster = Cluster(base / "pg")
        try:
            cluster.create()
            seed_env = clean_env(
                PONTIO_ENV="test",
                DJANGO_SETTINGS_MODULE="pontio.settings",
                SECRET_KEY=SECRET_KEY,
                DATABASE_URL=cluster.url,
                PONTIO_VAR_DIR=str(base / "var"),
            )
            users = ["--people", str(people), "--users", ",".join(usernames)]
            if copy_from:
                dump = base / "world.dump"
                manage({**seed_env, "DATABASE_URL": copy_from}, "backup", str(dump))
                manage(seed_env, "restore", str(dump))
                seeded = world(seed_env, "seed", "--no-world", *users)
            else:
                manage(seed_env, "migrate", "--no-input", "-v", "0")
                seeded = world(seed_env, "seed", *users)
            cluster.durable()
            web = WebServer(base, cluster.url)
            web.start()
        except BaseException:
            cluster.stop()
            shutil.rmtree(base, ignore_errors=True)
            raise
        return cls(base, cluster, web, seeded["people"], seeded["sessions"])

    def check_env(self) -> dict[str, str]:
        return clean_env(
            PONTIO_ENV="test",
            DJANGO_SETTINGS_MODULE="pontio.settings",
            SECRET_KEY=SECRET_KEY,
            DATABASE_URL=self.cluster.url,
            PONTIO_VAR_DIR=str(self.base / "var"),
        )

    def check(self, acks: dict[str, Any]) -> dict[str, Any]:
        path = self.base / "acks.json"
        path.write_text(json.dumps(acks))
        return world(self.check_env(), "check", str(path))

    def down(self) -> None:
        self.web.kill()  # nothing to finish: the results are checked already
        self.cluster.stop()
        shutil.rmtree(self.base, ignore_errors=True)
