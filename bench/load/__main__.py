"""bench/run: throughput and latency of the key pages under the production set-up.

    bench/run [--size tiny|force|full] [--database URL] [--seconds 10] [--users 1,10,50]

It uses the data set of ``bench/generate`` (generating it first when the database does not
exist), starts gunicorn and the task worker with production settings, signs the demo users
in through the sign-in pages, and loads each page of ``bench/load/pages.py`` with wrk at each
number of concurrent users. In the same run it measures the two floors (``/health/`` and a
signed-in page with the base layout and no data), the writes made by read-only requests,
the figure queries against hand-written SQL and the police.uk import against COPY. Ratios
are printed and everything goes to bench/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import pages as page_list  # noqa: E402
from bench.load.loadtool import run_wrk  # noqa: E402
from bench.load.server import manage, production_server  # noqa: E402
from bench.load.signin import Browser, sign_in  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="force", choices=("tiny", "force", "full"))
    parser.add_argument("--database", help="PostgreSQL URL (default: pontio_bench_<size>)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and user count")
    parser.add_argument("--users", default="1,10,50", help="concurrent users, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--pages",
        default="",
        help="only pages whose name contains this (or one of these, comma-separated)",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("PONTIO_BENCH_REDIS", "redis://127.0.0.1:6379/13"),
        help="the figures cache the web processes and the worker share (empty: per process)",
    )
    parser.add_argument("--skip-figures", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--generate", action="store_true", help="generate the data set first, even if it exists"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    return parser.parse_args(argv)


def database_exists(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def writes_so_far(url: str) -> int:
    """Rows inserted, updated or deleted in the database so far (the statistics collector)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def resolve(page: page_list.Page, browser: Browser | None) -> str:
    if not page.discover:
        return page.path
    assert browser is not None
    status, _, text = browser.request("GET", page.discover)
    found = re.search(page.pattern, text)
    if status != 200 or not found:
        raise RuntimeError(f"{page.name}: no link matching {page.pattern} on {page.discover}")
    return found.group(1)


def people_in_scope(browser: Browser) -> str:
    status, _, text = browser.request("GET", "/api/v1/people/")
    if status != 200:
        raise RuntimeError(f"people API answered {status}")
    ids = [str(item["id"]) for item in json.loads(text)["results"]]
    if not ids:
        raise RuntimeError("the officer sees nobody to refer")
    return ",".join(ids)


def check_once(browser: Browser | None, page: page_list.Page, path: str, port: int) -> None:
    """One request before the load: a page that redirects or fails is not measured."""
    client = browser or Browser(port, "")
    if page.method == "POST":
        return
    status, headers, _ = client.request("GET", path)
    if status != 200:
        raise RuntimeError(f"{page.name}: {path} answered {status} {headers.get('location', '')}")


def measure_pages(args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    users = [int(u) for u in args.users.split(",") if u.strip()]
    wanted = [part.strip() for part in args.pages.lower().split(",")]
    selected = [p for p in page_list.PAGES if any(w in p.name.lower() for w in wanted)]
    results: dict[str, Any] = {"floors": {}, "pages": {}}
    warmed: dict[str, float] = {}
    shared = {"PONTIO_REDIS_URL": args.redis} if args.redis else {}
    if args.redis:
        flush_redis(args.redis)
    with production_server(database_url, workers=args.workers, extra_env=shared) as server:
        browsers: dict[str, Browser] = {}
        for page in [*page_list.FLOORS, *selected]:
            if page.user and page.user not in browsers:
                browsers[page.user] = sign_in(server.port, server.origin, page.user)
        for group, pages in (("floors", page_list.FLOORS), ("pages", selected)):
            for page in pages:
                browser = browsers.get(page.user)
                path = resolve(page, browser)
                if page.warm:
                    began = time.monotonic()
                    manage(server.env, "warm_figures")
                    warmed[page.name] = round(time.monotonic() - began, 1)
                    print(f"  {page.name}: built ahead in {warmed[page.name]} s", flush=True)
                check_once(browser, page, path, server.port)
                persons = people_in_scope(browser) if page.method == "POST" and browser else ""
                before = writes_so_far(database_url)
                runs = []
                for count in users:
                    measure = run_wrk(
                        server.base + path,
                        users=count,
                        seconds=args.seconds,
                        cookie=browser.cookie_header() if browser else "",
                        method=page.method,
                        body=page.body,
                        csrf=browser.cookies.get("csrftoken", "") if browser else "",
                        origin=server.origin,
                        persons=persons,
                    )
                    runs.append(measure.as_dict())
                    # Let the workers finish what the load left queued before going on.
                    time.sleep(min(30.0, measure.p99_ms / 1000 * 2))
                    print(
                        f"  {page.name:<36} {count:>3} users {measure.rps:>8.1f} req/s  "
                        f"p50 {measure.p50_ms:>7.1f}  p95 {measure.p95_ms:>7.1f}  "
                        f"p99 {measure.p99_ms:>7.1f} ms  not ok {measure.not_ok}",
                        flush=True,
                    )
                time.sleep(1.2)  # the statistics are flushed about once a second
                total = sum(r["requests"] for r in runs)
                writes = writes_so_far(database_url) - before
                results[group][page.name] = {
                    "path": re.sub(r"/\d+/", "/<id>/", path),
                    "method": page.method,
                    "user": page.user,
                    "runs": runs,
                    "rows_written_per_request": round(writes / total, 3) if total else None,
                }
                if page.name in warmed:
                    results[group][page.name]["built_ahead_seconds"] = warmed[page.name]
    return results


def flush_redis(url: str) -> None:
    """Start from an empty figures cache: nothing a previous run built is measured."""
    import redis

    redis.Redis.from_url(url).flushdb()


def add_ratios(results: dict[str, Any]) -> None:
    floors = results["floors"]
    signed_in = floors.get("signed-in base layout (floor)", {}).get("runs", [])
    health = floors.get("health (floor)", {}).get("runs", [])
    for entry in results["pages"].values():
        for run in entry["runs"]:
            for name, base in (("of_signed_in_floor", signed_in), ("of_health_floor", health)):
                match = next((b for b in base if b["users"] == run["users"]), None)
                if match and match["rps"]:
                    run[name] = round(run["rps"] / match["rps"], 3)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pg = subprocess.run(
            ["psql", f"{PG_SERVER}/postgres", "-Atc", "SHOW server_version"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        pg = ""
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": pg,
    }


def print_summary(results: dict[str, Any]) -> None:
    print("\nRatios to the signed-in floor (throughput), by concurrent users:")
    for name, entry in results["pages"].items():
        parts = [
            f"{r['users']}: {r.get('of_signed_in_floor', 0):.2f} (p95 {r['p95_ms']:.0f} ms)"
            for r in entry["runs"]
        ]
        writes = entry["rows_written_per_request"]
        print(f"  {name:<36} " + ", ".join(parts) + f"; rows written/request {writes}")
    for key in ("figures", "import"):
        if key in results:
            print(f"\n{key}: {json.dumps(results[key], indent=1)}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = args.database or f"{PG_SERVER}/pontio_bench_{args.size}"
    if args.generate or not database_exists(database_url):
        print(f"Generating the {args.size} data set into {database_url} first.", flush=True)
        subprocess.run(
            [str(ROOT / "bench" / "generate"), "--size", args.size, "--database", database_url],
            check=True,
        )
    started = time.monotonic()
    results: dict[str, Any] = {"machine": machine(), "size": args.size, "seconds": args.seconds}
    print(f"Pages on {database_url} ({args.workers} gunicorn workers):", flush=True)
    results.update(measure_pages(args, database_url))
    add_ratios(results)
    if not args.skip_figures:
        from bench.load.figures import measure_figures

        results["figures"] = measure_figures(database_url)
    if not args.skip_import:
        from bench.bench_import import measure

        results["import"] = measure(database_url)
    results["took_seconds"] = round(time.monotonic() - started, 1)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print_summary(results)
    print(f"\nWritten to {args.out} in {results['took_seconds']} s")
    problems = failures(results)
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


def failures(results: dict[str, Any]) -> list[str]:
    """What makes the run fail: a request that was not answered with success, or a figure
    whose hand-written SQL gave a different number."""
    found = []
    for group in ("floors", "pages"):
        for name, entry in results[group].items():
            for run in entry["runs"]:
                if run["not_ok"] or run["socket_errors"] or not run["requests"]:
                    found.append(f"{name} at {run['users']} users: {run}")
    for name, entry in results.get("figures", {}).items():
        if isinstance(entry, dict) and not entry.get("same_numbers", True):
            found.append(f"figure {name}: the app and the SQL disagree")
    return found


if __name__ == "__main__":
    sys.exit(main())
