"""Benchmark: the police.uk stop-and-search import, in rows per second and as a ratio of a
plain PostgreSQL ``COPY`` of the same file.

Usage (from the repository root, after `make venv`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pontio_bench_import \
        .venv/bin/python bench/bench_import.py [--out results.json]
    .venv/bin/python bench/bench_import.py       # SQLite file in a temp directory (no COPY)

The database is migrated first (an empty one, or one this benchmark made before). The files:

- "metropolitan": a Metropolitan-sized month (15,521 rows, the size of the Metropolitan
  Police's December 2018 file) made deterministically by resampling the real rows of
  ../shared/data/policeuk/*-stop-and-search.csv (or the repository's copy of them) and
  moving their dates into December 2018; written to a temporary directory, never the repo;
- "real": every real stop-and-search file, one after the other.

For each it times the whole import (``policeuk.import_file``: decode, check every row,
write, audit), a re-import of the same file (every row already present), and, on
PostgreSQL, ``COPY ... FROM STDIN`` of the same bytes into a staging table of text columns
(the floor: no checks, no indexes). The import rows/s divided by the COPY rows/s is the
ratio issue 15 asks for (target: at least 0.25). ``measure(database_url)`` returns the
figures as a dict the lead's ``bench/run`` can merge; run as a script it prints them and
writes them as JSON. Timings live here, never in pass/fail tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "policeuk"
IN_REPO = ROOT / "src" / "pontio" / "stopsearch" / "tests" / "data" / "policeuk"
METROPOLITAN_ROWS = 15_521
METROPOLITAN_NAME = "2018-12-metropolitan-stop-and-search.csv"
REPEATS = int(os.environ.get("BENCH_IMPORT_REPEATS", "3"))
STAGING_COLUMNS = 15


def real_files() -> list[Path]:
    source = SHARED if SHARED.is_dir() else IN_REPO
    return sorted(source.glob("*-stop-and-search.csv"))


def metropolitan_file(directory: Path, rows: int = METROPOLITAN_ROWS, seed: int = 15) -> Path:
    """A month of ``rows`` searches resampled from the real files, dated December 2018.

    Each drawn row keeps every column but its date, which gets a day of December drawn from
    the same generator and the row's own time of day (or a drawn one for the legacy files
    that give only midnight), so the file passes the month rule and repeats rows about as
    often as the real files do.
    """
    rng = random.Random(seed)
    header = ""
    pool: list[list[str]] = []
    for path in real_files():
        lines = path.read_text("utf-8-sig").splitlines()
        header = lines[0]
        pool.extend(line.split(",", 2) for line in lines[1:] if line.strip())
    out = [header]
    for _ in range(rows):
        kind, date, rest = rng.choice(pool)
        clock = date[11:19]
        if clock == "00:00:00":
            clock = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        out.append(f"{kind},2018-12-{rng.randrange(1, 32):02d}T{clock}+00:00,{rest}")
    path = directory / METROPOLITAN_NAME
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["PONTIO_ENV"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.test_settings")
    for path in (ROOT / "src", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# The least PostgreSQL itself needs to store the rows in the real table: the staged text
# cast to the columns' types with no check at all, every index and constraint maintained.
WRITE_FLOOR = """
INSERT INTO stopsearch_stopsearch (
    version, created_at, updated_at, reference, source, force, search_type, searched_at,
    month, place, latitude, longitude, part_of_operation, operation_name,
    vehicle_registration, gender, age_range, self_defined_ethnicity,
    officer_defined_ethnicity, legislation, object_of_search, grounds, gowisely_given,
    removal_of_more_than_outer_clothing, body_worn_video, original_outcome, original_linked,
    current_outcome, current_linked, source_key, idempotency_key, found)
SELECT 1, now(), now(), 'BENCH-' || n, 'police_uk', 'bench', left(c0, 20), c1::timestamptz,
    date_trunc('month', c1::timestamptz)::date, '', nullif(c4, '')::numeric,
    nullif(c5, '')::numeric, coalesce(nullif(c2, '')::boolean, false), left(c3, 120), '',
    left(c6, 10), left(c7, 10), left(c8, 2), left(c9, 10), left(c10, 20), left(c11, 30), '',
    false, nullif(c14, '')::boolean, '', left(c12, 30), nullif(c13, '')::boolean,
    left(c12, 30), nullif(c13, '')::boolean, 'bench:' || h || ':' || n, '', ''
FROM (
    SELECT row_number() OVER () AS n, md5(s::text) AS h,
        coalesce(c0, '') AS c0, coalesce(c1, '') AS c1, coalesce(c2, '') AS c2, coalesce(c3, '')
        AS c3, coalesce(c4, '') AS c4, coalesce(c5, '') AS c5, coalesce(c6, '') AS c6,
        coalesce(c7, '') AS c7, coalesce(c8, '') AS c8, coalesce(c9, '') AS c9, coalesce(c10,
        '') AS c10, coalesce(c11, '') AS c11, coalesce(c12, '') AS c12, coalesce(c13, '') AS
        c13, coalesce(c14, '') AS c14
    FROM bench_staging s
) AS staged
"""


def _copy_seconds(database_url: str, data: bytes) -> tuple[float, float]:
    """(``COPY ... FROM STDIN`` of the file into a text staging table, the write floor)."""
    import psycopg

    body = data.removeprefix(b"\xef\xbb\xbf")
    columns = ", ".join(f"c{i} text" for i in range(STAGING_COLUMNS))
    with psycopg.connect(database_url) as conn:
        conn.execute(f"CREATE TEMPORARY TABLE bench_staging ({columns})")
        conn.commit()
        start = time.perf_counter()
        sql = "COPY bench_staging FROM STDIN (FORMAT csv, HEADER true)"
        with conn.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(body)
        conn.commit()
        copy_s = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute(WRITE_FLOOR)
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        floor_s = time.perf_counter() - start
        conn.rollback()
        return copy_s, floor_s


def _import_seconds(path: Path) -> tuple[float, float, Any]:
    """(first import, re-import) seconds of one file, its rows removed afterwards."""
    from pontio.stopsearch import policeuk
    from pontio.stopsearch.models import StopSearch

    data = path.read_bytes()
    start = time.perf_counter()
    batch = policeuk.import_file(path.name, data)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = policeuk.import_file(path.name, data)
    second = time.perf_counter() - start
    assert batch.state == "done" and batch.rejected == 0, (path.name, batch.errors[:3])
    assert again.imported == 0 and again.already_present == batch.imported, path.name
    StopSearch.objects.filter(batch__in=[batch, again]).delete()
    return first, second, batch


def _file_figures(database_url: str, paths: list[Path], postgres: bool) -> dict[str, Any]:
    rows = 0
    firsts: list[float] = []
    agains: list[float] = []
    copies: list[float] = []
    floors: list[float] = []
    for repeat in range(REPEATS):
        first_total = again_total = copy_total = floor_total = 0.0
        for path in paths:
            first, again, batch = _import_seconds(path)
            first_total += first
            again_total += again
            if repeat == 0:
                rows += batch.rows_read
            if postgres:
                copy_s, floor_s = _copy_seconds(database_url, path.read_bytes())
                copy_total += copy_s
                floor_total += floor_s
        firsts.append(first_total)
        agains.append(again_total)
        copies.append(copy_total)
        floors.append(floor_total)
    figures: dict[str, Any] = {
        "files": len(paths),
        "rows": rows,
        "import_seconds": round(statistics.median(firsts), 4),
        "import_rows_per_s": round(rows / statistics.median(firsts)),
        "reimport_rows_per_s": round(rows / statistics.median(agains)),
    }
    if postgres:
        copy_s = statistics.median(copies)
        figures["copy_seconds"] = round(copy_s, 4)
        figures["copy_rows_per_s"] = round(rows / copy_s)
        figures["ratio_to_copy"] = round(
            figures["import_rows_per_s"] / figures["copy_rows_per_s"], 3
        )
        floor_s = statistics.median(floors)
        figures["write_floor_rows_per_s"] = round(rows / floor_s)
        figures["ratio_to_write_floor"] = round(
            figures["import_rows_per_s"] / figures["write_floor_rows_per_s"], 3
        )
    return figures


def measure(database_url: str) -> dict[str, Any]:
    """The import's figures on ``database_url`` (migrated here), as a JSON-ready dict."""
    _setup_django(database_url)
    from django.db import connection

    from pontio.stopsearch.models import StopSearch

    postgres = connection.vendor == "postgresql"
    StopSearch.objects.filter(source="police_uk").delete()
    with tempfile.TemporaryDirectory() as directory:
        metropolitan = metropolitan_file(Path(directory))
        result = {
            "database": connection.vendor,
            "repeats": REPEATS,
            "metropolitan": _file_figures(database_url, [metropolitan], postgres),
            "real": _file_figures(database_url, real_files(), postgres),
        }
    return {"import_policeuk": result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    result = measure(url)
    for name, figures in result["import_policeuk"].items():
        if isinstance(figures, dict):
            line = (
                f"{name}: {figures['rows']} rows in {figures['files']} file(s); "
                f"import {figures['import_rows_per_s']} rows/s, "
                f"re-import {figures['reimport_rows_per_s']} rows/s"
            )
            if "copy_rows_per_s" in figures:
                line += (
                    f"; COPY {figures['copy_rows_per_s']} rows/s (ratio "
                    f"{figures['ratio_to_copy']}); write floor "
                    f"{figures['write_floor_rows_per_s']} rows/s (ratio "
                    f"{figures['ratio_to_write_floor']})"
                )
            print(line)
    out = args.out or Path(tempfile.gettempdir()) / "bench_import.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
