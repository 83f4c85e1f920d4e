"""Demo searches and their later outcomes, recorded by the demo police at the time.

The mix follows what the Dyfed-Powys police.uk files show: mostly Misuse of Drugs Act
searches for controlled drugs, mostly young men, mostly no further action.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.people.demo import STREETS, TOWNS, _refuse_in_production
from pontio.people.models import Gender, Person
from pontio.stopsearch import services
from pontio.stopsearch.demo.audit import audit
from pontio.stopsearch.demo.common import KEY, SEED, at, travel
from pontio.stopsearch.demo.journeys import journey_search
from pontio.stopsearch.models import OutcomeUpdate, StopSearch
from pontio.stopsearch.vocab import (
    AgeRange,
    Found,
    Legislation,
    ObjectOfSearch,
    Outcome,
    SearchGender,
    SearchType,
    age_range_for,
)

COUNTY_WEIGHTS = {"W06000010": 36, "W06000023": 26, "W06000009": 22, "W06000008": 16}
# (legislation, objects) and how often each power is used.
POWERS: list[tuple[str, tuple[str, ...], int]] = [
    (Legislation.MDA_S23, (ObjectOfSearch.CONTROLLED_DRUGS,), 72),
    (
        Legislation.PACE_S1,
        (
            ObjectOfSearch.STOLEN_GOODS,
            ObjectOfSearch.OFFENSIVE_WEAPONS,
            ObjectOfSearch.ARTICLE_THEFT,
            ObjectOfSearch.ARTICLE_DAMAGE,
        ),
        20,
    ),
    (Legislation.CJA_S139B, (ObjectOfSearch.OFFENSIVE_WEAPONS,), 3),
    (Legislation.PSA_S36, (ObjectOfSearch.PSYCHOACTIVE,), 2),
    (Legislation.FIREARMS_S47, (ObjectOfSearch.FIREARMS,), 2),
    (Legislation.CJPOA_S60, (ObjectOfSearch.OFFENSIVE_WEAPONS,), 1),
]
OUTCOME_WEIGHTS = {
    Outcome.NFA: 68,
    Outcome.ARREST: 11,
    Outcome.COMMUNITY_RESOLUTION: 8,
    Outcome.DRUGS_WARNING: 7,
    Outcome.SUMMONS: 3,
    Outcome.CAUTION: 2,
    Outcome.PND: 1,
}
ETHNICITY_WEIGHTS = {
    "W1": 84, "W9": 5, "W2": 1, "W3": 1, "M1": 1, "M3": 1, "A1": 1, "A9": 1,
    "B1": 1, "B2": 1, "O9": 1, "NS": 2,
}  # fmt: skip
OFFICER_ETHNICITY = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}
AGE_WEIGHTS = {
    AgeRange.TEN_17: 15,
    AgeRange.EIGHTEEN_24: 36,
    AgeRange.TWENTY_FIVE_34: 27,
    AgeRange.OVER_34: 22,
}
GROUNDS: dict[str, tuple[str, ...]] = {
    ObjectOfSearch.CONTROLLED_DRUGS: (
        "Strong smell of cannabis from the person and the car; he tried to push a bag under "
        "the seat when we approached.",
        "Seen by CCTV passing small packages to two people in a doorway and taking cash.",
        "Intelligence from a named source that he deals cocaine from this address; seen "
        "leaving with a rucksack and acting nervously.",
        "Found slumped in a car park with a rolled banknote and white powder on the dashboard.",
        "Smell of cannabis, rolling papers in plain view and a grinder in his open bag.",
        "Seen making several short visits to cars in the lay-by, typical of street dealing.",
    ),
    ObjectOfSearch.STOLEN_GOODS: (
        "Matched the description of a shoplifter given by store staff five minutes earlier; "
        "carrying a bag with security tags visible.",
        "Carrying new power tools late at night near a building site reported broken into.",
    ),
    ObjectOfSearch.OFFENSIVE_WEAPONS: (
        "Caller reported a man showing a knife outside the takeaway; he matches the "
        "description and kept his hand in his waistband.",
        "Seen by door staff with what looked like a blade before the fight started.",
    ),
    ObjectOfSearch.ARTICLE_THEFT: (
        "Trying car door handles along the street at 2am; carrying a screwdriver.",
    ),
    ObjectOfSearch.ARTICLE_DAMAGE: (
        "Fresh paint on his hands next to new graffiti; spray cans heard rattling in his bag.",
    ),
    ObjectOfSearch.PSYCHOACTIVE: (
        "Inhaling from a balloon with silver canisters on the ground around the group.",
    ),
    ObjectOfSearch.FIREARMS: (
        "Report of a shotgun being shown at a farm gate; he matches the description and the "
        "vehicle was seen leaving.",
    ),
}
LATER: dict[str, list[tuple[str, str, bool | None, str]]] = {
    # outcome at the time -> possible (kind, outcome, linked, reason) later
    Outcome.NFA: [
        (
            OutcomeUpdate.Kind.DRUG_ANALYSIS,
            Outcome.SUMMONS,
            True,
            "Lab analysis of the seized powder confirmed 2.1 g of cocaine.",
        ),
        (
            OutcomeUpdate.Kind.DRUG_ANALYSIS,
            Outcome.NFA,
            None,
            "Lab analysis found no controlled substance in the tablets seized.",
        ),
    ],
    Outcome.ARREST: [
        (
            OutcomeUpdate.Kind.LATER_CHARGE,
            Outcome.SUMMONS,
            True,
            "Charged with possession with intent to supply after interview.",
        ),
        (
            OutcomeUpdate.Kind.CAUTION,
            Outcome.CAUTION,
            True,
            "Admitted possession; conditional caution with a drug education condition.",
        ),
        (
            OutcomeUpdate.Kind.NO_FURTHER_ACTION,
            Outcome.NFA,
            None,
            "CPS advised insufficient evidence to charge.",
        ),
    ],
}
PERSON_GENDER: dict[str, str] = {Gender.MALE: SearchGender.MALE, Gender.FEMALE: SearchGender.FEMALE}
OPERATIONS = ("Operation Cadno", "Operation Tarian Lines", "Operation Gwennol")
STREET_OFFICERS = ("officer", "powys.officer")


@dataclass
class SeedResult:
    created: int
    skipped: int
    updated: int
    samples: int = 0
    reviews: int = 0


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _officers() -> dict[str, list[User]]:
    """The demo police users who may record searches, by county code they work in."""
    users = list(
        User.objects.filter(
            role_grants__role__in=list(POLICE_OPERATIONAL_ROLES),
            is_active=True,
            # Not the inspector: they review their county's searches, never their own.
            username__in=[
                "officer",
                "powys.officer",
                "custody.officer",
                "custody.sergeant",
                "intelligence",
            ],
        )
        .prefetch_related("counties", "role_grants")
        .distinct()
        .order_by("username")
    )
    by_county: dict[str, list[User]] = {code: [] for code in COUNTY_WEIGHTS}
    for user in users:
        codes = (
            set(COUNTY_WEIGHTS) if user.force_wide else {c.ons_code for c in user.counties.all()}
        )
        for code in codes & set(COUNTY_WEIGHTS):
            # Street officers do most of the searching where there are any.
            weight = 4 if user.username in STREET_OFFICERS else 1
            by_county[code].extend([user] * weight)
    return by_county


def _people(code: str) -> list[Person]:
    return list(
        Person.objects.filter(
            is_active=True,
            addresses__valid_to__isnull=True,
            addresses__county__ons_code=code,
            date_of_birth__isnull=False,
        )
        .distinct()
        .order_by("pk")[:60]
    )


def _searched_at(rng: random.Random, now: dt.datetime, days: int) -> dt.datetime:
    day = timezone.localdate(now) - dt.timedelta(days=rng.randint(1, days))
    # Most searches are in the evening and at night.
    hour = rng.choices(range(24), weights=[4, 3, 2, 1, 1, 1, 1, 1, 2, 2, 3, 3,
                                          3, 3, 4, 4, 5, 6, 7, 8, 8, 8, 7, 5])[0]  # fmt: skip
    naive = dt.datetime.combine(day, dt.time(hour, rng.randrange(0, 60, 5)))
    return timezone.make_aware(naive)


def _data(
    rng: random.Random, county: County, when: dt.datetime, person: Person | None
) -> services.SearchData:
    legislation, objects, _weight = rng.choices(POWERS, weights=[p[2] for p in POWERS])[0]
    obj = rng.choice(objects)
    search_type = rng.choices(
        [SearchType.PERSON, SearchType.PERSON_AND_VEHICLE, SearchType.VEHICLE],
        weights=[80, 15, 5],
    )[0]
    if person is not None:
        search_type = SearchType.PERSON
    outcome = _pick(rng, OUTCOME_WEIGHTS)
    if obj != ObjectOfSearch.CONTROLLED_DRUGS and outcome == Outcome.DRUGS_WARNING:
        outcome = Outcome.NFA
    town, _outwards = rng.choice(TOWNS[county.ons_code])
    ethnicity = _pick(rng, ETHNICITY_WEIGHTS)
    gender: str = rng.choices(
        [SearchGender.MALE, SearchGender.FEMALE, SearchGender.OTHER], weights=[88, 11, 1]
    )[0]
    age_range = _pick(rng, AGE_WEIGHTS)
    if person is not None:
        ethnicity = person.self_defined_ethnicity or ethnicity
        gender = PERSON_GENDER.get(person.gender, gender)
        if person.date_of_birth:
            born = person.date_of_birth
            today = when.date()
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            age_range = age_range_for(age)
    officer_ethnicity = OFFICER_ETHNICITY.get(ethnicity[0], "White")
    if ethnicity == "NS" or rng.random() < 0.03:  # perceptions do not always match
        officer_ethnicity = rng.choice(["White", "White", "White", "Mixed", "Asian"])
    operation = rng.random() < 0.08
    linked = None if outcome == Outcome.NFA else rng.random() < 0.8
    return services.SearchData(
        search_type=search_type,
        searched_at=when,
        place=f"{rng.choice(STREETS)}, {town}",
        county=county,
        legislation=legislation,
        object_of_search=obj,
        grounds=rng.choice(GROUNDS[obj]),
        gowisely_given=True,
        outcome=outcome,
        outcome_linked=linked,
        found=_found(rng, outcome, linked),
        person=person,
        vehicle_registration=(
            f"{rng.choice(['CU', 'CP', 'CA', 'CV', 'CN'])}{rng.randint(10, 74)} "
            f"{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(3))}"
            if search_type != SearchType.PERSON
            else ""
        ),
        gender=gender,
        age_range=age_range,
        self_defined_ethnicity=ethnicity,
        officer_defined_ethnicity=officer_ethnicity,
        removal_of_more_than_outer_clothing=rng.random() < 0.04,
        body_worn_video=f"BWV-{when:%y%m%d}-{rng.randint(1000, 9999)}"
        if rng.random() < 0.85
        else "",
        part_of_operation=operation,
        operation_name=rng.choice(OPERATIONS) if operation else "",
    )


def _found(rng: random.Random, outcome: str, linked: bool | None) -> str:
    """What the search found: the object when the outcome is linked to it; after no further
    action mostly nothing, sometimes a small find dealt with by words of advice."""
    if linked:
        return Found.OBJECT
    if outcome == Outcome.NFA:
        return rng.choices([Found.NOTHING, Found.OBJECT, Found.OTHER], weights=[85, 10, 5])[0]
    return rng.choice([Found.OTHER, Found.NOTHING])


def seed_stopsearch(count: int = 300, days: int = 120) -> SeedResult:
    """Create ``count`` demo searches over the last ``days`` days (idempotent by key), their
    later outcomes, the search of journey 4 (``journeys``), the samples of the months that
    have ended and their reviews."""
    _refuse_in_production()
    now = timezone.now()
    existing = set(
        StopSearch.objects.filter(idempotency_key__startswith=KEY).values_list(
            "idempotency_key", flat=True
        )
    )
    counties = {c.ons_code: c for c in County.objects.filter(ons_code__in=list(COUNTY_WEIGHTS))}
    officers = _officers()
    people = {code: _people(code) for code in counties}
    context = AuditContext.system("seed_stopsearch")
    result = SeedResult(created=0, skipped=0, updated=0)
    for i in range(count):
        key = f"{KEY}{i}"
        if key in existing:
            result.skipped += 1
            continue
        # One generator per search, so a skipped search does not shift the ones after it.
        rng = random.Random(SEED * 10_000 + i)  # noqa: S311 - demo data, not security
        code = _pick(rng, COUNTY_WEIGHTS)
        county = counties.get(code)
        candidates = officers.get(code) or []
        if county is None or not candidates:
            result.skipped += 1
            continue
        officer = rng.choice(candidates)
        when = _searched_at(rng, now, days)
        person = None
        if people[code] and rng.random() < 0.15:
            person = people[code][rng.randrange(len(people[code]))]
        data = _data(rng, county, when, person)
        # Recorded at the roadside or back at the station, within the next hour or two.
        recorded = min(when + dt.timedelta(minutes=rng.randint(10, 120)), now)
        with transaction.atomic():
            with travel(recorded):
                search, created = services.search_record(
                    context=context, actor=officer, data=data, idempotency_key=key
                )
            if not created:
                result.skipped += 1
                continue
            result.created += 1
            if _later_outcome(rng, search, officer, context, now):
                result.updated += 1
    if journey_search(now, context):
        result.created += 1
    else:
        result.skipped += 1
    result.samples, result.reviews = audit(now, context)
    return result


def _later_outcome(
    rng: random.Random, search: StopSearch, officer: User, context: AuditContext, now: Any
) -> bool:
    later = LATER.get(search.original_outcome)
    if not later or rng.random() >= (0.1 if search.original_outcome == Outcome.NFA else 0.35):
        return False
    kind, outcome, linked, reason = rng.choice(later)
    decided = timezone.localtime(search.searched_at).date() + dt.timedelta(days=rng.randint(7, 40))
    moment = at(decided, 11, rng.randrange(0, 60, 5))
    if moment > now:
        return False
    with travel(moment):
        services.outcome_update(
            context=context,
            actor=officer,
            search_id=search.pk,
            expected_version=search.version,
            kind=kind,
            outcome=outcome,
            linked_to_object=linked,
            decided_on=decided,
            reason=reason,
        )
    return True
