"""People with their current (and some former) addresses, phones and aliases."""

from __future__ import annotations

import csv
import datetime as dt
import random
from array import array
from dataclasses import dataclass, field

from bench.gen import copy as c
from bench.gen.draw import Picker, moment_in
from bench.gen.sizes import FIRST_DAY, REFERENCE_DATE
from bench.gen.world import HOME_FORCE_NAME, REFERENCE, World

ETHNIC_COLUMNS = {
    "W1": 3, "W2": 4, "W3": 5, "W9": 6, "M1": 8, "M2": 9, "M3": 10, "M9": 11, "A1": 13,
    "A2": 14, "A3": 15, "A4": 16, "A9": 17, "B1": 19, "B2": 20, "B9": 21, "O1": 23, "O9": 24,
}  # fmt: skip
WELSH_SPEAKING = {HOME_FORCE_NAME: 0.2, "North Wales": 0.25, "South Wales": 0.04, "Gwent": 0.03}
GENDER = Picker(["male", "female", "other", "not_stated"], [75, 23.5, 0.5, 1])
INTERPRETER_LANGUAGES = ["Polish", "Romanian", "Arabic", "Portuguese", "Lithuanian", "Urdu"]
COLUMNS = (
    "id", "version", "created_at", "updated_at", "given_name", "family_name", "date_of_birth",
    "gender", "self_defined_ethnicity", "pnc_id", "preferred_language", "needs_interpreter",
    "interpreter_language", "family_name_key", "given_name_key", "is_active",
    "created_by_organisation_id", "merged_into_id",
)  # fmt: skip
ADDRESS = (
    "id", "recorded_at", "line_1", "line_2", "town", "postcode", "valid_from", "valid_to",
    "county_id", "recorded_by_id", "person_id",
)  # fmt: skip
PHONE = ("id", "recorded_at", "number", "kind", "is_current", "person_id", "recorded_by_id")
ALIAS = (
    "id", "recorded_at", "given_name", "family_name", "family_name_key", "given_name_key",
    "recorded_by_id", "person_id",
)  # fmt: skip
INWARD = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class People:
    """What later stages need of each person, in flat arrays indexed by id - 1."""

    ranges: list[tuple[int, int]] = field(default_factory=list)  # per force: first id, count
    county: array = field(default_factory=lambda: array("I"))  # county row id
    born: array = field(default_factory=lambda: array("I"))  # date of birth (ordinal)
    home: array = field(default_factory=lambda: array("I"))  # town index * 1000 + street
    language: array = field(default_factory=lambda: array("B"))  # 1: Welsh
    towns: list[tuple[str, str]] = field(default_factory=list)  # (town, outward code)
    streets: list[str] = field(default_factory=list)

    def address(self, person_id: int) -> tuple[str, str, str]:
        """The current address of a person: line 1, town and postcode."""
        home = self.home[person_id - 1]
        town, outward = self.towns[home // 1000]
        street = self.streets[home % 1000]
        return f"{person_id % 97 + 1} {street}", town, postcode(outward, person_id)

    def age_on(self, person_id: int, day: dt.date) -> int:
        born = dt.date.fromordinal(self.born[person_id - 1])
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def postcode(outward: str, person_id: int) -> str:
    n = person_id * 7919
    return f"{outward} {n % 9 + 1}{INWARD[n // 9 % 20]}{INWARD[n // 180 % 20]}"


def _ethnicity_pickers() -> dict[str, Picker[str]]:
    with (REFERENCE / "force-demographics.csv").open(encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        next(reader)
        pickers = {}
        for row in reader:
            codes = [*ETHNIC_COLUMNS, "NS"]
            stated = [int(row[i]) for i in ETHNIC_COLUMNS.values()]
            # About one in ten do not state an ethnicity (police.uk "Not stated").
            pickers[row[0]] = Picker(codes, [*stated, sum(stated) / 9])
    return pickers


def _keys() -> tuple[dict[str, str], dict[str, str]]:
    from pontio.people.demo.generated import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
    from pontio.people.models import _phonetic, given_key

    family = {n: _phonetic(n)[:40] for n in FAMILY_NAMES}
    given = {n: given_key(n) for n in (*MALE_NAMES, *FEMALE_NAMES)}
    return family, given


def town_table(world: World) -> tuple[list[tuple[str, str]], dict[int, list[int]]]:
    """Every (town, outward code) of the world, and each county's indexes into it."""
    towns: list[tuple[str, str]] = []
    of_county: dict[int, list[int]] = {}
    for force in world.forces:
        for county in force.counties:
            of_county[county.id] = []
            for town, outwards in county.towns:
                for outward in outwards:
                    of_county[county.id].append(len(towns))
                    towns.append((town, outward))
    return towns, of_county


def generate(
    url: str, world: World, total: int, rng: random.Random
) -> tuple[People, dict[str, int]]:
    from pontio.people.demo.generated import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, STREETS

    family_keys, given_keys = _keys()
    ethnicity = _ethnicity_pickers()
    towns, of_county = town_table(world)
    people = People(towns=towns, streets=list(STREETS))
    persons = c.Table(url, "people_person", COLUMNS)
    addresses = c.Table(url, "people_address", ADDRESS)
    phones = c.Table(url, "people_phone", PHONE)
    aliases = c.Table(url, "people_alias", ALIAS)
    weight_total = sum(f.weight for f in world.forces)
    person_id = address_id = phone_id = alias_id = 0
    ref_ordinal = REFERENCE_DATE.toordinal()
    period = (REFERENCE_DATE - FIRST_DAY).days
    for force in world.forces:
        count = max(1, round(total * force.weight / weight_total))
        people.ranges.append((person_id + 1, count))
        county_pick = Picker(force.counties, [k.weight for k in force.counties])
        ethnic = ethnicity[force.name]
        welsh = WELSH_SPEAKING.get(force.name, 0.0)
        for _ in range(count):
            person_id += 1
            county = county_pick(rng)
            gender = GENDER(rng)
            given = rng.choice(FEMALE_NAMES if gender == "female" else MALE_NAMES)
            family = rng.choice(FAMILY_NAMES)
            # Ages known to the police: mostly 18 to 45, a tail to 75, a few under 18.
            age_days = int(365.25 * (14 + 61 * rng.random() ** 1.8))
            born = dt.date.fromordinal(ref_ordinal - age_days)
            # Four in ten were known before the period starts; the rest arrive through it.
            if rng.random() < 0.4:
                first_seen = FIRST_DAY - dt.timedelta(days=rng.randrange(1, 3650))
            else:
                first_seen = FIRST_DAY + dt.timedelta(days=rng.randrange(period))
            created = moment_in(rng, first_seen)
            language = "cy" if rng.random() < welsh else "en"
            interpreter = rng.random() < 0.01
            pnc = f"{born.year % 100:02d}/{person_id}{INWARD[person_id % 20]}"
            persons.add(
                (
                    str(person_id), "1", c.ts(created), c.ts(created), c.text(given),
                    c.text(family), born.isoformat(), gender, ethnic(rng),
                    pnc if rng.random() < 0.7 else "", language, c.boolean(interpreter),
                    rng.choice(INTERPRETER_LANGUAGES) if interpreter else "",
                    family_keys[family], given_keys[given], "t",
                    str(force.organisation_id), c.NULL,
                )
            )  # fmt: skip
            town_index = rng.choice(of_county[county.id])
            street = rng.randrange(len(STREETS))
            people.county.append(county.id)
            people.born.append(born.toordinal())
            people.home.append(town_index * 1000 + street)
            people.language.append(language == "cy")
            town, outward = towns[town_index]
            since = max(first_seen, born + dt.timedelta(days=16 * 365))
            if rng.random() < 0.12:
                # A former address, closed the day the current one began.
                moved = since + dt.timedelta(days=rng.randrange(30, 900))
                if moved < REFERENCE_DATE:
                    address_id += 1
                    old_town, old_outward = towns[rng.choice(of_county[county.id])]
                    old_line = f"{rng.randint(1, 140)} {STREETS[rng.randrange(len(STREETS))]}"
                    addresses.add(
                        (
                            str(address_id), c.ts(created), c.text(old_line),
                            "", c.text(old_town), postcode(old_outward, person_id + 1),
                            since.isoformat(), moved.isoformat(), str(county.id), c.NULL,
                            str(person_id),
                        )
                    )  # fmt: skip
                    since = moved
            address_id += 1
            addresses.add(
                (
                    str(address_id), c.ts(created), f"{person_id % 97 + 1} {STREETS[street]}", "",
                    c.text(town), postcode(outward, person_id), since.isoformat(), c.NULL,
                    str(county.id), c.NULL, str(person_id),
                )
            )  # fmt: skip
            if rng.random() < 0.85:
                phone_id += 1
                # Ofcom's drama range: realistic, never a real subscriber.
                number = f"+447700900{person_id % 1000:03d}"
                phones.add(
                    (str(phone_id), c.ts(created), number, "mobile", "t", str(person_id), c.NULL)
                )
            if rng.random() < 0.04:
                alias_id += 1
                alias = rng.choice(FAMILY_NAMES)
                aliases.add(
                    (
                        str(alias_id), c.ts(created), c.text(given), c.text(alias),
                        family_keys[alias], given_keys[given], c.NULL, str(person_id),
                    )
                )  # fmt: skip
    counts = {t.name: t.close() for t in (persons, addresses, phones, aliases)}
    return people, counts
