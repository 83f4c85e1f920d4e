"""The people of the journeys (../shared/JOURNEYS.md), written out by hand so that a tester
can walk them on the demo: Ffion Bowen of Llanelli, whom the officer finds with a likely
duplicate (journey 1), and the Carmarthenshire people whose new referrals wait in the DDAS
caseworker's inbox (journeys 2 and 13, ``referrals.demo``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.people import services
from pontio.people.demo.records import _record, _Spec
from pontio.people.models import Gender, Language


@dataclass(frozen=True)
class JourneyPerson:
    given: str
    family: str
    dob: dt.date
    gender: str
    language: str
    line_1: str
    town: str
    postcode: str
    phone: str
    recorder: str
    days_ago: int  # when the record was made


CARMARTHENSHIRE = "W06000010"
JOURNEY_PEOPLE: tuple[JourneyPerson, ...] = (
    # Journey 1: the officer searches for Ffion Bowen and is offered a likely duplicate (the
    # same name, the day and month of birth swapped, an older Llanelli address) before
    # opening the right record, with her phone and current address, and referring her.
    JourneyPerson(
        "Ffion", "Bowen", dt.date(1991, 3, 5), Gender.FEMALE, Language.WELSH,
        "12 Heol Awst", "Llanelli", "SA15 3AB", "+447700900123", "officer", 40,
    ),
    JourneyPerson(
        "Ffion", "Bowen", dt.date(1991, 5, 3), Gender.FEMALE, Language.ENGLISH,
        "Flat 2, 40 Stepney Street", "Llanelli", "SA15 3TR", "+441632960123",
        "custody.sergeant", 700,
    ),
    # Journeys 2 and 13: people referred the working day before the demo was loaded.
    JourneyPerson(
        "Gethin", "Rowlands", dt.date(1987, 11, 21), Gender.MALE, Language.ENGLISH,
        "7 Heol Elfed", "Llanelli", "SA14 8RB", "+447700900311", "officer", 120,
    ),
    JourneyPerson(
        "Megan", "Harries", dt.date(1995, 6, 9), Gender.FEMALE, Language.WELSH,
        "3 Priory Street", "Carmarthen", "SA31 1NB", "+447700900312", "officer", 90,
    ),
)  # fmt: skip


def _journey_spec(person: JourneyPerson, county: County | None) -> _Spec:
    return _Spec(
        person=services.PersonData(
            given_name=person.given,
            family_name=person.family,
            date_of_birth=person.dob,
            gender=person.gender,
            self_defined_ethnicity="W1",
            preferred_language=person.language,
        ),
        addresses=(
            services.AddressData(
                line_1=person.line_1,
                town=person.town,
                county=county,
                postcode=person.postcode,
                valid_from=dt.date(2019, 6, 1),
            ),
        ),
        phone=person.phone,
        email="",
        alias_family="",
        custody=None,
        flag=None,
        consent=None,
        days_ago=person.days_ago,
        resolve_days=0,
    )


def seed_journey_people(
    users: dict[str, User],
    counties: dict[str, County],
    context: AuditContext,
    now: dt.datetime,
    existing: set[tuple[str, str, dt.date | None]],
) -> tuple[int, int]:
    """The people of the journeys (``JOURNEY_PEOPLE``), once; (created, skipped)."""
    created = skipped = 0
    for person in JOURNEY_PEOPLE:
        if (person.given, person.family, person.dob) in existing:
            skipped += 1
            continue
        actor = users.get(person.recorder)
        if actor is None:
            raise ImproperlyConfigured("Load the demo users first (seed_accounts).")
        _record(_journey_spec(person, counties.get(CARMARTHENSHIRE)), actor, context, now)
        existing.add((person.given, person.family, person.dob))
        created += 1
    return created, skipped
