"""Custody records: one per arrest, with the offence, the custody number on the person, and
a drug test on arrest (PACE s63B) for about a third of them."""

from __future__ import annotations

import datetime as dt
import random

from bench.gen import copy as c
from bench.gen.draw import Picker, day_in_period, moment_in
from bench.gen.people import People
from bench.gen.sizes import REFERENCE_DATE
from bench.gen.world import World

RECORD = (
    "id", "version", "created_at", "updated_at", "custody_number", "arrested_at",
    "age_at_arrest", "appropriate_adult_name", "appropriate_adult_relationship",
    "created_by_id", "officer_in_case_id", "person_id", "suite_id", "idempotency_key",
)  # fmt: skip
OFFENCE = (
    "id", "state", "class_a_involved", "charged_at", "added_at", "added_by_id", "offence_id",
    "record_id",
)  # fmt: skip
NUMBER = ("id", "recorded_at", "number", "recorded_by_id", "person_id")
TEST = (
    "id", "version", "created_at", "updated_at", "stage", "warning_given", "warning_given_at",
    "told_of_authorisation", "appropriate_adult_present", "requested_at", "outcome",
    "refused_at", "sample_taken_at", "result", "result_recorded_at", "disputed", "disputed_at",
    "dt1_recorded_at", "dt2_recorded_at", "confirmatory_result", "confirmatory_recorded_at",
    "record_id", "requested_by_id", "authorisation_id",
)  # fmt: skip
RESULT = Picker(["negative", "cocaine", "opiates", "both"], [45, 25, 17, 13])
CHARGE = Picker(["charged", "nfa", "arrested"], [45, 45, 10])
RECENT = dt.timedelta(days=30)


def generate(
    url: str, world: World, people: People, total: int, rng: random.Random
) -> dict[str, int]:
    records = c.Table(url, "custody_custodyrecord", RECORD)
    offences = c.Table(url, "custody_recordoffence", OFFENCE)
    numbers = c.Table(url, "people_custodynumber", NUMBER)
    tests = c.Table(url, "custody_drugtest", TEST)
    weight_total = sum(f.weight for f in world.forces)
    record_id = test_id = 0
    for force_index, force in enumerate(world.forces):
        first_person, person_count = people.ranges[force_index]
        count = max(1, round(total * force.weight / weight_total))
        every_suite = [s for suites in force.suites.values() for s in suites]
        staff = force.custody_staff or [u for v in force.officers.values() for u in v]
        for day in sorted(day_in_period(rng) for _ in range(count)):
            # A few people are arrested again and again: draw from a steep curve.
            for _attempt in range(20):
                person = first_person + int(person_count * rng.random() ** 2.5)
                age = people.age_on(person, day)
                if age >= 12:
                    break
            else:
                continue
            record_id += 1
            arrested = moment_in(rng, day)
            opened = arrested + dt.timedelta(minutes=rng.randint(20, 90))
            suite = rng.choice(force.suites.get(people.county[person - 1]) or every_suite)
            sergeant = rng.choice(staff)
            number = f"CU{force_index:02d}/{arrested:%y}/{record_id:07d}"
            adult = age < 18
            records.add(
                (
                    str(record_id), "2", c.ts(opened), c.ts(opened + dt.timedelta(hours=2)),
                    number, c.ts(arrested), str(age), "Parent or guardian" if adult else "",
                    "parent" if adult else "", str(sergeant), c.NULL, str(person), str(suite), "",
                )
            )  # fmt: skip
            numbers.add((str(record_id), c.ts(opened), number, str(sergeant), str(person)))
            state = "arrested" if REFERENCE_DATE - day < RECENT else CHARGE(rng)
            charged = opened + dt.timedelta(hours=rng.randint(3, 30))
            offences.add(
                (
                    str(record_id), state, c.NULL, c.ts(charged) if state == "charged" else c.NULL,
                    c.ts(opened), str(sergeant), str(rng.choice(world.offences)), str(record_id),
                )
            )  # fmt: skip
            if age >= 18 and rng.random() < 0.33:
                test_id += 1
                requested = opened + dt.timedelta(minutes=10)
                refused = rng.random() < 0.05
                sample = requested + dt.timedelta(minutes=15)
                result = RESULT(rng)
                tests.add(
                    (
                        str(test_id), "3", c.ts(requested), c.ts(sample + dt.timedelta(minutes=10)),
                        "arrest", "t", c.ts(requested), "f", "f", c.ts(requested),
                        "refused" if refused else "sample_taken",
                        c.ts(sample) if refused else c.NULL, c.NULL if refused else c.ts(sample),
                        "" if refused else result,
                        c.NULL if refused else c.ts(sample + dt.timedelta(minutes=10)), "f",
                        c.NULL, c.NULL, c.NULL, "", c.NULL, str(record_id), str(sergeant), c.NULL,
                    )
                )  # fmt: skip
    return {t.name: t.close() for t in (records, offences, numbers, tests)}
