"""The production set-up of docs/operations.md, started for a bench run.

gunicorn and the task worker run with PONTIO_ENV=production against the bench database, as
behind the TLS proxy the README describes (the load tool sends X-Forwarded-Proto: https).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database_url: str, port: int, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PONTIO_", "DJANGO_", "DATABASE"))
    }
    env.update(
        PONTIO_ENV="production",
        SECRET_KEY="bench-only-" + "x" * 50,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        PONTIO_BASE_URL=f"https://127.0.0.1:{port}",
        PONTIO_TRUSTED_PROXIES="1",
        PONTIO_VAR_DIR=str(var_dir),
        PYTHONPATH=str(ROOT / "src"),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(VENV / "python"), str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@dataclass
class Server:
    port: int
    env: dict[str, str]
    web: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/", headers={"X-Forwarded-Proto": "https"}
    )
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /health/ in time")


@contextmanager
def production_server(
    database_url: str, *, workers: int = 2, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    """gunicorn (``workers`` processes) and ``manage.py db_worker``, stopped on exit."""
    port = free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="pontio-bench-var-"))
    env = production_env(database_url, port, var_dir, **(extra_env or {}))
    # A data set generated before the latest migrations (a new app's tables) is brought up
    # to date first: its pages are measured on the generated rows, with empty new tables.
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    log = (var_dir / "gunicorn.log").open("wb")
    web = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "pontio.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(VENV / "python"), str(ROOT / "manage.py"), "db_worker"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(port, web)
        yield Server(port, env, web, worker)
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        if web.returncode not in (0, -signal.SIGTERM, None):
            sys.stderr.write((var_dir / "gunicorn.log").read_text()[-3000:])
