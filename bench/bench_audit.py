"""Benchmark: audit-log append rate and chain verification rate.

Usage (from the repository root, after `make venv`):

    .venv/bin/python bench/bench_audit.py            # SQLite file in a temp directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pontio_bench \
        .venv/bin/python bench/bench_audit.py        # an EMPTY PostgreSQL database

Prints events per second for appends (each in its own transaction, as in a request) and
for verification. Timings live here, never in pass/fail tests.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["PONTIO_ENV"] = "test"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.test_settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from pontio.audit.chain import verify_chain  # noqa: E402
from pontio.audit.services import AuditContext, audit_record  # noqa: E402
from pontio.core.recording import AuditAction  # noqa: E402

N = int(os.environ.get("BENCH_EVENTS", "5000"))


def main() -> None:
    call_command("migrate", verbosity=0)
    context = AuditContext(actor_id=1, actor_organisation_id=1, ip_address="127.0.0.1")
    start = time.perf_counter()
    for i in range(N):
        audit_record(
            context=context,
            action=AuditAction.UPDATE if i % 4 == 0 else AuditAction.READ,
            object_type="people.person",
            object_id=str(i % 500),
            person_id=str(i % 500),
            before={"phone": "07700 900000"} if i % 4 == 0 else None,
            after={"phone": "07700 900123"} if i % 4 == 0 else None,
        )
    append_s = time.perf_counter() - start
    start = time.perf_counter()
    report = verify_chain()
    verify_s = time.perf_counter() - start
    assert report.intact and report.checked == N, report
    print(f"database: {connection.vendor}; events: {N}")
    print(f"append: {N / append_s:,.0f} events/s ({append_s * 1000 / N:.2f} ms each)")
    print(f"verify: {N / verify_s:,.0f} events/s ({verify_s:.2f} s in all)")


if __name__ == "__main__":
    main()
