"""bench/generate at the tiny size: every bulk table filled, the audit chain intact, foreign
keys whole, the same rows for the same seed, and the demo users' inboxes in scope.

PostgreSQL only (the generator writes with COPY into databases of its own); it makes two
throw-away databases, pontio_bench_test_<pid>_a and _b, and drops them at the end. The
first run on a machine also keeps a pontio_bench_template_<key> (migrated and seeded) that
later runs clone, so only the first run pays for ``migrate``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="bench/generate writes with PostgreSQL COPY: run with a PostgreSQL DATABASE_URL",
)
BULK = (
    "people_person", "people_address", "people_phone", "people_alias", "people_custodynumber",
    "stopsearch_stopsearch", "stopsearch_outcomeupdate", "stopsearch_importbatch",
    "custody_custodyrecord", "custody_recordoffence", "custody_drugtest", "referrals_referral",
    "referrals_referralevent", "referrals_appointment", "referrals_contactattempt",
    "referrals_referral_substances", "audit_auditevent",
)  # fmt: skip
# A sample of rows from each area, in a fixed order: the same seed must give the same text.
SAMPLE = """
SELECT md5(string_agg(row, '|' ORDER BY row)) FROM (
  SELECT concat_ws(',', id, given_name, family_name, date_of_birth, pnc_id, created_at) AS row
    FROM people_person WHERE id % 7 = 0
  UNION ALL
  SELECT concat_ws(',', id, reference, searched_at, object_of_search, current_outcome, county_id)
    FROM stopsearch_stopsearch WHERE id % 7 = 0
  UNION ALL
  SELECT concat_ws(',', id, custody_number, arrested_at, person_id, suite_id)
    FROM custody_custodyrecord WHERE id % 7 = 0
  UNION ALL
  SELECT concat_ws(',', id, reference, status, sent_at, person_id, service_id, referred_by_id)
    FROM referrals_referral
  UNION ALL
  SELECT concat_ws(',', sequence, object_type, object_id, occurred_at, actor_id)
    FROM audit_auditevent WHERE view_name = 'task:bench_generate' AND sequence % 5 = 0
) AS sample
"""
SCOPE = """
from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.referrals.models import Referral
for name in ("officer", "caseworker", "provider.manager"):
    user = User.objects.get(username=name)
    print("SCOPE", name, restrict(Referral.objects.all(), user, "view").count())
"""


def _url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "PONTIO_ENV": "test"}


def _generate(url: str, summary: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.gen", "--size", "tiny", "--seed", "7"]
    command += ["--database", url, "--summary", str(summary)]
    done = subprocess.run(command, cwd=ROOT, env=_env(url), capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(summary.read_text())


def _query(url: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def _manage(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
    )


def _orphans(url: str) -> dict[str, int]:
    """Rows of the bulk tables whose foreign key names no row (the load does not check them)."""
    keys = _query(
        url,
        "SELECT c.conrelid::regclass::text, a.attname"  # noqa: S608 - the constant table names
        ", c.confrelid::regclass::text, fa.attname "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 "
        f"AND c.conrelid::regclass::text IN ({', '.join(repr(t) for t in BULK)})",
    )
    found = {}
    for table, column, target, target_column in keys:
        (count,) = _query(
            url,
            f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
            f'(SELECT 1 FROM {target} f WHERE f."{target_column}" = t."{column}")',
        )[0]
        if count:
            found[f"{table}.{column}"] = int(count)  # type: ignore[call-overload]
    return found


def test_the_tiny_data_set(tmp_path: Path) -> None:
    """One test (so that pytest-xdist runs the two generations on one worker), in steps."""
    import psycopg

    first, second = (f"pontio_bench_test_{os.getpid()}_{x}" for x in ("a", "b"))
    try:
        summary = _generate(_url(first), tmp_path / "a.json")
        _generate(_url(second), tmp_path / "b.json")
        _every_bulk_table_has_rows(_url(first), summary)
        _the_audit_chain_verifies(_url(first))
        assert _orphans(_url(first)) == {}, "foreign keys that name no row"
        _the_same_seed_gives_the_same_rows(_url(first), _url(second))
        _the_demo_users_see_referrals_in_their_scope(_url(first))
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as conn:
            for name in (first, second):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _every_bulk_table_has_rows(url: str, summary: dict[str, object]) -> None:
    empty = [t for t in BULK if _query(url, f"SELECT count(*) FROM {t}")[0][0] == 0]  # noqa: S608
    assert empty == [], "empty tables"
    counts = summary["counts"]
    assert counts["people_person"] == 500  # type: ignore[index]
    assert set(summary["stages"]) >= {"people", "stopsearch", "custody", "referrals", "audit"}  # type: ignore[arg-type]


def _the_audit_chain_verifies(url: str) -> None:
    done = _manage(url, "audit_verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "intact" in done.stdout


def _the_same_seed_gives_the_same_rows(first: str, second: str) -> None:
    one, other = (_query(url, SAMPLE)[0][0] for url in (first, second))
    assert one is not None
    assert one == other, "the same seed gave different rows"


def _the_demo_users_see_referrals_in_their_scope(url: str) -> None:
    done = _manage(url, "shell", "-c", SCOPE)
    assert done.returncode == 0, done.stderr
    lines = [line.split()[1:] for line in done.stdout.split("\n") if line.startswith("SCOPE ")]
    seen = dict(lines)
    assert set(seen) == {"officer", "caseworker", "provider.manager"}, done.stdout
    assert all(int(count) > 0 for count in seen.values()), seen
