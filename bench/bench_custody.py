"""Benchmark: the custody funnel page, its CSV and the custody record list, as a ratio of
the floor.

Usage (from the repository root, after `make venv`):

    .venv/bin/python bench/bench_custody.py        # SQLite file in a temp directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pontio_bench \
        .venv/bin/python bench/bench_custody.py    # an EMPTY PostgreSQL database

Generates BENCH_CUSTODY custody records (5,000 unless told) with the funnel tests'
generator (bulk inserts: offences, tests, assessments, events, breach tasks, referrals),
then times signed-in GET requests through the whole Django stack (middleware, session,
two-factor check, templates) with the test client. "The floor" is the cheapest signed-in
page (/accessibility/: the base template and navigation, no query of its own): each page's
throughput is printed in requests per second and as a fraction of the floor's, so the
figures compare across machines. Timings live here, never in tests.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ["PONTIO_ENV"] = "test"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.test_settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_CUSTODY", "5000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))


def rate(client: Client, url: str) -> float:
    """Requests per second over about SECONDS (after one warm-up request)."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        client.get(url)
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from tests.conftest import demo_sign_in

    from pontio.accounts.demo import seed_accounts
    from pontio.accounts.models import User
    from pontio.custody.tests import funnel_data
    from pontio.directory.demo import seed_directory
    from pontio.referrals.tests.helpers import make_person, refer

    seed_accounts()
    seed_directory()
    person = make_person()
    template = refer(User.objects.get(username="officer"), person, pathway="custody")
    start = time.perf_counter()
    funnel_data.build(
        N, person=person, actor=User.objects.get(username="custody.sergeant"), template=template
    )
    print(
        f"database: {connection.vendor}; custody records: {N} "
        f"(generated in {time.perf_counter() - start:.1f} s)"
    )
    sergeant = demo_sign_in("custody.sergeant")  # Carmarthenshire and Pembrokeshire
    analyst = demo_sign_in("analyst")  # the whole force, suppressed
    floor = rate(sergeant, "/accessibility/")
    print(f"floor (/accessibility/): {floor:,.1f} requests/s")
    period = "?date_from=2000-01-01&date_to=2099-12-31"
    for label, client, url in (
        ("funnel, sergeant (exact, links)", sergeant, "/custody/funnel/"),
        ("funnel, sergeant, 100 years", sergeant, f"/custody/funnel/{period}"),
        ("funnel, analyst (suppressed)", analyst, "/custody/funnel/"),
        ("funnel CSV, analyst", analyst, "/custody/funnel.csv"),
        ("records behind a step", sergeant, "/custody/funnel/records/?step=positive"),
        ("custody list, sergeant", sergeant, "/custody/"),
    ):
        value = rate(client, url)
        print(f"{label}: {value:,.1f} requests/s ({value / floor:.2f} of the floor)")


if __name__ == "__main__":
    main()
