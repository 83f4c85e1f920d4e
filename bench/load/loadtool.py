"""wrk, driven with request.lua, for one page at one concurrency."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("request.lua")


@dataclass(frozen=True)
class Measure:
    users: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    not_ok: int
    socket_errors: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    return found


def run_wrk(
    url: str,
    *,
    users: int,
    seconds: float,
    cookie: str = "",
    method: str = "GET",
    body: str = "",
    csrf: str = "",
    origin: str = "",
    persons: str = "",
) -> Measure:
    """``users`` connections (each a signed-in user's browser) for ``seconds``."""
    env = dict(
        os.environ,
        BENCH_COOKIE=cookie,
        BENCH_METHOD=method,
        BENCH_BODY=body,
        BENCH_CSRF=csrf,
        BENCH_ORIGIN=origin,
        BENCH_PERSONS=persons,
    )
    threads = max(1, min(users, 2))
    command = [
        wrk_path(),
        "-t",
        str(threads),
        "-c",
        str(users),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(SCRIPT),
        url,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    line = next(
        (x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")),
        None,
    )
    if line is None:
        raise RuntimeError(f"wrk printed no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    elapsed = raw["duration_us"] / 1e6
    return Measure(
        users=users,
        requests=raw["requests"],
        seconds=round(elapsed, 2),
        rps=round(raw["requests"] / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(raw["p50_us"] / 1000, 1),
        p95_ms=round(raw["p95_us"] / 1000, 1),
        p99_ms=round(raw["p99_us"] / 1000, 1),
        not_ok=raw["not_ok"],
        socket_errors=raw["socket_errors"],
    )
