"""bench/generate --size tiny|force|full [--database URL] [--seed N] [--force]

Drops and re-creates the target database, migrates it, seeds the demo accounts and
directory through the app's own functions (or clones a template database that already
holds exactly that), then writes the bulk tables with COPY, fixes the
id sequences and runs ANALYZE. Prints counts and seconds per stage and writes
bench/gen-summary.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/pontio_bench"
SUMMARY = ROOT / "bench" / "gen-summary.json"
# Bulk tables: empty before the load, their sequences moved past the loaded ids after it.
BULK_TABLES = (
    "people_person", "people_address", "people_phone", "people_alias", "people_custodynumber",
    "stopsearch_stopsearch", "stopsearch_outcomeupdate", "stopsearch_importbatch",
    "custody_custodyrecord", "custody_recordoffence", "custody_drugtest",
    "referrals_referral", "referrals_referralevent", "referrals_appointment",
    "referrals_contactattempt", "referrals_referral_substances",
)  # fmt: skip


def parse_args(argv: list[str]) -> argparse.Namespace:
    from bench.gen.sizes import SIZES

    parser = argparse.ArgumentParser(prog="bench/generate", description=__doc__.split("\n")[2])
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--force", action="store_true", help="allow a database not named pontio_bench*"
    )
    parser.add_argument("--summary", type=Path, default=SUMMARY)
    parser.add_argument(
        "--no-template",
        action="store_true",
        help="always migrate and seed (by default the migrated and seeded database is kept "
        "as pontio_bench_template_<key> and later runs clone it)",
    )
    parser.add_argument(
        "--keep-indexes", action="store_true", help="load with every index in place (slower)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="areas (searches, custody, referrals) generated side by side in forked processes; "
        "pays only on an idle machine with spare cores",
    )
    return parser.parse_args(argv)


def template_key(national: bool, seed: int) -> str:
    """What a migrated and seeded database depends on: the migrations, the locked packages,
    the seeding code, and the size's national flag and the seed (the national extras)."""
    digest = hashlib.sha256(f"{national}:{seed}".encode())
    src = ROOT / "src" / "pontio"
    files = [
        *src.glob("*/migrations/*.py"),
        *ROOT.glob("requirements/*.txt"),
        *src.glob("*/demo.py"),
        ROOT / "bench" / "gen" / "world.py",
    ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def recreate_database(url: str, allow_any: bool, template: str | None) -> bool:
    """Drop and create the target; True if it was cloned from an already migrated template."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("pontio_bench") and not allow_any:
        raise SystemExit(f"Refusing to drop {name!r}: name it pontio_bench... or pass --force.")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        target = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(target))
        if template:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,))
            if exists.fetchone():
                try:
                    conn.execute(
                        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                            target, sql.Identifier(template)
                        )
                    )
                    return True
                except psycopg.errors.ObjectInUse:
                    pass  # another run is cloning it right now: migrate instead
        conn.execute(sql.SQL("CREATE DATABASE {}").format(target))
    return False


def save_template(url: str, template: str) -> None:
    """Keep the freshly migrated database as a template: later runs skip ``migrate``."""
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    # Made by a run at the same time, or the target is busy: then simply no template.
    busy = (psycopg.errors.DuplicateDatabase, psycopg.errors.ObjectInUse)
    with psycopg.connect(_admin_url(url), autocommit=True) as conn, contextlib.suppress(*busy):
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(template), sql.Identifier(name)
            )
        )


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = url
    # Demo settings: the demo seeding functions refuse to run in production.
    os.environ.setdefault("PONTIO_ENV", "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.settings")
    import django

    django.setup()


def fix_sequences_and_analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table in (*BULK_TABLES, "audit_auditevent"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
            )
        conn.execute("ANALYZE")


def check_empty(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        for table in BULK_TABLES:
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            if row and row[0]:
                raise SystemExit(f"{table} is not empty after seeding: the ids would clash.")


# What the forked area workers read (fork shares it copy-on-write: no pickling of millions).
_SHARED: dict[str, Any] = {}


def _area(name: str) -> tuple[str, float, dict[str, int]]:
    from bench.gen import custody, referrals, stopsearch

    generate = {"stopsearch": stopsearch, "custody": custody, "referrals": referrals}[name]
    started = time.perf_counter()
    counts = generate.generate(
        _SHARED["url"],
        _SHARED["world"],
        _SHARED["people"],
        _SHARED["sizes"][name],
        # One generator per area, seeded from the seed: a change in one area leaves the
        # rows of the others as they were, and the areas can run side by side.
        random.Random(f"{_SHARED['seed']}:{name}"),
    )
    return name, round(time.perf_counter() - started, 2), counts


def _oversight() -> dict[str, int]:
    """The demo tracker, commissioning awards, providers' returns and police.uk crime counts
    (small tables: the facts and dashboards read the bulk rows generated above)."""
    from django.utils import timezone

    from pontio.oversight.demo import seed_tracker
    from pontio.oversight.demo_crime import seed_crime
    from pontio.oversight.demo_facts import seed_facts
    from pontio.oversight.models import CommissioningAward, CrimeCount, Recommendation

    today = timezone.localdate()
    seed_tracker(today)
    seed_facts(today=today)
    seed_crime(today=today)
    return {
        "oversight_recommendation": Recommendation.objects.count(),
        "oversight_commissioningaward": CommissioningAward.objects.count(),
        "oversight_crimecount": CrimeCount.objects.count(),
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.gen.sizes import SIZES

    size = SIZES[args.size]
    url = args.database
    stages: dict[str, float] = {}
    counts: dict[str, int] = {}

    def stage(name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        stages[name] = round(time.perf_counter() - started, 2)
        if isinstance(result, dict):
            counts.update(result)
        elif isinstance(result, tuple) and isinstance(result[-1], dict):
            counts.update(result[-1])
        print(f"{name:<12} {stages[name]:8.2f} s", flush=True)
        return result

    overall = time.perf_counter()
    key = template_key(size.national, args.seed)
    template = None if args.no_template else f"pontio_bench_template_{key}"
    cloned = stage("database", lambda: recreate_database(url, args.force, template))
    setup_django(url)
    from bench.gen import audit, indexes, people, world
    from django.core.management import call_command

    if cloned:
        print(f"(cloned from {template}: migrate and seed skipped)", flush=True)
    else:
        stage("migrate", lambda: call_command("migrate", verbosity=0))
        stage("seed", lambda: world.seed_small_tables(size.national, args.seed))
        if template:
            save_template(url, template)
    check_empty(url)
    rebuild: list[str] = []
    if not args.keep_indexes:
        rebuild = stage("drop-index", lambda: indexes.drop(url, (*BULK_TABLES, "audit_auditevent")))
    the_world = stage("world", lambda: world.load_world(size.national))
    persons, _ = stage(
        "people",
        lambda: people.generate(url, the_world, size.people, random.Random(f"{args.seed}:people")),
    )
    _SHARED.update(
        url=url,
        world=the_world,
        people=persons,
        seed=args.seed,
        sizes={"stopsearch": size.searches, "custody": size.custody, "referrals": size.referrals},
    )
    areas = ("stopsearch", "custody", "referrals")
    started = time.perf_counter()
    if args.jobs <= 1:
        results = [_area(name) for name in areas]
    else:
        with multiprocessing.get_context("fork").Pool(min(args.jobs, len(areas))) as pool:
            results = pool.map(_area, areas)
    for name, seconds, area_counts in results:
        stages[name] = seconds
        counts.update(area_counts)
        print(f"{name:<12} {seconds:8.2f} s", flush=True)
    stages["areas"] = round(time.perf_counter() - started, 2)
    print(f"{'areas':<12} {stages['areas']:8.2f} s", flush=True)
    stage("audit", lambda: audit.generate(url))
    stage("oversight", _oversight)
    if rebuild:
        stage("indexes", lambda: indexes.rebuild(url, rebuild))
    stage("analyze", lambda: fix_sequences_and_analyze(url))
    total = round(time.perf_counter() - overall, 2)
    print()
    for table, number in sorted(counts.items()):
        print(f"{table:<34} {number:>10,}")
    print(f"{'total rows':<34} {sum(counts.values()):>10,}   {total:.1f} s")
    summary = {
        "size": size.name,
        # Figures drift on a shared machine: keep how busy it was beside them.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "seed": args.seed,
        "database": urlsplit(url).path.lstrip("/"),
        "seconds": total,
        "stages": stages,
        "counts": dict(sorted(counts.items())),
    }
    args.summary.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
