"""Demo custody records: six months of detentions at the Dyfed-Powys suites that feed the
custody funnel (demo and tests only, never production).

Everything goes through the real services at the moment it would have happened
(``time_machine.travel(moment, tick=False)``): the custody staff of the suite's county book
the detainee (a demo person living in that county), warn, request and record the test, and
require the assessment after a positive one (the referral to the provider is made by
``assessment_impose``); the provider's worker accepts the referral and records attendance on
it through the referrals services, so a failure to attend or remain opens the police's task
(the attendance listener); the assessor decides on a follow-up; some treatment starts are
recorded; the custody sergeant decides most failures (prosecute or no further action).

The demo accounts have custody staff in Carmarthenshire and Pembrokeshire only; the suites
of Ceredigion and Powys are worked by two seeding accounts made here
(``aberystwyth.sergeant``, ``brecon.sergeant``: no password, they cannot sign in), so that
the Ceredigion demo inspector's funnel has figures. Newtown is not notified (PACE
s63B(1)(c)), so its detainees are booked and never tested.

Idempotent: each record's custody number is its demo key (``DEMO/<suite>/<n>``); a number
already booked is skipped, so seeding again makes nothing twice. The random choices are
seeded, so every run plans the same records.

The records a tester walks by hand (``WALK``): a detainee booked today at Llanelli waiting
for the test; a sergeant's request for an authorisation (a non-trigger offence) waiting for
the demo inspector; an open failure-to-attend task.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import PROVIDER_ROLES, Role
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.core.working_days import is_working_day
from pontio.custody import printing, services
from pontio.custody.models import BreachTask, CustodyRecord, CustodySuite, Offence
from pontio.people.models import Person
from pontio.referrals import services as referral_services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Appointment, ClinicalRecord, Referral, Status

SEED = 12
CONTEXT = AuditContext.system("seed_custody")
PREFIX = "DEMO/"
# Suites and their share of detentions (Llanelli and Haverfordwest are the busiest).
SUITE_WEIGHTS = {
    "LLANELLI": 28,
    "HAVERFORDWEST": 22,
    "AMMANFORD": 12,
    "ABERYSTWYTH": 16,
    "BRECON": 14,
    "NEWTOWN": 8,
}
TRIGGER = ("TA1968_S1", "TA1968_S1", "TA1968_S9", "TA1968_S22", "FA2006_S1", "TA1968_S25")
NOT_TRIGGER = ("CJA1988_S39", "CDA1971_S1")
PLACES = {
    "W06000010": "Dyfed Drug and Alcohol Service, 1 Stepney Street, Llanelli",
    "W06000009": "Dyfed Drug and Alcohol Service, Haverfordwest",
    "W06000008": "Dyfed Drug and Alcohol Service, Aberystwyth",
    "W06000023": "Kaleidoscope, Brecon",
}
SEEDING_STAFF = (
    ("aberystwyth.sergeant", "Elin", "Jenkins", "W06000008", "PS 802"),
    ("brecon.sergeant", "Iwan", "Powell", "W06000023", "PS 915"),
)


@dataclass
class SeedResult:
    created: int = 0
    skipped: int = 0
    tested: int = 0
    assessments: int = 0
    failures: int = 0
    refused: int = 0  # a step a service refused (the plan met a rule): counted, not fatal
    walk: list[tuple[str, str]] = field(default_factory=list)


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


def travel(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def _working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _seeding_staff() -> None:
    """The custody sergeants of Ceredigion and Powys the seed books with (made once)."""
    from pontio.accounts.services import UserData, user_create

    admin = User.objects.filter(username="admin").first()
    force = Organisation.objects.filter(name="Dyfed-Powys Police").first()
    if admin is None or force is None:
        return
    for username, first, last, county, number in SEEDING_STAFF:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            context=CONTEXT,
            actor=admin,
            data=UserData(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.pontio.invalid",
                organisation=force,
                roles=[Role.CUSTODY_SERGEANT],
                force_wide=False,
                counties=list(County.objects.filter(ons_code=county)),
                staff_number=number,
            ),
            invite=False,
        )


def _staff_by_county() -> dict[int, list[User]]:
    staff: dict[int, list[User]] = {}
    users = (
        User.objects.filter(
            is_active=True, role_grants__role__in=[Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT]
        )
        .prefetch_related("counties", "role_grants")
        .distinct()
        .order_by("username")
    )
    for user in users:
        for county_id in user.county_ids:
            staff.setdefault(county_id, []).append(user)
    return staff


def _sergeant(staff: list[User]) -> User:
    return next((u for u in staff if u.has_role(Role.CUSTODY_SERGEANT)), staff[0])


def _people(county_id: int, actor: User) -> list[Person]:
    """Adults living in the county that the custody staff may see."""
    return list(
        restrict(Person.objects.filter(is_active=True), actor, "view")
        .filter(
            addresses__county_id=county_id,
            addresses__valid_to__isnull=True,
            date_of_birth__isnull=False,
            date_of_birth__lte=timezone.localdate() - dt.timedelta(days=19 * 366),
        )
        .distinct()
        .order_by("pk")
    )


def _contact(person: Person) -> ContactRoute:
    phone = person.phones.filter(is_current=True).first()
    address = person.addresses.filter(valid_to__isnull=True).first()
    return ContactRoute(
        phone=phone.number if phone else "",
        address_line_1=address.line_1 if address else "",
        address_town=address.town if address else "",
        address_postcode=address.postcode if address else "",
        channels=["phone", "letter"] if phone else ["letter"],
    )


def _worker(referral: Referral, staff: dict[int, list[User]]) -> User | None:
    """The provider's worker whose scope holds the referral (a caseworker first)."""
    for user in staff.get(referral.provider_id or 0, []):
        if restrict(Referral.objects.filter(pk=referral.pk), user, "change").exists():
            return user
    return None


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
    for users_of in staff.values():
        users_of.sort(key=lambda u: (u.has_role(Role.PROVIDER_MANAGER), u.username))
    return staff


def _version(record: CustodyRecord) -> int:
    return CustodyRecord.objects.values_list("version", flat=True).get(pk=record.pk)


@dataclass
class Plan:
    number: str
    suite: str
    arrested_at: dt.datetime
    offence: str
    test: str  # "none", "refused", or a result
    attendance: str = ""  # "attended", "dna", "left_early"
    followup: str = ""  # "", "not_required", "attended", "dna", "left_early"
    treatment: bool = False
    decision: str = ""  # "", "prosecute", "nfa"


def plans(count: int, now: dt.datetime, days: int = 182) -> list[Plan]:
    rng = random.Random(SEED)  # noqa: S311 - demo data
    suites = list(SUITE_WEIGHTS)
    made = []
    for i in range(count):
        suite = rng.choices(suites, weights=list(SUITE_WEIGHTS.values()))[0]
        day = (now - dt.timedelta(days=rng.randint(1, days))).date()
        arrested_at = _at(day, rng.choice((1, 3, 10, 14, 17, 19, 21, 23)), rng.randrange(60))
        trigger = rng.random() < 0.6
        offence = rng.choice(TRIGGER if trigger else NOT_TRIGGER)
        test = "none"
        if trigger and suite != "NEWTOWN":
            roll = rng.random()
            if roll < 0.07:
                test = "refused"
            elif roll < 0.92:
                test = rng.choices(
                    ("opiates", "cocaine", "both", "negative"), weights=(18, 30, 12, 40)
                )[0]
        plan = Plan(f"{PREFIX}{suite[:3]}/{i:04d}", suite, arrested_at, offence, test)
        if test in ("opiates", "cocaine", "both"):
            plan.attendance = rng.choices(("attended", "dna", "left_early"), weights=(75, 17, 8))[0]
            if plan.attendance == "attended":
                plan.followup = rng.choices(
                    ("not_required", "attended", "dna", "left_early"), weights=(50, 38, 9, 3)
                )[0]
                plan.treatment = rng.random() < 0.45
            if plan.attendance != "attended" or plan.followup in ("dna", "left_early"):
                plan.decision = rng.choices(("prosecute", "nfa", ""), weights=(50, 30, 20))[0]
        made.append(plan)
    return made


def _attend(
    worker: User, appointment_id: int, attendance: str, at: dt.datetime, result: SeedResult
) -> bool:
    appointment = Appointment.objects.get(pk=appointment_id)
    try:
        with travel(at):
            referral_services.appointment_record_attendance(
                context=CONTEXT,
                actor=worker,
                appointment_id=appointment.pk,
                expected_version=appointment.version,
                attendance=attendance,
            )
    except (ValidationError, PermissionDenied):
        result.refused += 1
        return False
    return True


def _work(
    plan: Plan,
    record: CustodyRecord,
    actor: User,
    now: dt.datetime,
    providers: dict[int, list[User]],
    result: SeedResult,
) -> None:
    """The test and what follows it, each at its moment (stopping at ``now``)."""
    booked = plan.arrested_at + dt.timedelta(minutes=40)
    with travel(booked + dt.timedelta(minutes=20)):
        services.test_request(
            context=CONTEXT,
            actor=actor,
            record_id=record.pk,
            expected_version=_version(record),
            stage="arrest",
            warning_given=True,
        )
    sampled = booked + dt.timedelta(minutes=35)
    with travel(sampled):
        services.test_outcome(
            context=CONTEXT,
            actor=actor,
            record_id=record.pk,
            expected_version=_version(record),
            outcome="refused" if plan.test == "refused" else "sample_taken",
        )
    if plan.test == "refused":
        return
    result.tested += 1
    with travel(sampled + dt.timedelta(minutes=10)):
        services.test_result(
            context=CONTEXT,
            actor=actor,
            record_id=record.pk,
            expected_version=_version(record),
            result=plan.test,
        )
    if not plan.attendance:
        return
    imposed = sampled + dt.timedelta(minutes=30)
    county = record.suite.county
    appointment_day = _working_day(timezone.localtime(imposed).date() + dt.timedelta(days=3))
    with travel(imposed):
        person = record.person
        assessment = services.assessment_impose(
            context=CONTEXT,
            actor=actor,
            record_id=record.pk,
            expected_version=_version(record),
            appointment_at=_at(appointment_day, 10),
            appointment_place=PLACES.get(county.ons_code, PLACES["W06000010"]),
            contact=_contact(person),
            consent_given=True,
        )
    result.assessments += 1
    referral = assessment.referral
    if referral is None:
        return
    worker = _worker(referral, providers)
    first = _at(appointment_day, 12)
    if worker is None or first > now:
        return
    with travel(imposed + dt.timedelta(hours=20)):
        referral_services.referral_transition(
            context=CONTEXT,
            actor=worker,
            referral_id=referral.pk,
            expected_version=referral.version,
            to_status=Status.ACCEPTED,
        )
    if not _attend(worker, assessment.appointment_id or 0, plan.attendance, first, result):
        return
    if plan.attendance != "attended":
        result.failures += 1
        _decide(plan, assessment.pk, actor, first, now)
        return
    assessment.refresh_from_db()
    follow_day = _working_day(appointment_day + dt.timedelta(days=14))
    with travel(first + dt.timedelta(hours=1)):
        services.assessment_followup(
            context=CONTEXT,
            actor=worker,
            assessment_id=assessment.pk,
            expected_version=assessment.version,
            required=plan.followup != "not_required",
            appointment_at=_at(follow_day, 11) if plan.followup != "not_required" else None,
            appointment_place=PLACES.get(county.ons_code, PLACES["W06000010"]),
        )
    if plan.treatment:
        for kind, on in (
            (ClinicalRecord.Kind.ASSESSMENT, appointment_day),
            (ClinicalRecord.Kind.TREATMENT_START, appointment_day + dt.timedelta(days=9)),
        ):
            moment = _at(on, 16)
            if moment > now:
                break
            with travel(moment):
                referral_services.clinical_record_add(
                    context=CONTEXT, actor=worker, referral_id=referral.pk, kind=kind, on=on
                )
    if plan.followup == "not_required" or _at(follow_day, 13) > now:
        return
    assessment.refresh_from_db()
    attended = {"attended": "attended", "dna": "dna", "left_early": "left_early"}[plan.followup]
    moment = _at(follow_day, 13)
    if (
        _attend(worker, assessment.appointment_id or 0, attended, moment, result)
        and plan.followup != "attended"
    ):
        result.failures += 1
        _decide(plan, assessment.pk, actor, moment, now)


def _decide(
    plan: Plan, assessment_id: int, actor: User, failed_at: dt.datetime, now: dt.datetime
) -> None:
    moment = failed_at + dt.timedelta(days=2)
    if not plan.decision or moment > now:
        return
    task = BreachTask.objects.filter(assessment_id=assessment_id, decision="").first()
    if task is None:
        return
    with travel(moment):
        services.breach_decide(
            context=CONTEXT,
            actor=actor,
            task_id=task.pk,
            expected_version=task.version,
            decision=plan.decision,
            reason=(
                "Evidence complete; no reasonable excuse given"
                if plan.decision == "prosecute"
                else "Reasonable excuse: in hospital on the day"
            ),
        )


def _book(
    plan: Plan, actor: User, person: Person, offences: dict[str, Offence], suites: dict[str, Any]
) -> CustodyRecord:
    with travel(plan.arrested_at + dt.timedelta(minutes=40)):
        return services.custody_book(
            context=CONTEXT,
            actor=actor,
            data=services.BookingData(
                custody_number=plan.number,
                suite=suites[plan.suite],
                arrested_at=plan.arrested_at,
                offences=[services.OffenceEntry(offences[plan.offence])],
            ),
            person_id=person.pk,
        )


def seed_custody(count: int = 320) -> SeedResult:
    """Plan ``count`` detentions over six months and make those not yet booked."""
    _refuse_in_production()
    result = SeedResult()
    _seeding_staff()
    now = timezone.now()
    staff = _staff_by_county()
    providers = _provider_staff()
    suites = {s.code: s for s in CustodySuite.objects.all()}
    offences = {o.code: o for o in Offence.objects.all()}
    existing = set(
        CustodyRecord.objects.filter(custody_number__startswith=PREFIX).values_list(
            "custody_number", flat=True
        )
    )
    people: dict[int, list[Person]] = {}
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data
    # Six months of notices are kept as their values and drawn when first downloaded
    # (``printing.deferred_rendering``); the walk's records below are drawn as given.
    with printing.deferred_rendering():
        for plan in plans(count, now):
            suite = suites.get(plan.suite)
            if suite is None or plan.number in existing:
                result.skipped += 1
                continue
            county_staff = staff.get(suite.county_id, [])
            if not county_staff:
                result.skipped += 1
                continue
            actor = rng.choice(county_staff)
            sergeant = _sergeant(county_staff)
            if suite.county_id not in people:
                people[suite.county_id] = _people(suite.county_id, actor)
            candidates = people[suite.county_id]
            if not candidates:
                result.skipped += 1
                continue
            person = rng.choice(candidates)
            try:
                record = _book(plan, actor, person, offences, suites)
            except (ValidationError, PermissionDenied):
                result.refused += 1
                continue
            result.created += 1
            if plan.test == "none":
                continue
            try:
                _work(plan, record, sergeant if plan.attendance else actor, now, providers, result)
            except (ValidationError, PermissionDenied):
                result.refused += 1
    result.walk = seed_walk(now, staff, suites, offences)
    return result


WALK_TODAY = f"{PREFIX}LLA/TODAY"
WALK_AUTHORISATION = f"{PREFIX}LLA/AUTH"


def seed_walk(
    now: dt.datetime,
    staff: dict[int, list[User]],
    suites: dict[str, CustodySuite],
    offences: dict[str, Offence],
) -> list[tuple[str, str]]:
    """The records a tester walks by hand, once each; (what, custody number)."""
    llanelli = suites.get("LLANELLI")
    sergeant = User.objects.filter(username="custody.sergeant").first()
    inspector = User.objects.filter(username="inspector").first()
    if llanelli is None or sergeant is None:
        return []
    people = _people(llanelli.county_id, sergeant)
    walk: list[tuple[str, str]] = []
    if people and not CustodyRecord.objects.filter(custody_number=WALK_TODAY).exists():
        with travel(now - dt.timedelta(minutes=50)):
            services.custody_book(
                context=CONTEXT,
                actor=sergeant,
                data=services.BookingData(
                    custody_number=WALK_TODAY,
                    suite=llanelli,
                    arrested_at=now - dt.timedelta(hours=1, minutes=30),
                    offences=[services.OffenceEntry(offences["TA1968_S1"])],
                ),
                person_id=people[0].pk,
            )
    walk.append(("A detainee booked today at Llanelli, waiting for the test", WALK_TODAY))
    if (
        len(people) > 1
        and inspector is not None
        and not CustodyRecord.objects.filter(custody_number=WALK_AUTHORISATION).exists()
    ):
        with travel(now - dt.timedelta(minutes=40)):
            record = services.custody_book(
                context=CONTEXT,
                actor=sergeant,
                data=services.BookingData(
                    custody_number=WALK_AUTHORISATION,
                    suite=llanelli,
                    arrested_at=now - dt.timedelta(hours=2),
                    offences=[services.OffenceEntry(offences["CJA1988_S39"])],
                ),
                person_id=people[1].pk,
            )
        with travel(now - dt.timedelta(minutes=30)):
            services.authorisation_request(
                context=CONTEXT,
                actor=sergeant,
                record_id=record.pk,
                expected_version=_version(record),
                stage="arrest",
                inspector=inspector,
                note="Assault while under the influence; says he uses heroin daily.",
            )
    walk.append(("An authorisation waiting for the demo inspector", WALK_AUTHORISATION))
    task = (
        BreachTask.objects.filter(
            decision="", assessment__record__custody_number__startswith=PREFIX
        )
        .select_related("assessment__record")
        .order_by("due_on", "pk")
        .first()
    )
    if task is not None:
        walk.append(("An open failure-to-attend task", task.assessment.record.custody_number))
    return walk
