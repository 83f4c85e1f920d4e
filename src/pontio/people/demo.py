"""Fictional demo people (demo and tests only, never production).

Names are common Welsh and English names; addresses are in real towns of each county with a
plausible postcode for the town's outward code (invented inward codes and streets); phone
numbers are Ofcom's drama ranges (07700 900xxx, 01632 960xxx), which are never in service.
A seeded random generator makes the data the same on every run, so seeding is idempotent:
people already present (same name and date of birth) are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.people.models import (
    Address,
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Gender,
    Language,
    Person,
    Phone,
)

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
FLAG_REASONS = {
    Flag.Kind.SAFEGUARDING: "Lives with two children under 5; social services informed.",
    Flag.Kind.RISK_TO_STAFF: "Threatened custody staff with a weapon at last detention.",
    Flag.Kind.RISK_TO_SELF: "Disclosed thoughts of self-harm during last detention.",
    Flag.Kind.VULNERABILITY: "Learning disability: needs an appropriate adult.",
}


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


@dataclass
class SeedResult:
    created: int
    skipped: int


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


@transaction.atomic
def seed_people(count: int = 400, duplicates: int = 10) -> SeedResult:
    """Create ``count`` fictional people and ``duplicates`` near-duplicates (idempotent)."""
    _refuse_in_production()
    today = dt.date(2026, 1, 1)
    counties = {c.ons_code: c for c in County.objects.all()}
    force = Organisation.objects.filter(name=FORCE_NAME).first()
    officer = User.objects.filter(username="officer").first()
    existing = set(Person.objects.values_list("given_name", "family_name", "date_of_birth"))
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
        if (given, family, dob) in existing:
            skipped += 1
            person = Person.objects.filter(
                given_name=given, family_name=family, date_of_birth=dob
            ).first()
            if person is not None:
                people.append(person)
            continue
        if pnc and Person.objects.filter(pnc_id=pnc, is_active=True).exists():
            pnc = ""
        person = Person.objects.create(
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            gender=gender,
            self_defined_ethnicity=rng.choice(["W1"] * 12 + ["W9", "W2", "M3", "A1", "B1", "NS"]),
            pnc_id=pnc,
            preferred_language=Language.WELSH if rng.random() < 0.25 else Language.ENGLISH,
            created_by_organisation=force,
        )
        existing.add((given, family, dob))
        people.append(person)
        created += 1
        moved_in = today - dt.timedelta(days=rng.randint(30, 3000))
        if roll < 0.3:  # an earlier address, closed when they moved
            old_town, old_outwards = rng.choice(TOWNS[rng.choice(list(TOWNS))])
            Address.objects.create(
                person=person,
                line_1=f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
                town=old_town,
                county=counties.get(
                    next(c for c, towns in TOWNS.items() if (old_town, old_outwards) in towns)
                ),
                postcode=_postcode(rng, old_outwards[0]),
                valid_from=moved_in - dt.timedelta(days=rng.randint(200, 2000)),
                valid_to=moved_in,
                recorded_by=officer,
            )
        Address.objects.create(
            person=person,
            line_1=street,
            town=town,
            county=counties.get(county_code),
            postcode=postcode,
            valid_from=moved_in,
            recorded_by=officer,
        )
        Phone.objects.create(
            person=person,
            number=phone,
            kind=Phone.Kind.MOBILE if phone.startswith("+447") else Phone.Kind.LANDLINE,
            recorded_by=officer,
        )
        if roll < 0.15:
            Email.objects.create(
                person=person,
                address=f"{_ascii(given)}.{_ascii(family)}{i}@example.com",
                recorded_by=officer,
            )
        if roll < 0.1:
            Alias.objects.create(
                person=person, given_name=given, family_name=rng.choice(FAMILY_NAMES)
            )
        if rng.random() < 0.3:
            CustodyNumber.objects.create(
                person=person,
                number=f"DP{rng.randint(10, 99)}{person.pk:06d}",
                recorded_by=officer,
            )
        if rng.random() < 0.08:
            kind = rng.choice(list(FLAG_REASONS))
            resolved = rng.random() < 0.3
            Flag.objects.create(
                person=person,
                kind=kind,
                reason=FLAG_REASONS[kind],
                raised_by=officer,
                raised_at=timezone.now() - dt.timedelta(days=rng.randint(1, 400)),
                resolved_at=timezone.now() if resolved else None,
                resolved_by=officer if resolved else None,
                resolution="Reviewed with the safeguarding hub: no longer applies."
                if resolved
                else "",
            )
        if rng.random() < 0.2:
            given_consent = rng.random() < 0.8
            ConsentRecord.objects.create(
                person=person,
                purpose=rng.choice(ConsentRecord.Purpose.values),
                basis=ConsentRecord.Basis.CONSENT,
                given=given_consent,
                date=moved_in,
                notes="" if given_consent else "Declined: does not want contact at present.",
                recorded_by=officer,
            )
    if created:
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            object_type="people.person",
            reason=f"demo data: {created} people",
        )
    return SeedResult(created=created, skipped=skipped)


def access_matrix_person() -> tuple[int, int]:
    """A person with no current address (in every police user's scope) and an open flag.

    Used by the access-matrix test to reach the person pages.
    """
    person = Person.objects.create(given_name="Matrix", family_name="Prawf")
    flag = Flag.objects.create(
        person=person,
        kind=Flag.Kind.VULNERABILITY,
        reason="Needs an appropriate adult.",
        raised_at=timezone.now(),
    )
    return person.pk, flag.pk
