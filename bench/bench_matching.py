"""Benchmark: person matching at national size (issue 13).

Usage (from the repository root, after `make venv`), on an EMPTY PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres pontio_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pontio_bench BENCH_PEOPLE=2000000 \
        .venv/bin/python bench/bench_matching.py

Migrates, generates BENCH_PEOPLE people (2,000,000 unless told; about 11 % more records,
the re-entered duplicates) with bench/match_eval.py's Welsh generator, in chunks of
BENCH_CHUNK people (200,000) with one seed each, and loads them with PostgreSQL COPY:
people (phonetic keys set as ``Person.save`` sets them), their addresses (the current one
first, previous ones closed with ``valid_to``), custody numbers and aliases. Then measures:

a. ``estimate_model`` (the system job that re-estimates the linkage model);
b. a de-duplication run (``start_deduplication`` + ``run_deduplication``) with its stats;
c. the online path: ``selectors.likely_matches`` for BENCH_QUERIES (300) re-entered records,
   as a force-wide officer, with the query's own row excluded: p50/p95/max, candidates
   retrieved, whether the true person was retrieved and ranked first;
d. signed-in page rates as a ratio of the floor (GET /accessibility/): the review queue and
   a group page (force-wide inspector), the matching model page (administrator).

Prints one markdown table. Constraints the generator does not know about are applied as the
application would: a PNC ID already held by an active record is left blank (the service
refuses a second), a custody number already held by the same person's other record is
dropped, one that collides by chance with another person's is drawn again. Peak RSS is
the process's high-water mark (``ru_maxrss``) when the stage ended. Timings live here,
never in tests.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["PONTIO_ENV"] = "test"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.test_settings")
if "DATABASE_URL" not in os.environ:
    sys.exit("Set DATABASE_URL to an empty PostgreSQL database (COPY needs PostgreSQL).")

import django  # noqa: E402

django.setup()

import match_eval  # noqa: E402
import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from pontio.core.postcodes import normalise_postcode  # noqa: E402
from pontio.people.linkage.features import Record  # noqa: E402
from pontio.people.linkage.normalise import normalise_pnc  # noqa: E402
from pontio.people.models import PNC_ID_RE, _phonetic, given_key, normalise_pnc_id  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000000"))
CHUNK = int(os.environ.get("BENCH_CHUNK", "200000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "300"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
#: Stage c stops after this many seconds (the queries made so far are reported).
QUERY_BUDGET = float(os.environ.get("BENCH_QUERY_BUDGET", "600"))
SEED = int(os.environ.get("BENCH_SEED", "13"))
#: BENCH_REUSE=1: the database already holds this bench's people (same BENCH_PEOPLE, CHUNK and
#: SEED): regenerate them in memory for the queries, skip the COPY, and start from stage a.
REUSE = os.environ.get("BENCH_REUSE", "") == "1"
#: A directory: profile stages a-c there with pyinstrument (sampling; installed separately,
#: e.g. ``pip install --target /tmp/pyinst pyinstrument`` and PYTHONPATH=/tmp/pyinst).
PROFILE = os.environ.get("BENCH_PROFILE", "")

# Outward code -> county (ONS code), approximately: for the county scopes of the addresses.
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
_COUNTY_OF_OUTWARD = {
    **dict.fromkeys(
        ["SA14", "SA15", "SA16", "SA17", "SA18", "SA19", "SA20", "SA31", "SA32", "SA33"], CARMS
    ),
    **dict.fromkeys(["SA34", "SA39", "SA40", "SA44"], CARMS),
    **dict.fromkeys(["SA38", "SA43", "SA45", "SA46", "SA47", "SA48"], CERED),
    **dict.fromkeys(["SY23", "SY24", "SY25"], CERED),
    **dict.fromkeys(["SA35", "SA41", "SA42", "SA61", "SA62", "SA63", "SA64", "SA65"], PEMBS),
    **dict.fromkeys(["SA66", "SA67", "SA68", "SA69", "SA70", "SA71", "SA72", "SA73"], PEMBS),
}

PERSON_COLUMNS = (
    "id, version, created_at, updated_at, given_name, family_name, date_of_birth, gender, "
    "self_defined_ethnicity, pnc_id, preferred_language, needs_interpreter, "
    "interpreter_language, family_name_key, given_name_key, is_active, "
    "created_by_organisation_id, merged_into_id"
)
ADDRESS_COLUMNS = (
    "person_id, recorded_at, line_1, line_2, town, postcode, valid_from, valid_to, county_id, "
    "recorded_by_id"
)
CUSTODY_COLUMNS = "person_id, recorded_at, number, recorded_by_id"
ALIAS_COLUMNS = (
    "person_id, recorded_at, given_name, family_name, family_name_key, given_name_key, "
    "recorded_by_id"
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def profiled(name: str) -> Iterator[None]:
    """Profile the block to BENCH_PROFILE/<name>.txt (a no-op unless BENCH_PROFILE is set)."""
    if not PROFILE:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.01)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        folder = Path(PROFILE)
        folder.mkdir(parents=True, exist_ok=True)
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def rate(client: Client, url: str) -> float:
    """Requests per second over about SECONDS (after one warm-up request)."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        client.get(url)
        count += 1
    return count / (time.perf_counter() - start)


class Table:
    """The markdown table printed at the end (rows are echoed as they come)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, stage: str, measure: str, value: str) -> None:
        self.rows.append((stage, measure, value))
        print(f"  {stage} | {measure}: {value}", flush=True)

    def render(self) -> str:
        lines = ["| stage | measure | value |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in self.rows]
        return "\n".join(lines)


@dataclasses.dataclass
class Loader:
    """Turns generated records into COPY rows, applying the database's constraints."""

    counties: dict[str, int]
    now: dt.datetime
    rng: random.Random
    next_pk: int = 1
    pnc_holder: dict[str, int] = dataclasses.field(default_factory=dict)  # canonical -> entity
    custody_holder: dict[str, int] = dataclasses.field(default_factory=dict)  # number -> entity
    counts: Counter[str] = dataclasses.field(default_factory=Counter)

    def _pnc(self, raw: str, entity: int) -> str:
        stored = normalise_pnc_id(raw)
        if stored and not PNC_ID_RE.match(stored):
            stored = normalise_pnc(raw)  # "2012/345678x" as the form would make it be typed
        if not stored or not PNC_ID_RE.match(stored) or len(stored) > 12:
            return ""
        canonical = normalise_pnc(stored)
        holder = self.pnc_holder.get(canonical)
        if holder is not None:
            self.counts["pnc_blank_same_person" if holder == entity else "pnc_blank_other"] += 1
            return ""
        self.pnc_holder[canonical] = entity
        return stored

    def _custody(self, numbers: tuple[str, ...], entity: int) -> tuple[str, ...]:
        out = []
        for number in numbers:
            holder = self.custody_holder.get(number)
            if holder == entity:
                self.counts["custody_dropped_same_person"] += 1
                continue
            while holder is not None:  # a chance collision of the generator: draw again
                self.counts["custody_redrawn"] += 1
                number = match_eval._custody_number(self.rng)
                holder = self.custody_holder.get(number)
            self.custody_holder[number] = entity
            out.append(number)
        return tuple(out)

    def rows(
        self, record: Record, entity: int
    ) -> tuple[int, tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], list, Record]:
        """(pk, person row, address rows, custody rows, alias rows, the record as queried)."""
        pk = self.next_pk
        self.next_pk += 1
        now = self.now
        person = (
            pk,
            1,
            now,
            now,
            record.given_name[:100],
            record.family_name[:100],
            record.date_of_birth,
            record.sex if record.sex in {"male", "female", "other"} else "not_stated",
            "NS",
            self._pnc(record.pnc_id, entity),
            "en",
            False,
            "",
            _phonetic(record.family_name)[:40],
            given_key(record.given_name),
            True,
            None,
            None,
        )
        addresses = []
        start = dt.date(2012, 1, 1) + dt.timedelta(days=self.rng.randrange(4700))
        for slot, (postcode, line_1, town) in enumerate(record.addresses):
            stored = normalise_postcode(postcode)[:8]
            valid_to = None
            if slot:
                valid_to = start
                start = valid_to - dt.timedelta(days=self.rng.randrange(365, 2900))
            county = self.counties.get(_COUNTY_OF_OUTWARD.get(stored.split(" ")[0], POWYS))
            addresses.append(
                (pk, now, line_1[:120], "", town[:60], stored, start, valid_to, county, None)
            )
        numbers = self._custody(record.custody_numbers, entity)
        # Read back newest (highest pk) first: insert the record's first number last.
        custody = [(pk, now, number, None) for number in reversed(numbers)]
        aliases = [
            (pk, now, "", family[:100], _phonetic(family)[:40], "", None)
            for family in record.previous_family_names
        ]
        if numbers != record.custody_numbers:
            record = dataclasses.replace(record, custody_numbers=numbers)
        return pk, person, addresses, custody, aliases, record


def copy_rows(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(out: Table) -> tuple[np.ndarray, list[tuple[int, int, Record]]]:
    """Generate and COPY the people; (entity of each person pk, the re-entered records as
    (pk, entity, record))."""
    from pontio.core.models import County

    connection.ensure_connection()
    loader = Loader(
        counties=dict(County.objects.values_list("ons_code", "pk")),
        now=timezone.now(),
        rng=random.Random(SEED),
    )
    entities: list[int] = [-1]  # index = pk; pk 0 is unused
    duplicates: list[tuple[int, int, Record]] = []
    generate_s = build_s = copy_s = 0.0
    entity_base = 0
    made = Counter[str]()
    for k, first in enumerate(range(0, PEOPLE, CHUNK)):
        size = min(CHUNK, PEOPLE - first)
        start = time.perf_counter()
        ds = match_eval.generate(seed=SEED * 1000 + k, people=size)
        generate_s += time.perf_counter() - start
        start = time.perf_counter()
        people, addresses, custody, aliases = [], [], [], []
        for record, entity, tags in zip(ds.records, ds.entity.tolist(), ds.tags, strict=True):
            pk, person, a, c, al, stored = loader.rows(record, entity_base + entity)
            people.append(person)
            addresses += a
            custody += c
            aliases += al
            entities.append(entity_base + entity)
            if tags:
                duplicates.append((pk, entity_base + entity, stored))
        entity_base += int(ds.entity.max()) + 1
        made["records"] += len(people)
        made["addresses"] += len(addresses)
        made["custody numbers"] += len(custody)
        made["aliases"] += len(aliases)
        build_s += time.perf_counter() - start
        del ds
        start = time.perf_counter()
        if not REUSE:
            copy_rows("people_person", PERSON_COLUMNS, people)
            copy_rows("people_address", ADDRESS_COLUMNS, addresses)
            copy_rows("people_custodynumber", CUSTODY_COLUMNS, custody)
            copy_rows("people_alias", ALIAS_COLUMNS, aliases)
        copy_s += time.perf_counter() - start
        print(f"  chunk {k}: {made['records']:,} records loaded", flush=True)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_person', 'id'), "
            "(SELECT max(id) FROM people_person))"
        )
        for table in ("people_person", "people_address", "people_custodynumber", "people_alias"):
            cursor.execute(f"ANALYZE {table}")
    analyze_s = time.perf_counter() - start
    out.add("load", "people (entities) / records", f"{entity_base:,} / {made['records']:,}")
    out.add(
        "load",
        "addresses / custody numbers / aliases",
        f"{made['addresses']:,} / {made['custody numbers']:,} / {made['aliases']:,}",
    )
    out.add(
        "load",
        "constraints applied",
        ", ".join(f"{key} {value:,}" for key, value in sorted(loader.counts.items())) or "none",
    )
    out.add("load", "generate (match_eval.generate)", f"{generate_s:.1f} s")
    out.add("load", "rows built (keys, PNC and custody checks)", f"{build_s:.1f} s")
    out.add("load", "COPY (4 tables, indexes in place)", f"{copy_s:.1f} s")
    out.add("load", "ANALYZE", f"{analyze_s:.1f} s")
    return np.asarray(entities, dtype=np.int64), duplicates


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def online(
    out: Table, officer: Any, entities: np.ndarray, duplicates: list[tuple[int, int, Record]]
) -> None:
    """``likely_matches`` for re-entered records (their own row excluded)."""
    from pontio.people import selectors

    chosen = random.Random(SEED).sample(duplicates, min(QUERIES, len(duplicates)))
    captured: dict[str, Any] = {}
    original = selectors._candidates

    def spy(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        found = original(*args, **kwargs)  # runs the id query; the rows are read by the caller
        captured["retrieve"] = time.perf_counter() - start
        captured["people"] = found
        return found

    selectors._candidates = spy
    try:
        warm = chosen[0]
        selectors.likely_matches(officer, match_eval.identity_of(warm[2]), exclude=[warm[0]])
        times, retrieve, sizes = [], [], []
        top1 = retrieved = capped = capped_retrieved = offered = 0
        stage_start = time.perf_counter()
        for pk, entity, record in chosen:
            if time.perf_counter() - stage_start > QUERY_BUDGET:
                break
            identity = match_eval.identity_of(record)
            start = time.perf_counter()
            ranked = selectors.likely_matches(officer, identity, exclude=[pk])
            times.append((time.perf_counter() - start) * 1000)
            retrieve.append(captured["retrieve"] * 1000)
            people = captured["people"]._result_cache or []
            sizes.append(len(people))
            found = any(entities[p.pk] == entity for p in people)
            retrieved += found
            if len(people) >= selectors.MAX_CANDIDATES:
                capped += 1
                capped_retrieved += found
            top1 += bool(ranked) and entities[ranked[0][0].pk] == entity
            offered += any(m.likely for _p, m in ranked)
    finally:
        selectors._candidates = original
    n = len(times)
    if n < len(chosen):
        out.add(
            "c. likely_matches",
            "STOPPED at BENCH_QUERY_BUDGET",
            f"{n} of {len(chosen)} queries in {QUERY_BUDGET:.0f} s",
        )
    out.add(
        "c. likely_matches",
        f"{n} queries: p50 / p95 / max",
        f"{statistics.median(times):.0f} / {pct(times, 0.95):.0f} / {max(times):.0f} ms",
    )
    out.add(
        "c. likely_matches",
        "of which the candidate id query: p50 / p95 / max",
        f"{statistics.median(retrieve):.0f} / {pct(retrieve, 0.95):.0f} / {max(retrieve):.0f} ms",
    )
    out.add(
        "c. likely_matches",
        "candidates per query: mean / p50 / max",
        f"{statistics.mean(sizes):.0f} / {statistics.median(sizes):.0f} / {max(sizes)}",
    )
    out.add(
        "c. likely_matches",
        f"queries cut at MAX_CANDIDATES ({selectors.MAX_CANDIDATES})",
        f"{capped} ({capped / n:.0%})",
    )
    out.add(
        "c. likely_matches",
        "true person among the candidates: all / cut / not cut",
        f"{retrieved / n:.1%} / {capped_retrieved / max(capped, 1):.1%} / "
        f"{(retrieved - capped_retrieved) / max(n - capped, 1):.1%}",
    )
    out.add("c. likely_matches", "top-1 (true person ranked first)", f"{top1 / n:.1%}")
    out.add("c. likely_matches", "a likely (>= 0.9) offer made", f"{offered / n:.1%}")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench_matching needs PostgreSQL (COPY).")
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = Table()
    cores = os.cpu_count()
    print(f"BENCH_PEOPLE={PEOPLE:,}, {cores} cores, database {connection.settings_dict['NAME']}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    out.add("setup", "migrate", f"{time.perf_counter() - start:.1f} s")

    from tests.conftest import demo_sign_in, sign_in_client
    from tests.factories import PASSWORD, UserFactory

    from pontio.accounts.demo import seed_accounts
    from pontio.accounts.roles import Role
    from pontio.audit.services import AuditContext
    from pontio.people.models import DuplicateCluster, Person
    from pontio.people.services import linkage

    if REUSE:
        from pontio.people.models import DeduplicationRun

        # A run left open by an interrupted bench would refuse the next one.
        DeduplicationRun.objects.filter(status=DeduplicationRun.Status.RUNNING).delete()
    elif Person.objects.exists():
        sys.exit("The database already holds people: give bench_matching an empty database.")
    seed_accounts()
    start = time.perf_counter()
    entities, duplicates = load(out)
    out.add("load", "total", f"{time.perf_counter() - start:.1f} s")
    out.add("load", "peak RSS so far", f"{peak_rss_mb():,.0f} MB")

    context = AuditContext.system("bench")
    start = time.perf_counter()
    with profiled("a_estimate_model"):
        stored = linkage.estimate_model(context=context, actor=None)
    out.add("a. estimate_model", "wall time", f"{time.perf_counter() - start:.1f} s")
    evaluation = stored.evaluation
    out.add(
        "a. estimate_model",
        "records / prior / expected duplicate pairs",
        f"{stored.records:,} / {stored.parameters['prior']:.3g} / "
        f"{stored.parameters.get('diagnostics', {}).get('expected_duplicate_pairs', '?')}",
    )
    out.add(
        "a. estimate_model",
        "likely before / after / changed (sampled blocked pairs)",
        f"{evaluation['likely_before']:,} / {evaluation['likely_after']:,} / "
        f"{evaluation['changed']:,} of {evaluation['pairs']:,}",
    )
    out.add("a. estimate_model", "peak RSS so far", f"{peak_rss_mb():,.0f} MB")

    start = time.perf_counter()
    run = linkage.start_deduplication(context=context, actor=None)
    with profiled("b_run_deduplication"):
        run = linkage.run_deduplication(run.pk)
    wall = time.perf_counter() - start
    stats = run.stats
    out.add("b. de-duplication", "wall time (run.seconds)", f"{wall:.1f} s ({run.seconds} s)")
    out.add(
        "b. de-duplication",
        "load / blocking / scoring+clustering+store",
        f"{stats['load_seconds']} / {stats['block_seconds']} / "
        f"{run.seconds - stats['load_seconds'] - stats['block_seconds']:.1f} s",
    )
    out.add("b. de-duplication", "records / pairs compared", f"{run.records:,} / {run.pairs:,}")
    out.add(
        "b. de-duplication",
        "pairs per rule",
        ", ".join(f"{key} {value:,}" for key, value in stats["blocking"].items()),
    )
    out.add(
        "b. de-duplication",
        "clusters stored / oversized / ambiguous links",
        f"{run.clusters:,} / {stats.get('oversized_clusters', 0)} / "
        f"{stats.get('ambiguous_links', 0):,}",
    )
    out.add("b. de-duplication", "peak RSS so far", f"{peak_rss_mb():,.0f} MB")

    officer = UserFactory(roles=[Role.OFFICER], force_wide=True)
    start = time.perf_counter()
    with profiled("c_likely_matches"):
        online(out, officer, entities, duplicates)
    out.add("c. likely_matches", "stage wall time", f"{time.perf_counter() - start:.1f} s")

    inspector = sign_in_client(
        UserFactory(roles=[Role.INSPECTOR], force_wide=True), password=PASSWORD
    )
    admin = demo_sign_in("admin")
    floor = rate(inspector, "/accessibility/")
    out.add("d. pages", "floor (/accessibility/)", f"{floor:,.1f} requests/s")
    cluster = (
        DuplicateCluster.objects.filter(status=DuplicateCluster.Status.OPEN)
        .order_by("-probability", "pk")
        .first()
    )
    pages = [
        ("review queue (people:duplicates), inspector", inspector, reverse("people:duplicates"))
    ]
    if cluster is not None:
        url = reverse("people:duplicate", args=[cluster.pk])
        pages.append(("a group page (people:duplicate), inspector", inspector, url))
    pages.append(
        ("matching model (people:matching), administrator", admin, reverse("people:matching"))
    )
    for label, client, url in pages:
        value = rate(client, url)
        out.add(
            "d. pages",
            label,
            f"{value:,.2f} requests/s, {1000 / value:,.0f} ms each "
            f"({value / floor:.3f} of the floor)",
        )

    print()
    print(f"BENCH_PEOPLE={PEOPLE:,}; {cores} cores; PostgreSQL {connection.pg_version // 10000}")
    print()
    print(out.render())


if __name__ == "__main__":
    main()
