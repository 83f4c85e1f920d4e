"""Benchmark: referral create, provider work and inbox, and the police.uk import.

Usage (from the repository root, after `make venv`):

    .venv/bin/python bench/bench_referrals.py        # SQLite file in a temp directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pontio_bench \
        .venv/bin/python bench/bench_referrals.py    # an EMPTY PostgreSQL database

Prints: referrals created per second through the service (routing, contact check, event,
audit and notifications in one transaction each), a full provider loop per second, the
inbox query time with its breach filter over all referrals, and rows per second when every
police.uk sample file in the repository is imported. Timings live here, never in tests.
"""

from __future__ import annotations

import datetime as dt
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

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from pontio.accounts.demo import seed_accounts  # noqa: E402
from pontio.accounts.models import User  # noqa: E402
from pontio.audit.services import AuditContext  # noqa: E402
from pontio.directory.demo import seed_directory  # noqa: E402
from pontio.people.models import Address, Person  # noqa: E402
from pontio.referrals import selectors, services  # noqa: E402
from pontio.referrals.contact import ContactRoute  # noqa: E402
from pontio.referrals.models import Referral, Status  # noqa: E402
from pontio.stopsearch import policeuk  # noqa: E402

N = int(os.environ.get("BENCH_REFERRALS", "300"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))


def rate(client: object, url: str) -> float:
    """Signed-in requests per second over about SECONDS (after one warm-up request)."""
    first = client.get(url)  # type: ignore[attr-defined]
    assert first.status_code == 200, (url, first.status_code)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        client.get(url)  # type: ignore[attr-defined]
        count += 1
    return count / (time.perf_counter() - start)


def page_rates(referral_pk: int) -> None:
    """The daily-work pages as a fraction of the floor (the cheapest signed-in page)."""
    from django.test.utils import setup_test_environment
    from tests.conftest import demo_sign_in

    setup_test_environment()
    caseworker, manager, officer = (
        demo_sign_in(name) for name in ("caseworker", "provider.manager", "officer")
    )
    floor = rate(caseworker, "/accessibility/")
    print(f"floor (/accessibility/): {floor:,.1f} requests/s")
    for label, client, url in (
        ("caseworker inbox", caseworker, "/referrals/"),
        ("manager caseload, unassigned tab", manager, "/referrals/caseload/?tab=unassigned"),
        ("caseworker caseload, my cases", caseworker, "/referrals/caseload/"),
        ("caseworker work due", caseworker, "/referrals/due/"),
        ("officer work due", officer, "/referrals/due/"),
        ("officer drafts", officer, "/referrals/drafts/"),
        ("manager transfers", manager, "/referrals/transfers/"),
        (
            "referral page, provider (notes, changelog, transfers)",
            manager,
            f"/referrals/{referral_pk}/",
        ),
        ("referral page, police", officer, f"/referrals/{referral_pk}/"),
    ):
        value = rate(client, url)
        print(f"{label}: {value:,.1f} requests/s ({value / floor:.2f} of the floor)")


CONTEXT = AuditContext.system("bench")
POLICEUK = ROOT / "src/pontio/stopsearch/tests/data/policeuk"


def main() -> None:
    call_command("migrate", verbosity=0)
    seed_accounts()
    seed_directory()
    officer = User.objects.get(username="officer")
    caseworker = User.objects.get(username="caseworker")
    from pontio.core.models import County
    from pontio.directory.models import Substance

    carms = County.objects.get(ons_code="W06000010")
    cocaine = Substance.objects.get(code="cocaine")
    people = []
    for i in range(N):
        person = Person.objects.create(
            given_name=f"Bench{i}", family_name="Person", date_of_birth=dt.date(1990, 1, 1)
        )
        Address.objects.create(
            person=person,
            line_1="1 Stryd",
            town="Llanelli",
            county=carms,
            postcode="SA15 1AA",
            valid_from=dt.date(2020, 1, 1),
        )
        people.append(person)
    data = services.ReferralData(
        pathway="voluntary",
        reason="Benchmark referral",
        substances=(cocaine,),
        consent_given=True,
        contact=ContactRoute(phone="07700 900123", channels=["phone"]),
    )
    _options, proposed = services.service_options(people[0], data)
    assert proposed is not None
    service_id = proposed.service.pk
    start = time.perf_counter()
    for person in people:
        services.referral_create(
            context=CONTEXT, actor=officer, person_id=person.pk, data=data, service_id=service_id
        )
    create_s = time.perf_counter() - start

    loops = min(N, 100)
    start = time.perf_counter()
    for referral in Referral.objects.order_by("pk")[:loops]:
        referral = services.referral_transition(
            context=CONTEXT,
            actor=caseworker,
            referral_id=referral.pk,
            expected_version=referral.version,
            to_status=Status.ACCEPTED,
        )
        services.contact_attempt_add(
            context=CONTEXT,
            actor=caseworker,
            referral_id=referral.pk,
            at=timezone.now(),
            channel="phone",
            outcome="spoke",
        )
        # A planned completion needs its evidence: the assessment and the treatment start.
        for kind in ("assessment", "treatment_start"):
            services.clinical_record_add(
                context=CONTEXT,
                actor=caseworker,
                referral_id=referral.pk,
                kind=kind,
                on=timezone.localdate(),
            )
        services.top_record(
            context=CONTEXT,
            actor=caseworker,
            referral_id=referral.pk,
            stage="start",
            interview_date=timezone.localdate(),
            main_substance="cocaine",
            values={"cocaine_days": 10},
        )
        referral.refresh_from_db()
        services.referral_transition(
            context=CONTEXT,
            actor=caseworker,
            referral_id=referral.pk,
            expected_version=referral.version,
            to_status=Status.COMPLETED,
            code="CLO_PLANNED_COMPLETE",
        )
    loop_s = time.perf_counter() - start

    start = time.perf_counter()
    found = selectors.inbox(caseworker)
    rows = len(list(found.rows[:25])) + 0 * sum(found.counts.values())  # counts are on the page
    inbox_ms = (time.perf_counter() - start) * 1000

    from pontio.referrals.dashboard import provider_panel

    start = time.perf_counter()
    provider_panel(caseworker)  # four counts through the inbox's FilterSet
    panel_ms = (time.perf_counter() - start) * 1000

    from pontio.referrals import caseload

    manager = User.objects.get(username="provider.manager")
    start = time.perf_counter()
    tabs = caseload.caseload(manager, "unassigned")  # every tab's count in one query
    first = len(list(tabs.rows[:25]))
    caseload_ms = (time.perf_counter() - start) * 1000

    files = sorted(POLICEUK.glob("*.csv"))
    start = time.perf_counter()
    read = 0
    for path in files:
        batch = policeuk.import_file(path.name, path.read_bytes())
        read += batch.rows_read
    import_s = time.perf_counter() - start

    engine = django.db.connection.vendor
    print(f"database: {engine}")
    print(f"referral create: {N / create_s:.1f}/s ({create_s / N * 1000:.1f} ms each, N={N})")
    print(
        "provider loop (accept, contact, assessment, treatment start, TOP, close): "
        f"{loops / loop_s:.1f}/s"
    )
    print(f"caseworker inbox with status counts, first page of {rows}: {inbox_ms:.1f} ms")
    print(f"caseworker home panel (four inbox counts): {panel_ms:.1f} ms")
    print(f"manager caseload, four tab counts and first {first} unassigned: {caseload_ms:.1f} ms")
    print(f"police.uk import, {len(files)} files, {read} rows: {read / import_s:.0f} rows/s")
    page_rates(Referral.objects.filter(referred_by__username="officer").order_by("-pk")[0].pk)


if __name__ == "__main__":
    main()
