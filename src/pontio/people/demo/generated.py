"""Fictional demo people (demo and tests only, never production).

Names are common Welsh and English names; addresses are in real towns of each county with a
plausible postcode for the town's outward code (invented inward codes and streets); phone
numbers are Ofcom's drama ranges (07700 900xxx, 01632 960xxx), which are never in service.
A seeded random generator makes the data the same on every run, so seeding is idempotent:
people already present (same name and date of birth) are skipped. After them come the
journeys' people (``journeys``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.people import services
from pontio.people.demo.journeys import seed_journey_people
from pontio.people.demo.records import (
    FLAG_REASONS,
    RECORDERS,
    SeedResult,
    _record,
    _recorder,
    _refuse_in_production,
    _Spec,
)
from pontio.people.models import ConsentRecord, Flag, Gender, Language, Person

SEED = 20260101
FORCE_NAME = "Dyfed-Powys Police"

# (town, outward codes) per county ONS code.
TOWNS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "W06000010": [
        ("Carmarthen", ("SA31", "SA33")),
        ("Llanelli", ("SA14", "SA15")),
        ("Ammanford", ("SA18",)),
        ("Burry Port", ("SA16",)),
        ("Kidwelly", ("SA17",)),
        ("Llandeilo", ("SA19",)),
        ("Newcastle Emlyn", ("SA38",)),
    ],
    "W06000008": [
        ("Aberystwyth", ("SY23",)),
        ("Cardigan", ("SA43",)),
        ("Lampeter", ("SA48",)),
        ("Aberaeron", ("SA46",)),
        ("Tregaron", ("SY25",)),
        ("New Quay", ("SA45",)),
    ],
    "W06000009": [
        ("Haverfordwest", ("SA61", "SA62")),
        ("Pembroke Dock", ("SA72",)),
        ("Milford Haven", ("SA73",)),
        ("Tenby", ("SA70",)),
        ("Fishguard", ("SA65",)),
        ("Narberth", ("SA67",)),
        ("St Davids", ("SA62",)),
    ],
    "W06000023": [
        ("Newtown", ("SY16",)),
        ("Welshpool", ("SY21",)),
        ("Brecon", ("LD3",)),
        ("Llandrindod Wells", ("LD1",)),
        ("Machynlleth", ("SY20",)),
        ("Builth Wells", ("LD2",)),
        ("Knighton", ("LD7",)),
        ("Crickhowell", ("NP8",)),
        ("Ystradgynlais", ("SA9",)),
        ("Llanidloes", ("SY18",)),
        ("Presteigne", ("LD8",)),
        ("Hay-on-Wye", ("HR3",)),
    ],
}
MALE_NAMES = [
    "Dafydd", "David", "Rhys", "Gareth", "Huw", "Owain", "Iwan", "Gethin", "Aled", "Emyr",
    "Tomos", "Thomas", "John", "James", "Michael", "Daniel", "Matthew", "Llywelyn", "Ieuan",
    "Steffan", "Cai", "Dylan", "Osian", "Jac", "Mark", "Paul", "Andrew", "Christopher",
    "Ryan", "Liam", "Bryn", "Gwyn", "Geraint", "Hywel", "Sion", "Wyn", "Jason", "Kyle",
]  # fmt: skip
FEMALE_NAMES = [
    "Siân", "Sian", "Catrin", "Ffion", "Nia", "Bethan", "Eleri", "Rhiannon", "Cerys", "Megan",
    "Seren", "Lowri", "Angharad", "Mererid", "Elin", "Gwenllian", "Sarah", "Emma", "Rebecca",
    "Laura", "Claire", "Hannah", "Jessica", "Amy", "Nicola", "Lisa", "Kelly", "Carys", "Mared",
    "Heledd", "Sioned", "Manon", "Tegan", "Chloe", "Louise", "Rachel",
]  # fmt: skip
FAMILY_NAMES = [
    "Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Lewis", "Hughes", "Morgan",
    "Griffiths", "Edwards", "Price", "Rees", "Jenkins", "Lloyd", "Owen", "Powell", "Phillips",
    "James", "Parry", "Morris", "Bowen", "Pritchard", "Vaughan", "Howells", "Llewellyn",
    "Rowlands", "Watkins", "Harries", "Bevan", "Prosser", "Pugh", "Gwynne", "ap Rhys", "Smith",
    "Brown", "Taylor", "Wilson", "Johnson", "Walker", "Wright", "Green", "Hall", "Wood",
    "Clarke", "Baker", "Turner", "Hill", "Moore", "Cooper", "Ward", "Harris", "Mason",
]  # fmt: skip
STREETS = [
    "Heol y Bryn", "Stryd Fawr", "High Street", "Station Road", "Church Street", "Heol Las",
    "Maes y Dre", "Bridge Street", "Water Street", "Ffordd y Capel", "Park Terrace",
    "Queen Street", "King Street", "Heol Newydd", "Cae Glas", "Tan y Bryn", "Mill Lane",
    "Lon Hir", "Penrhiw", "Clos y Wern",
]  # fmt: skip
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcode(rng: random.Random, outward: str) -> str:
    return f"{outward} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _dob(rng: random.Random, today: dt.date) -> dt.date:
    age_days = rng.randint(18 * 365, 70 * 365)
    return today - dt.timedelta(days=age_days)


def _typo(rng: random.Random, name: str) -> str:
    """A realistic near-duplicate spelling: drop or double a letter, or a known variant."""
    variants = {
        "Dafydd": "David",
        "David": "Dafydd",
        "Siân": "Sian",
        "Sian": "Siân",
        "Llywelyn": "Llewellyn",
        "Rhys": "Rees",
        "Catrin": "Catherine",
        "Ieuan": "Evan",
    }
    if name in variants:
        return variants[name]
    if len(name) > 4:
        i = rng.randint(1, len(name) - 2)
        if not name[i].isalpha():
            return name
        return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]
    return name


REFUSAL_NOTE = "Declined: does not want contact at present."


def _draw(
    rng: random.Random,
    i: int,
    given: str,
    family: str,
    dob: dt.date,
    gender: str,
    pnc: str,
    today: dt.date,
    counties: dict[str, County],
) -> _Spec:
    """The rest of a person's record, in the order the generator has always drawn it (so a
    database seeded before stays the same on a second run)."""
    county_code = rng.choice(list(TOWNS))
    town, outwards = rng.choice(TOWNS[county_code])
    street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
    postcode = _postcode(rng, rng.choice(outwards))
    phone = (
        f"+447700900{rng.randint(0, 999):03d}"
        if rng.random() < 0.7
        else f"+441632960{rng.randint(0, 999):03d}"
    )
    roll = rng.random()
    ethnicity = rng.choice(["W1"] * 12 + ["W9", "W2", "M3", "A1", "B1", "NS"])
    language = Language.WELSH if rng.random() < 0.25 else Language.ENGLISH
    moved_in = today - dt.timedelta(days=rng.randint(30, 3000))
    addresses: list[services.AddressData] = []
    if roll < 0.3:  # an earlier address, closed when they moved
        old_town, old_outwards = rng.choice(TOWNS[rng.choice(list(TOWNS))])
        old_county = next(c for c, towns in TOWNS.items() if (old_town, old_outwards) in towns)
        addresses.append(
            services.AddressData(
                line_1=f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
                town=old_town,
                county=counties.get(old_county),
                postcode=_postcode(rng, old_outwards[0]),
                valid_from=moved_in - dt.timedelta(days=rng.randint(200, 2000)),
            )
        )
    addresses.append(
        services.AddressData(
            line_1=street,
            town=town,
            county=counties.get(county_code),
            postcode=postcode,
            valid_from=moved_in,
        )
    )
    email = f"{_ascii(given)}.{_ascii(family)}{i}@example.com" if roll < 0.15 else ""
    alias_family = rng.choice(FAMILY_NAMES) if roll < 0.1 else ""
    custody = rng.randint(10, 99) if rng.random() < 0.3 else None
    flag = None
    if rng.random() < 0.08:
        kind, resolved = rng.choice(list(FLAG_REASONS)), rng.random() < 0.3
        flag = (kind, resolved, rng.randint(1, 400))
    consent = None
    if rng.random() < 0.2:
        given_consent = rng.random() < 0.8
        consent = services.ConsentData(
            purpose=rng.choice(ConsentRecord.Purpose.values),
            basis=ConsentRecord.Basis.CONSENT,
            given=given_consent,
            date=moved_in,  # replaced by the day the record was made (see seed_people)
            notes="" if given_consent else REFUSAL_NOTE,
        )
    return _Spec(
        person=services.PersonData(
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            gender=gender,
            self_defined_ethnicity=ethnicity,
            pnc_id=pnc,
            preferred_language=language,
        ),
        addresses=tuple(addresses),
        phone=phone,
        email=email,
        alias_family=alias_family,
        custody=custody,
        flag=flag,
        consent=consent,
        days_ago=rng.randint(1, 400),
        resolve_days=rng.randint(1, 90),
    )


@transaction.atomic
def seed_people(count: int = 400, duplicates: int = 10) -> SeedResult:
    """Create ``count`` fictional people and ``duplicates`` near-duplicates (idempotent).

    Every record is made through the people services, by a demo police user whose area
    holds the person's addresses, at a time in the past (``time_machine``), so that the
    records, their history and the audit log look as if officers had typed them.
    """
    _refuse_in_production()
    today = dt.date(2026, 1, 1)  # dates of birth are drawn from it: the same on every run
    now = timezone.now()
    counties = {c.ons_code: c for c in County.objects.all()}
    users = {u.username: u for u in User.objects.filter(username__in=[r for r, _a in RECORDERS])}
    reader = _recorder(users, set(counties))
    known = restrict(Person.objects.all(), reader, "create")
    existing = set(known.values_list("given_name", "family_name", "date_of_birth"))
    context = AuditContext.system("seed_people")
    created = skipped = 0
    people: list[Person] = []
    for i in range(count + duplicates):
        # One generator per person, so a skipped person does not shift the ones after it.
        rng = random.Random(SEED * 10_000 + i)  # noqa: S311 - demo data, not security
        if i < count:
            gender: str = rng.choice([Gender.MALE, Gender.FEMALE, Gender.MALE])
            given = rng.choice(MALE_NAMES if gender == Gender.MALE else FEMALE_NAMES)
            family = rng.choice(FAMILY_NAMES)
            dob = _dob(rng, today)
            check = rng.choice("ABCDEFGHJKLMNPQRTUVWXY")
            pnc = f"{rng.randint(0, 25):02d}/{rng.randint(1, 999999)}{check}"
            pnc = pnc if rng.random() < 0.6 else ""
        else:  # a near-duplicate of an earlier person, as a second officer might type it
            original = people[rng.randrange(len(people))] if people else None
            if original is None:
                break
            gender = original.gender
            given = _typo(rng, original.given_name)
            family = (
                original.family_name if rng.random() < 0.6 else _typo(rng, original.family_name)
            )
            dob = original.date_of_birth or _dob(rng, today)
            if rng.random() < 0.5 and dob.day <= 12:
                dob = dob.replace(day=dob.month, month=dob.day)
            pnc = ""
            if (given, family, dob) == (original.given_name, original.family_name, dob):
                given = given + given[-1]  # make sure it differs: a doubled last letter
        spec = _draw(rng, i, given, family, dob, gender, pnc, today, counties)
        if (given, family, dob) in existing:
            skipped += 1
            person = known.filter(given_name=given, family_name=family, date_of_birth=dob).first()
            if person is not None:
                people.append(person)
            continue
        if pnc and services.pnc_id_taken(reader, pnc):
            spec = replace(spec, person=replace(spec.person, pnc_id=""))
        area = {a.county.ons_code for a in spec.addresses if a.county is not None}
        person = _record(spec, _recorder(users, area), context, now)
        existing.add((given, family, dob))
        people.append(person)
        created += 1
    made, known_already = seed_journey_people(users, counties, context, now, existing)
    return SeedResult(created=created + made, skipped=skipped + known_already)


def access_matrix_person() -> tuple[int, int]:
    """A person with no current address (in every police user's scope) and an open flag,
    made through the services by the demo officer.

    Used by the access-matrix test to reach the person pages.
    """
    officer = User.objects.get(username="officer")
    context = AuditContext.system("access_matrix")
    person = services.person_create(
        context=context,
        actor=officer,
        data=services.PersonData(given_name="Matrix", family_name="Prawf"),
    )
    flag = services.flag_raise(
        context=context,
        actor=officer,
        person_id=person.pk,
        kind=Flag.Kind.VULNERABILITY,
        reason="Needs an appropriate adult.",
    )
    return person.pk, flag.pk
