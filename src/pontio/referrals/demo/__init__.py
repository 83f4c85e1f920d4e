"""Demo referrals: six months of realistic work across the force area (demo and tests only).

Every referral is made and worked through the real services and the real lifecycle
(``referral_create``, ``referral_mark_received``, ``referral_transition``,
``contact_attempt_add``, ``appointment_book``, ``appointment_record_attendance``,
``clinical_record_add``, ``top_record``, ``referral_allocate``), each call inside
``time_machine.travel(moment, tick=False)`` so that every record, event and audit entry
carries the moment it happened. The police refer the people their scope lets them see; the
provider's worker is one whose scope holds the referral.

Each referral follows a scenario chosen for it (new, received, accepted, in progress, on
hold, rejected, completed, failed, cancelled), with a sent date that leaves the scenario
time to happen: most are received and accepted, a few rejected; first contact within days,
assessment and treatment start for most, Treatment Outcomes Profiles at start, review and
exit, closures with the Welsh national reasons, police withdrawals. The first referrals take
every scenario in turn, so every lifecycle status is in the demo.

Running the seed again adds nothing: each referral is sent with its own idempotency key, and
the service answers a repeated key with the referral already made.

The journeys of ../shared/JOURNEYS.md need a few referrals a tester can find by name
(``JOURNEY_REFERRALS``): the officer's new referrals of Gethin Rowlands (Llanelli) and Megan
Harries (Carmarthen), sent the working day before the demo was loaded, wait in the DDAS
caseworker's inbox and on her home page (journey 2); the Kaleidoscope caseworker tries to
open Gethin Rowlands's by its address and through the API and is told "not found"
(journey 13). The seed command prints their references.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import suppress
from dataclasses import dataclass

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, REFERRING_ROLES, Role
from pontio.audit.services import AuditContext
from pontio.core.scopes import restrict
from pontio.core.working_days import is_working_day
from pontio.directory.models import Substance
from pontio.people.demo import _refuse_in_production
from pontio.people.models import Person
from pontio.referrals import services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.demo.scenarios import (
    ENDS,
    KEY,
    PATHWAY_WEIGHTS,
    REASONS,
    SCENARIOS,
    SEED,
    SUBSTANCES,
    TOP_MAIN,
)
from pontio.referrals.demo.walk import Later, Walk, walk_through
from pontio.referrals.models import Pathway, Referral

__all__ = [
    "ENDS",
    "JOURNEY_KEY",
    "JOURNEY_REFERRALS",
    "KEY",
    "SCENARIOS",
    "SeedResult",
    "seed_journeys",
    "seed_referrals",
]


@dataclass
class SeedResult:
    created: int
    skipped: int
    # The journeys' referrals: (journey, reference, address), to walk them by hand.
    journeys: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class JourneyReferral:
    key: str
    given: str
    family: str
    dob: dt.date
    pathway: str
    substances: tuple[str, ...]
    reason: str
    journeys: str


JOURNEY_KEY = "demo-journey-"
JOURNEY_REFERRALS: tuple[JourneyReferral, ...] = (
    JourneyReferral(
        "rowlands",
        "Gethin",
        "Rowlands",
        dt.date(1987, 11, 21),
        Pathway.TEST_ON_ARREST,
        ("cocaine",),
        "Tested positive for cocaine on arrest for shoplifting; agreed to see a worker.",
        "2 and 13",
    ),
    JourneyReferral(
        "harries",
        "Megan",
        "Harries",
        dt.date(1995, 6, 9),
        Pathway.VOLUNTARY,
        ("alcohol",),
        "Welfare check after a call from her sister; drinking daily and wants help.",
        "2",
    ),
)


def _working_day_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _referrers() -> list[User]:
    return list(
        User.objects.filter(role_grants__role__in=list(REFERRING_ROLES), is_active=True)
        .prefetch_related("counties", "role_grants")
        .distinct()
        .order_by("username")
    )


def _provider_staff() -> dict[int, list[User]]:
    staff: dict[int, list[User]] = {}
    users = (
        User.objects.filter(role_grants__role__in=list(PROVIDER_ROLES), is_active=True)
        .prefetch_related("counties", "role_grants")
        .distinct()
        .order_by("username")
    )
    for user in users:
        if user.organisation_id is not None:
            staff.setdefault(user.organisation_id, []).append(user)
    return staff


def _worker_for(staff: list[User], county_id: int) -> tuple[User | None, User | None]:
    """The provider's worker for a referral in the county (a caseworker or navigator whose
    area holds it, else a manager), and the manager who allocates it."""
    managers = [u for u in staff if u.has_role(Role.PROVIDER_MANAGER)]
    workers = [
        u
        for u in staff
        if not u.has_role(Role.PROVIDER_MANAGER) and (u.force_wide or county_id in u.county_ids)
    ]
    manager = managers[0] if managers else None
    return (workers[0] if workers else manager), manager


def _contact(person: Person) -> tuple[ContactRoute, int]:
    """The person's current phone and address, as the officer would confirm them."""
    phone = person.phones.filter(is_current=True).first()
    address = (
        person.addresses.filter(valid_to__isnull=True, county__isnull=False)
        .select_related("county")
        .defer("county__boundary")
        .first()
    )
    route = ContactRoute(
        phone=phone.number if phone else "",
        address_line_1=address.line_1 if address else "",
        address_line_2=address.line_2 if address else "",
        address_town=address.town if address else "",
        address_postcode=address.postcode if address else "",
        channels=["phone", "letter"] if phone else ["letter"],
    )
    return route, address.county_id if address and address.county_id else 0


def _send(
    context: AuditContext,
    officer: User,
    person_id: int,
    data: services.ReferralData,
    key: str,
    sent_at: dt.datetime,
) -> Referral | None:
    """Send the referral at ``sent_at``; None when it was sent already (the key is known) or
    can no longer be (the person is out of the officer's scope, the key was used for another
    referral)."""
    try:
        with time_machine.travel(sent_at, tick=False):
            referral, made = services.referral_create(
                context=context, actor=officer, person_id=person_id, data=data, idempotency_key=key
            )
    except (PermissionDenied, ValidationError):
        return None
    return referral if made else None


def _scenario(i: int, rng: random.Random) -> str:
    names = list(SCENARIOS)
    if i < len(names):
        return names[i]
    return rng.choices(names, weights=[w for w, _days in SCENARIOS.values()])[0]


def seed_journeys(
    context: AuditContext, now: dt.datetime
) -> tuple[int, int, list[tuple[JourneyReferral, Referral]]]:
    """The journeys' referrals (``JOURNEY_REFERRALS``), sent by the demo officer at 10:15 on
    the working day before ``now``, once each; (created, skipped, the referrals)."""
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        return 0, 0, []
    substances = {s.code: s for s in Substance.objects.all()}
    day = _working_day_before(timezone.localtime(now).date() - dt.timedelta(days=1))
    sent_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 15)))
    created = skipped = 0
    found: list[tuple[JourneyReferral, Referral]] = []
    for spec in JOURNEY_REFERRALS:
        key = f"{JOURNEY_KEY}{spec.key}"
        already = services.referral_sent_with(officer, key)
        if already is not None:
            skipped += 1
            found.append((spec, already))
            continue
        person = (
            restrict(Person.objects.filter(is_active=True), officer, "view")
            .filter(given_name=spec.given, family_name=spec.family, date_of_birth=spec.dob)
            .first()
        )
        if person is None:  # the journey people were not seeded (people.demo)
            continue
        route, _county = _contact(person)
        data = services.ReferralData(
            pathway=spec.pathway,
            reason=spec.reason,
            substances=tuple(substances[c] for c in spec.substances if c in substances),
            consent_given=True,
            preferred_language=person.preferred_language,
            contact=route,
            contact_times="Mornings",
        )
        referral = _send(context, officer, person.pk, data, key, sent_at)
        if referral is not None:
            created += 1
            found.append((spec, referral))
    return created, skipped, found


def seed_referrals(count: int = 140, days: int = 180) -> SeedResult:
    """Make ``count`` demo referrals over the last ``days`` days through the services
    (idempotent: each is sent with its own key)."""
    _refuse_in_production()
    now = timezone.now()
    today = timezone.localtime(now).date()
    referrers = _referrers()
    # Who may refer whom: the people each officer's scope lets them see.
    visible = {
        officer.pk: set(
            restrict(Person.objects.filter(is_active=True), officer, "view").values_list(
                "pk", flat=True
            )
        )
        for officer in referrers
    }
    people = list(
        Person.objects.filter(pk__in=set().union(*visible.values())).order_by("pk")[: count * 2]
    )
    staff = _provider_staff()
    substances = {s.code: s for s in Substance.objects.all()}
    context = AuditContext.system("seed_referrals")
    created = skipped = 0
    for i in range(count):
        rng = random.Random(SEED * 10_000 + i)  # noqa: S311 - demo data, not security
        if not people:
            skipped += 1
            continue
        scenario = _scenario(i, rng)
        person = people[rng.randrange(len(people))]
        officers = [o for o in referrers if person.pk in visible[o.pk]]
        officer = rng.choice(officers)
        key = f"{KEY}{i}"
        if services.referral_sent_with(officer, key) is not None:
            skipped += 1  # made by an earlier run (the service's own idempotency lookup)
            continue
        pathway = rng.choices(list(PATHWAY_WEIGHTS), weights=list(PATHWAY_WEIGHTS.values()))[0]
        wanted = tuple(substances[c] for c in SUBSTANCES[pathway] if c in substances)
        low, high = SCENARIOS[scenario][1]
        sent = _working_day_before(today - dt.timedelta(days=rng.randint(low, min(high, days))))
        route, county_id = _contact(person)
        consent = rng.random() > 0.1
        data = services.ReferralData(
            pathway=pathway,
            reason=REASONS[pathway],
            substances=wanted,
            consent_given=consent,
            lawful_basis="" if consent else "law_enforcement",
            policy_reference="" if consent else "DPP-ISP-SM-2024",
            preferred_language=person.preferred_language,
            contact=route,
            contact_times=rng.choice(["Mornings", "After 2pm", "Any time", ""]),
        )
        sent_at = timezone.make_aware(
            dt.datetime.combine(sent, dt.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45))))
        )
        main = next(
            (TOP_MAIN[s.code] for s in wanted if s.code in TOP_MAIN),
            "alcohol" if "alcohol" in SUBSTANCES[pathway] else "other",
        )
        with transaction.atomic():
            referral = _send(context, officer, person.pk, data, key, sent_at)
            if referral is None:
                skipped += 1
                continue
            worker, manager = _worker_for(staff.get(referral.provider_id, []), county_id)
            if worker is not None:
                walk = Walk(referral, officer, worker, manager, context, rng, now, main)
                with suppress(Later):
                    walk_through(walk, scenario, plain=i < len(SCENARIOS))
        created += 1
    made, known, journeys = seed_journeys(context, now)
    return SeedResult(
        created=created + made,
        skipped=skipped + known,
        journeys=tuple(
            (spec.journeys, r.reference, reverse("referrals:detail", args=[r.pk]))
            for spec, r in journeys
        ),
    )
