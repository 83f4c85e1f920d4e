"""Stop and search records: rows drawn from real police.uk files (their vocabularies and
mixes of type, power, object, outcome, age, gender and ethnicity), placed in the period.

The home force's searches since ``PONTIO_LIVE`` are recorded in Pontio (officer, grounds,
GOWISELY, the outcome at the time as the first ``OutcomeUpdate``); its earlier months and
every other force's come from police.uk, one import batch per force and month, as the
importer would leave them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from bench.gen import copy as c
from bench.gen.draw import UTC, day_in_period, moment_in
from bench.gen.people import People
from bench.gen.world import HOME_FORCE_NAME, POLICEUK, World

COLUMNS = (
    "id", "version", "created_at", "updated_at", "reference", "source", "force", "search_type",
    "searched_at", "month", "place", "latitude", "longitude", "part_of_operation",
    "operation_name", "vehicle_registration", "gender", "age_range", "self_defined_ethnicity",
    "officer_defined_ethnicity", "legislation", "object_of_search", "grounds", "gowisely_given",
    "removal_of_more_than_outer_clothing", "body_worn_video", "original_outcome",
    "original_linked", "current_outcome", "current_linked", "source_key", "batch_id",
    "county_id", "officer_id", "officer_organisation_id", "person_id", "idempotency_key", "found",
)  # fmt: skip
OUTCOME = (
    "id", "kind", "outcome", "linked_to_object", "decided_on", "reason", "recorded_at",
    "recorded_by_id", "search_id",
)  # fmt: skip
BATCH = (
    "id", "kind", "file_name", "sha256", "force", "month", "state", "total_rows", "rows_read",
    "imported", "already_present", "rejected", "errors", "started_at", "finished_at",
    "started_by_id",
)  # fmt: skip
# The home force recorded its searches in Pontio from this month; the months before were
# imported from its police.uk files.
PONTIO_LIVE = dt.date(2024, 4, 1)
TEMPLATE_FIELDS = (
    "search_type", "part_of_operation", "operation_name", "gender", "age_range",
    "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "object_of_search",
    "removal_of_more_than_outer_clothing", "original_outcome", "original_linked", "found",
)  # fmt: skip


def templates() -> list[tuple[Any, ...]]:
    """Every row of the police.uk stop and search files, parsed by the importer's own code."""
    from pontio.stopsearch.policeuk.formats import decode
    from pontio.stopsearch.policeuk.rows import (
        RowRejected,
        Vocabularies,
        csv_rows,
        parse_stop_search,
    )

    vocab = Vocabularies.build()
    rows = []
    for path in sorted((POLICEUK).glob("*-stop-and-search.csv")):
        month = dt.date(int(path.name[:4]), int(path.name[5:7]), 1)
        for number, cells in csv_rows(decode(path.read_bytes())):
            if number == 1 or isinstance(cells, RowRejected):
                continue
            try:
                values = parse_stop_search(cells, month, vocab)
            except RowRejected:
                continue
            rows.append(tuple(values[name] for name in TEMPLATE_FIELDS))
    return rows


def _grounds() -> dict[str, tuple[str, ...]]:
    from pontio.stopsearch.demo.searches import GROUNDS

    return {str(k): v for k, v in GROUNDS.items()}


def generate(
    url: str, world: World, people: People, total: int, rng: random.Random
) -> dict[str, int]:
    pool = templates()
    grounds = _grounds()
    any_grounds = [g for options in grounds.values() for g in options]
    searches = c.Table(url, "stopsearch_stopsearch", COLUMNS)
    outcomes = c.Table(url, "stopsearch_outcomeupdate", OUTCOME)
    batches: dict[tuple[str, dt.date], tuple[int, int]] = {}  # -> (id, rows)
    weight_total = sum(f.weight for f in world.forces)
    search_id = outcome_id = 0
    for force_index, force in enumerate(world.forces):
        home = force.name == HOME_FORCE_NAME
        first_person, person_count = people.ranges[force_index]
        count = max(1, round(total * force.weight / weight_total))
        county_ids = [k.id for k in force.counties]
        county_weights = [k.weight for k in force.counties]
        # Draw in date order so that ids follow time, as records made day by day would.
        days = sorted(day_in_period(rng) for _ in range(count))
        for day in days:
            search_id += 1
            (kind, operation, operation_name, gender, age, self_ethnic, officer_ethnic,
             legislation, obj, removal, outcome, linked, found) = rng.choice(pool)  # fmt: skip
            searched = moment_in(rng, day)
            month = day.replace(day=1)
            recorded = searched + dt.timedelta(minutes=rng.randint(10, 240))
            county_id = rng.choices(county_ids, county_weights)[0]
            if home and day >= PONTIO_LIVE:
                officer = rng.choice(force.officers[county_id])
                person = (
                    str(first_person + rng.randrange(person_count))
                    if rng.random() < 0.35
                    else c.NULL
                )
                cells = (
                    f"SS{searched:%y}-{search_id:06d}",
                    "pontio",
                    "dyfed-powys",
                    c.NULL,
                    c.NULL,
                    c.text(rng.choice(grounds.get(obj) or any_grounds)),
                    "t",
                    f"BWV-{search_id}",
                    str(officer),
                    str(force.organisation_id),
                    person,
                    found or ("object" if linked else "nothing"),
                )
            else:
                key = (force.slug, month)
                batch_id, rows = batches.get(key, (len(batches) + 1, 0))
                batches[key] = (batch_id, rows + 1)
                # The importer's reference: the batch and the row's line in its file.
                cells = (
                    f"PUK-{batch_id}-{rows + 2}",
                    "policeuk",
                    force.slug,
                    f"{force.slug}:{month:%Y-%m}:{search_id:x}:1",
                    str(batch_id),
                    "",
                    "f",
                    "",
                    c.NULL,
                    c.NULL,
                    c.NULL,
                    found,
                )
            (reference, source, force_slug, source_key, batch_cell, grounds_text, gowisely,
             video, officer_cell, officer_org, person_cell, found_cell) = cells  # fmt: skip
            searches.add(
                (
                    str(search_id), "1", c.ts(recorded), c.ts(recorded), reference, source,
                    force_slug, kind, c.ts(searched), month.isoformat(), "", c.NULL, c.NULL,
                    c.boolean(operation), c.text(operation_name), "", gender, age, self_ethnic,
                    officer_ethnic, legislation, obj, grounds_text, gowisely, c.boolean(removal),
                    video, outcome, c.boolean(linked), outcome, c.boolean(linked), source_key,
                    batch_cell, str(county_id), officer_cell, officer_org, person_cell, "",
                    found_cell,
                )
            )  # fmt: skip
            if home and day >= PONTIO_LIVE:
                outcome_id += 1
                outcomes.add(
                    (
                        str(outcome_id), "at_time", outcome or "nfa", c.boolean(linked),
                        day.isoformat(), "", c.ts(recorded), officer_cell, str(search_id),
                    )
                )  # fmt: skip
    counts = {t.name: t.close() for t in (searches, outcomes)}
    counts["stopsearch_importbatch"] = _write_batches(url, batches)
    return counts


def _write_batches(url: str, batches: dict[tuple[str, dt.date], tuple[int, int]]) -> int:
    """One finished police.uk import per force and month, as the importer records it."""
    table = c.Table(url, "stopsearch_importbatch", BATCH)
    for (slug, month), (batch_id, rows) in sorted(batches.items(), key=lambda kv: kv[1][0]):
        name = f"{month:%Y-%m}-{slug}-stop-and-search.csv"
        imported = dt.datetime(month.year, month.month, 1, 9, tzinfo=UTC) + dt.timedelta(days=40)
        table.add(
            (
                str(batch_id), "stop_search", name, hashlib.sha256(name.encode()).hexdigest(),
                slug, month.isoformat(), "done", str(rows), str(rows), str(rows), "0", "0", "[]",
                c.ts(imported), c.ts(imported + dt.timedelta(seconds=rows // 500 + 1)), c.NULL,
            )
        )  # fmt: skip
    return table.close()
