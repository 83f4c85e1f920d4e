"""Demo out-of-court disposals and diversion contracts (demo and tests only, never production).

A year of decisions at the four counties, made through the real services at the moment
they would have happened (``time_machine.travel(moment, tick=False)``), so every record,
event, due date and audit entry is dated as in real life:

- an officer of the county records the offence, its gravity score and the victim's views,
  and decides: mostly what the matrix recommends (a community resolution for a 1, an adult
  conditional caution for a 2), some a charge or no further action; a sergeant or inspector
  of the county authorises the disposal; the person signs the agreement;
- the conditions: apologies, repairs and compensation recorded by the police; drug or
  alcohol conditions that refer the person to the county's provider, and diversion scheme
  conditions that refer them to Pobl's navigators (the referral and the contract are made
  with the condition: no second form);
- the navigator assesses the nine pathways, agrees a four-month contract with "no
  reoffending" and up to four more conditions, reviews progress, and closes it: mostly
  completed with lower end scores, some failed (the failure route), some declined;
- about a quarter of the people come back with a later disposal, so reoffending within 12
  months can be counted for the diversion group and the comparison group;
- the scrutiny panel's sample of the last quarter that has ended is drawn and assigned to
  the demo panel member.

What a tester walks by hand: the demo navigator's caseload holds contracts in every state,
some with a review due this week and some overdue; the demo custody sergeant has disposals
waiting for authorisation; the demo panel member has the last quarter's sample to review.

Idempotent: each disposal's crime number is its demo key (``DEMO/OOCD/<n>``); a key already
recorded is skipped, so seeding again makes nothing twice. The random choices are seeded, so
every run plans the same records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.people.models import Person

SEED = 16
KEY = "DEMO/OOCD/"
CONTEXT = AuditContext.system("seed_disposals")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
# The counties' share of decisions (Carmarthenshire, the largest, the most).
COUNTY_WEIGHTS = {CARMS: 34, PEMBS: 24, CERED: 18, POWYS: 24}
# Offences (gravity matrix codes) and how often each is dealt with out of court.
OFFENCE_WEIGHTS = {
    "cannabis_possession": 22,
    "shoplifting": 16,
    "public_order_s5": 8,
    "class_a_possession": 12,
    "class_b_possession": 6,
    "theft_other": 8,
    "criminal_damage": 9,
    "common_assault": 7,
    "public_order_s4": 4,
    "fraud_minor": 3,
    "class_b_supply": 2,
    "assault_abh": 2,
    "bladed_article": 1,
}
AGGRAVATING = ("agg_previous", "agg_vulnerable_victim", "agg_on_bail", "agg_planned")
MITIGATING = ("mit_remorse", "mit_single", "mit_minor_loss", "mit_health")
DRUG_OFFENCES = frozenset(
    {"cannabis_possession", "class_a_possession", "class_b_possession", "class_b_supply"}
)
VICTIMLESS = DRUG_OFFENCES | {"public_order_s5", "bladed_article"}
# A later disposal comes back for about one person in four.
REPEAT_SHARE = 0.25
DAYS = 365


@dataclass
class Plan:
    """One demo decision, drawn before anything is made (so every run draws the same)."""

    number: int
    county: str
    decided_at: dt.datetime
    offence: str
    factors: list[str]
    admission: str
    victim_views: str
    # "follow" (the recommendation), "charge", "nfa", or "caution" (a conditional caution
    # where the matrix said a community resolution, with the officer's rationale).
    decision: str
    # What the conditions ask (ConditionCategory values); empty without a disposal.
    conditions: list[str] = field(default_factory=list)
    # "awaiting" (left for the sergeant), "unsigned", "running", "complied", "breached".
    progress: str = "complied"
    # For a diversion scheme condition: "referred", "active", "completed", "failed",
    # "declined".
    contract: str = ""
    # The index of the person (plans sharing one are the same person coming back).
    person: int = 0

    @property
    def key(self) -> str:
        return f"{KEY}{self.number:04d}"


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


def travel(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _conditions(rng: random.Random, plan: Plan, caution: bool) -> list[str]:
    """A disposal's conditions: a drug offence's a rehabilitative one that refers the person
    (the diversion scheme for most conditional cautions), a victim's a reparative one."""
    chosen: list[str] = []
    if caution:
        if plan.offence in DRUG_OFFENCES or rng.random() < 0.45:
            chosen.append("diversion_scheme" if rng.random() < 0.6 else "drug_treatment")
        if plan.victim_views != "no_victim":
            chosen.append(rng.choice(("compensation", "apology", "unpaid_work")))
        if rng.random() < 0.15:
            chosen.append("keep_away")
        if not chosen:
            chosen.append("attendance")
    else:
        if plan.offence in DRUG_OFFENCES:
            chosen.append("drug_awareness")
        elif plan.victim_views != "no_victim":
            chosen.append(rng.choice(("apology", "repair", "compensation")))
        else:
            chosen.append("drug_awareness" if rng.random() < 0.5 else "attendance")
    return chosen


def _progress(rng: random.Random, age_days: int, compliance_days: int) -> str:
    """How far the disposal has got, by how long ago it was decided."""
    if age_days < 6:
        return "awaiting" if rng.random() < 0.7 else "unsigned"
    if age_days < compliance_days:
        return "running"
    return "breached" if rng.random() < 0.14 else "complied"


def _contract(rng: random.Random, age_days: int) -> str:
    """A diversion contract's state by its age (four months to run, a week to start)."""
    if age_days < 10:
        return "referred"
    if rng.random() < 0.1:
        return "declined"
    if age_days < 130:
        return "active"
    return "failed" if rng.random() < 0.2 else "completed"


def plans(count: int, now: dt.datetime, days: int = DAYS) -> list[Plan]:
    """``count`` decisions over the ``days`` before ``now``, oldest first, each with its
    person: a new one, or (``REPEAT_SHARE``) someone of the county seen before."""
    rng = random.Random(SEED)  # noqa: S311 - demo data
    moments = sorted(
        now - dt.timedelta(days=rng.uniform(0.2, days), minutes=rng.randrange(600))
        for _ in range(count)
    )
    made: list[Plan] = []
    seen: dict[str, list[int]] = {}
    people = 0
    for number, moment in enumerate(moments, start=1):
        county = _weighted(rng, COUNTY_WEIGHTS)
        offence = _weighted(rng, OFFENCE_WEIGHTS)
        factors: list[str] = []
        if rng.random() < 0.25:
            factors.append(rng.choice(AGGRAVATING))
        if rng.random() < 0.35:
            factors.append(rng.choice(MITIGATING))
        admission = rng.choices(("admitted", "no_reply", "denied"), weights=(88, 7, 5))[0]
        if offence in VICTIMLESS:
            victim = "no_victim"
        else:
            victim = rng.choices(("recorded", "not_obtained"), weights=(85, 15))[0]
        decision = rng.choices(("follow", "charge", "nfa", "caution"), weights=(78, 8, 7, 7))[0]
        if admission == "denied":
            decision = rng.choice(("charge", "nfa"))
        plan = Plan(number, county, moment, offence, factors, admission, victim, decision)
        earlier = seen.setdefault(county, [])
        if earlier and rng.random() < REPEAT_SHARE:
            plan.person = rng.choice(earlier)
        else:
            plan.person = people
            people += 1
            earlier.append(plan.person)
        age = (now - moment).days
        if decision in ("follow", "caution"):
            plan.progress = _progress(rng, age, 16 * 7)
            # The conditions are fixed here; whether it is a caution is known once the
            # score is (``caution`` below), so both lists are drawn to keep runs stable.
            plan.conditions = _conditions(rng, plan, caution=True)
            lower = _conditions(rng, plan, caution=False)
            plan.contract = _contract(rng, age) if "diversion_scheme" in plan.conditions else ""
            if plan.contract == "failed":
                plan.progress = "breached"
            score = _base_score(offence, factors)
            if decision == "follow" and score >= 3:
                plan.conditions, plan.contract, plan.progress = [], "", "complied"
            elif decision == "follow" and score <= 1:
                plan.conditions, plan.contract = lower, ""
        made.append(plan)
    return made


def _base_score(offence: str, factors: list[str]) -> int:
    """The final gravity score as the matrix of ``reference`` computes it (for planning
    only: the decision service computes the score the record keeps)."""
    from pontio.disposals.reference import FACTORS, OFFENCES

    base = next(o.score for o in OFFENCES if o.code == offence)
    adjust = sum(f.adjustment for f in FACTORS if f.code in factors)
    return max(1, min(4, base + adjust))


# The records a tester walks by hand, made after the year's (numbers from ``WALK_FROM``):
# the navigator's caseload in every state, with reviews due this week and overdue, and
# disposals of the demo custody sergeant's area waiting for authorisation.
WALK_FROM = 9001
WALK = (
    # (days ago, contract state, first review due in days: negative is overdue; an active
    # one's days ago follow from it: agreed 6 days after the decision, reviewed at 28 days)
    (2, "referred", None),
    (4, "referred", None),
    (0, "active", 3),
    (0, "active", 5),
    (0, "active", -4),
    (0, "active", -9),
    (150, "completed", None),
    (160, "failed", None),
    (20, "declined", None),
)
AWAITING = 3
REVIEW_DAYS = 28  # the scheme's default review interval (``DiversionScheme``)


def walk_plans(now: dt.datetime) -> list[Plan]:
    """Fixed plans (not drawn), all in Carmarthenshire, new people each."""
    made = []
    number = WALK_FROM
    for days, state, due in WALK:
        if due is not None:
            days = 6 + REVIEW_DAYS - due
        made.append(
            Plan(
                number,
                CARMS,
                now - dt.timedelta(days=days, hours=2),
                "class_a_possession",
                [],
                "admitted",
                "no_victim",
                "follow",
                ["diversion_scheme"],
                "running" if state in ("referred", "active") else "complied",
                state,
                -number,
            )
        )
        number += 1
    for hours in range(AWAITING):
        made.append(
            Plan(
                number,
                CARMS,
                now - dt.timedelta(hours=3 + hours * 5),
                "theft_other",
                [],
                "admitted",
                "recorded",
                "follow",
                ["compensation"],
                "awaiting",
                "",
                -number,
            )
        )
        number += 1
    return made


def review_due(plan: Plan) -> int | None:
    """The walk's review due date, in days from today (None: the service's own)."""
    if plan.number < WALK_FROM or plan.number - WALK_FROM >= len(WALK):
        return None
    return WALK[plan.number - WALK_FROM][2]


# --- who decides, who authorises, who is dealt with -------------------------------------------

DECIDERS = (Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR)
AUTHORISERS = (Role.CUSTODY_SERGEANT, Role.INSPECTOR)
# The sergeants of Ceredigion and Powys (no password: they cannot sign in). The same
# accounts as the custody demo's, so whichever demo runs first makes them.
SEEDING_STAFF = (
    ("aberystwyth.sergeant", "Elin", "Jenkins", CERED, "PS 802"),
    ("brecon.sergeant", "Iwan", "Powell", POWYS, "PS 915"),
)


def seeding_staff() -> None:
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


def staff_by_county(roles: tuple[str, ...]) -> dict[str, list[User]]:
    """Active users holding one of ``roles``, by the ONS code of each county they work in
    (force-wide users are left out: the demo's decisions are local)."""
    codes = dict(County.objects.values_list("pk", "ons_code"))
    staff: dict[str, list[User]] = {}
    users = (
        User.objects.filter(is_active=True, role_grants__role__in=list(roles), force_wide=False)
        .prefetch_related("counties", "role_grants")
        .distinct()
        .order_by("username")
    )
    for user in users:
        for county_id in sorted(user.county_ids):
            staff.setdefault(codes[county_id], []).append(user)
    return staff


def people_by_county(readers: dict[str, list[User]], now: dt.datetime) -> dict[str, list[Person]]:
    """Adults (19 or over, so never under a type's minimum age a year ago) living in each
    county, that the county's first police decider may see (the one who records them)."""
    from django.db.models import Q

    from pontio.people.demo import JOURNEY_PEOPLE

    found: dict[str, list[Person]] = {}
    adult = timezone.localdate(now) - dt.timedelta(days=19 * 366)
    # The people the journeys are walked with keep the histories their journeys expect.
    named = Q()
    for journey in JOURNEY_PEOPLE:
        named |= Q(given_name=journey.given, family_name=journey.family)
    for code, staff in readers.items():
        found[code] = list(
            restrict(Person.objects.filter(is_active=True), staff[0], "view")
            .filter(
                addresses__valid_to__isnull=True,
                addresses__county__ons_code=code,
                date_of_birth__isnull=False,
                date_of_birth__lte=adult,
            )
            .exclude(named)
            .distinct()
            .order_by("pk")
        )
    return found


def assign_people(
    all_plans: list[Plan], people: dict[str, list[Person]]
) -> dict[int, Person | None]:
    """Each plan's person: the plans' person numbers, in order of first appearance in each
    county, take that county's people in turn (the walk's take them from the end, so they
    are nobody's repeat); a county short of people reuses them."""
    chosen: dict[int, Person | None] = {}
    taken: dict[tuple[str, int], Person] = {}
    used: dict[str, int] = {}
    walk: dict[str, int] = {}
    for plan in all_plans:
        candidates = people.get(plan.county, [])
        if not candidates:
            chosen[plan.number] = None
            continue
        slot = (plan.county, plan.person)
        if slot not in taken:
            if plan.person < 0:
                walk[plan.county] = walk.get(plan.county, 0) + 1
                taken[slot] = candidates[-walk[plan.county] % len(candidates)]
            else:
                taken[slot] = candidates[used.get(plan.county, 0) % len(candidates)]
                used[plan.county] = used.get(plan.county, 0) + 1
        chosen[plan.number] = taken[slot]
    return chosen


# --- seeding ----------------------------------------------------------------------------------


@dataclass
class SeedResult:
    created: int = 0
    skipped: int = 0
    contracts: int = 0
    completed: int = 0
    breached: int = 0
    awaiting: int = 0
    sampled: int = 0
    refused: int = 0  # a step a service refused (the plan met a rule): counted, not fatal
    missing: list[str] = field(default_factory=list)  # services not (yet) in the app


# What the demo calls, by module of ``pontio.disposals.services`` (the other features').
NEEDED = {
    "decisions": (
        "disposal_record",
        "disposal_authorise",
        "agreement_sign",
        "condition_status_set",
        "breach_follow",
        "disposal_complete",
    ),
    "contracts": (
        "needs_record",
        "contract_agree",
        "review_record",
        "contract_complete",
        "contract_fail",
        "contract_decline",
        "contract_condition_record",
    ),
    "panel": ("sample_draw",),
}


def _services() -> tuple[dict[str, Any], list[str]]:
    """The service functions the demo calls, and the names of those not there."""
    import importlib

    found: dict[str, Any] = {}
    missing: list[str] = []
    for module_name, names in NEEDED.items():
        try:
            module = importlib.import_module(f"pontio.disposals.services.{module_name}")
        except ImportError:
            missing.extend(f"{module_name}.{n}" for n in names)
            continue
        for name in names:
            if hasattr(module, name):
                found[name] = getattr(module, name)
            else:
                missing.append(f"{module_name}.{name}")
    return found, missing


def seed_disposals(count: int = 320) -> SeedResult:
    """Plan ``count`` decisions over a year (and the walk's) and make those not yet made."""
    from pontio.disposals.models import Disposal
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme

    _refuse_in_production()
    result = SeedResult()
    load_all()
    link_scheme()
    services, result.missing = _services()
    if result.missing:
        # The features the demo drives are not all in the app: make nothing half-way.
        return result
    seeding_staff()
    now = timezone.now()
    deciders = staff_by_county(DECIDERS)
    authorisers = staff_by_county(AUTHORISERS)
    all_plans = plans(count, now) + walk_plans(now)
    people = assign_people(all_plans, people_by_county(deciders, now))
    existing = set(
        Disposal.objects.filter(source_reference__startswith=KEY).values_list(
            "source_reference", flat=True
        )
    )
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data
    from django.core.exceptions import PermissionDenied, ValidationError

    for plan in all_plans:
        person = people.get(plan.number)
        if plan.key in existing or person is None or not deciders.get(plan.county):
            result.skipped += 1
            continue
        decider = rng.choice(deciders[plan.county])
        authoriser = (authorisers.get(plan.county) or [decider])[0]
        try:
            _make(plan, person, decider, authoriser, now, services, result)
        except (ValidationError, PermissionDenied):
            result.refused += 1
    result.sampled = _panel(now, services)
    return result


SUMMARIES = {
    "no_victim": "Found in possession when stopped; admitted it in interview.",
    "recorded": "Took goods without paying; the victim was spoken to.",
    "not_obtained": "Damage to a parked car; the owner could not be reached.",
}
CONDITION_TEXT = {
    "diversion_scheme": "Take part in the Offender Diversion Scheme and keep its contract",
    "drug_treatment": "Attend a drug and alcohol assessment and the treatment offered",
    "drug_awareness": "Attend a drug awareness session",
    "attendance": "Attend a victim awareness course",
    "apology": "Write a letter of apology to the victim",
    "repair": "Repair the damage caused",
    "compensation": "Pay compensation to the victim",
    "unpaid_work": "Complete unpaid work",
    "keep_away": "Do not enter the shop where the offence took place",
}


def disposal_data(plan: Plan) -> Any:
    """What the officer enters for a plan, as the decision service takes it (its
    ``DisposalData`` and ``ConditionData``, with the model's field names)."""
    from pontio.directory.models import Substance
    from pontio.disposals.models import (
        REFERRING_CATEGORIES,
        DisposalType,
        GravityFactor,
        GravityOffence,
    )
    from pontio.disposals.services.decisions import ConditionData, DisposalData
    from pontio.referrals.contact import ContactRoute

    county = County.objects.get(ons_code=plan.county)
    offence = GravityOffence.objects.get(code=plan.offence)
    score = _base_score(plan.offence, plan.factors)
    outcome = {"charge": "charge", "nfa": "nfa"}.get(plan.decision, "disposal")
    if plan.decision == "follow" and score >= 3:
        outcome = "charge"
    if outcome == "disposal" and plan.admission != "admitted":
        # No caution without an admission (the type's rule): the evidence goes to charge.
        outcome = "charge"
    type_code = (
        "community_resolution"
        if plan.decision == "follow" and score <= 1
        else "conditional_caution"
    )
    disposal_type = DisposalType.objects.get(code=type_code) if outcome == "disposal" else None
    decided = timezone.localdate(plan.decided_at)
    due = decided + dt.timedelta(
        weeks=disposal_type.default_compliance_weeks if disposal_type else 0
    )
    substances = tuple(Substance.objects.filter(code__in=("cocaine", "cannabis")))
    # A referring condition carries a working contact route (the Ofcom drama range).
    route = ContactRoute(phone=f"07700 900{plan.number % 1000:03d}", channels=["phone"])
    conditions = [
        ConditionData(
            category=category,
            description=CONDITION_TEXT[category],
            hours=6 if category == "unpaid_work" else None,
            amount_pence=5000 if category == "compensation" else None,
            due_date=due,
            contact=route if category in REFERRING_CATEGORIES else None,
            consent_given=True,
            substances=substances if category in REFERRING_CATEGORIES else (),
        )
        for category in (plan.conditions if disposal_type else [])
    ]
    return DisposalData(
        county=county,
        offence=offence,
        offence_date=decided - dt.timedelta(days=2 + plan.number % 20),
        offence_summary=SUMMARIES[plan.victim_views],
        source_reference=plan.key,
        admission=plan.admission,
        evidence_to_charge=True,
        factors=list(GravityFactor.objects.filter(code__in=plan.factors)),
        victim_views=plan.victim_views,
        victim_views_text="Wants the person to get help."
        if plan.victim_views == "recorded"
        else "",
        victim_not_obtained_reason=(
            "Three calls and a letter unanswered." if plan.victim_views == "not_obtained" else ""
        ),
        outcome=outcome,
        disposal_type=disposal_type,
        decision_rationale=(
            "As the matrix recommends."
            if plan.decision == "follow"
            else "The person's drug use drives the offending: conditions address it."
            if plan.decision == "caution"
            else "The evidence and the public interest point this way."
        ),
        conditions=conditions,
    )


def _make(
    plan: Plan,
    person: Person,
    decider: User,
    authoriser: User,
    now: dt.datetime,
    services: dict[str, Any],
    result: SeedResult,
) -> None:
    """One plan, each step at its moment (stopping at ``now``)."""
    moment = plan.decided_at
    with travel(moment):
        disposal = services["disposal_record"](
            context=CONTEXT,
            actor=decider,
            person_id=person.pk,
            data=disposal_data(plan),
        )
    result.created += 1
    if not plan.conditions or disposal.disposal_type_id is None:
        return
    _accept_referrals(disposal, decider, moment + dt.timedelta(days=1), now)
    if plan.progress == "awaiting":
        result.awaiting += 1
        return
    with travel(moment + dt.timedelta(hours=2)):
        disposal = services["disposal_authorise"](
            context=CONTEXT,
            actor=authoriser,
            disposal_id=disposal.pk,
            expected_version=disposal.version,
        )
    if plan.progress == "unsigned":
        return
    with travel(moment + dt.timedelta(hours=3)):
        disposal = services["agreement_sign"](
            context=CONTEXT,
            actor=decider,
            disposal_id=disposal.pk,
            expected_version=disposal.version,
        )
    for contract in disposal.contracts.all():
        result.contracts += 1
        _work_contract(plan, contract, now, services)
    if plan.progress == "running":
        return
    conditions = list(disposal.conditions.all())
    # A failed contract is its condition missed; otherwise the first condition the police
    # or a provider records (the diversion scheme's follows its contract).
    others = [c.pk for c in conditions if c.category != "diversion_scheme"]
    missed_pk = (
        next((c.pk for c in conditions if c.category == "diversion_scheme"), None)
        if plan.contract == "failed"
        else (others[0] if others else None)
    )
    for condition in conditions:
        missed = plan.progress == "breached" and condition.pk == missed_pk
        when = at(condition.due_date, 15)
        recorder = _recorder(condition, decider)
        if when > now or condition.status != "pending" or recorder is None:
            continue
        with travel(when):
            services["condition_status_set"](
                context=CONTEXT,
                actor=recorder,
                condition_id=condition.pk,
                status="not_complied" if missed else "complied",
                evidence=("Did not attend and gave no reason" if missed else "Confirmed by letter"),
                expected_version=condition.version,
            )
    if plan.progress == "breached":
        disposal.refresh_from_db()
        when = timezone.make_aware(
            dt.datetime.combine(disposal.compliance_due or timezone.localdate(moment), dt.time(10))
        ) + dt.timedelta(days=2)
        if when <= now:
            with travel(when):
                services["breach_follow"](
                    context=CONTEXT,
                    actor=authoriser,
                    disposal_id=disposal.pk,
                    expected_version=disposal.version,
                    reason="A condition was not complied with and no reasonable excuse given.",
                )
            result.breached += 1
        return
    disposal.refresh_from_db()
    conditions = list(disposal.conditions.all())
    if conditions and all(c.status in ("complied", "excused") for c in conditions):
        last = max(c.status_recorded_at or now for c in conditions)
        with travel(min(now, last + dt.timedelta(hours=1))):
            services["disposal_complete"](
                context=CONTEXT,
                actor=decider,
                disposal_id=disposal.pk,
                expected_version=disposal.version,
            )
        result.completed += 1


def _accept_referrals(disposal: Any, decider: User, when: dt.datetime, now: dt.datetime) -> None:
    """The provider accepts the referral a treatment or awareness condition made, the next
    day (the scheme's referral follows its contract), so provider inboxes hold only what
    is new, as they would."""
    from pontio.referrals.models import Status
    from pontio.referrals.services import referral_transition

    if when > now:
        return
    rows = disposal.conditions.filter(referral__isnull=False).exclude(category="diversion_scheme")
    for condition in rows.select_related("referral"):
        worker = _recorder(condition, decider)
        referral = condition.referral
        if worker is None or referral.status != Status.REQUESTED:
            continue
        with travel(when):
            referral_transition(
                context=CONTEXT,
                actor=worker,
                referral_id=referral.pk,
                expected_version=referral.version,
                to_status=Status.ACCEPTED,
            )


def _recorder(condition: Any, decider: User) -> User | None:
    """Who records compliance: the provider's worker for a condition that made a referral
    (the one whose scope holds it), the police for the rest."""
    from pontio.disposals.models import DisposalCondition
    from pontio.referrals.models import Referral

    if condition.referral_id is None:
        return decider
    referral = Referral.objects.get(pk=condition.referral_id)
    workers = User.objects.filter(is_active=True, organisation_id=referral.provider_id).order_by(
        "username"
    )
    for worker in workers:
        if restrict(DisposalCondition.objects.filter(pk=condition.pk), worker, "change").exists():
            return worker
    return None


PATHWAYS = (
    "alcohol",
    "drugs",
    "housing",
    "mental_health",
    "exploitation",
    "physical_health",
    "finances",
    "employment",
    "relationships",
)


def start_scores(rng: random.Random) -> dict[str, int]:
    """Needs at the start: drugs high, two or three other pathways of concern."""
    scores = {p: rng.choice((0, 0, 1)) for p in PATHWAYS}
    scores["drugs"] = rng.choice((2, 3, 3, 4))
    for pathway in rng.sample(PATHWAYS, 3):
        scores[pathway] = max(scores[pathway], rng.choice((2, 3)))
    return scores


def end_scores(rng: random.Random, start: dict[str, int], completed: bool) -> dict[str, int]:
    """Needs at the end: lower on most pathways after a completed contract."""
    drop = (1, 1, 2) if completed else (0, 0, 1)
    return {p: max(0, s - rng.choice(drop)) if s else s for p, s in start.items()}


def _work_contract(plan: Plan, contract: Any, now: dt.datetime, services: dict[str, Any]) -> None:
    """The navigator's work on a contract, as the plan says it goes."""
    rng = random.Random(SEED * 100 + plan.number)  # noqa: S311 - demo data
    navigator = User.objects.filter(
        is_active=True, organisation_id=contract.organisation_id, role_grants__role=Role.NAVIGATOR
    ).first()
    if navigator is None or plan.contract in ("", "referred"):
        return
    start = plan.decided_at + dt.timedelta(days=6)
    if plan.contract == "declined":
        with travel(start):
            services["contract_decline"](
                context=CONTEXT,
                actor=navigator,
                contract_id=contract.pk,
                expected_version=contract.version,
                reason="Did not want to take part after the first meeting.",
            )
        return
    scores = start_scores(rng)
    with travel(start):
        services["needs_record"](
            context=CONTEXT,
            actor=navigator,
            contract_id=contract.pk,
            stage="start",
            scores=scores,
            notes="First meeting at the Pobl office.",
        )
        contract.refresh_from_db()
        services["contract_agree"](
            context=CONTEXT,
            actor=navigator,
            contract_id=contract.pk,
            expected_version=contract.version,
            conditions=[
                {"kind": "no_reoffending", "description": "Commit no further offence"},
                {
                    "kind": "pathway",
                    "pathway": "drugs",
                    "description": "Attend the drug service's group sessions",
                },
                {"kind": "voluntary_work", "description": "Voluntary work", "hours": 18},
            ],
        )
    day = start + dt.timedelta(days=REVIEW_DAYS)
    end = start + dt.timedelta(days=122)
    # The walk's active contracts keep their first review waiting (due soon or overdue).
    while day < min(now, end) and review_due(plan) is None:
        with travel(day):
            services["review_record"](
                context=CONTEXT,
                actor=navigator,
                contract_id=contract.pk,
                on_track=plan.contract != "failed",
                summary="Attending sessions; voluntary work started.",
            )
        day += dt.timedelta(days=REVIEW_DAYS)
    if plan.contract == "active" or end > now:
        return
    contract.refresh_from_db()
    completed = plan.contract == "completed"
    with travel(end):
        services["needs_record"](
            context=CONTEXT,
            actor=navigator,
            contract_id=contract.pk,
            stage="end",
            scores=end_scores(rng, scores, completed),
            notes="Final meeting.",
        )
        contract.refresh_from_db()
        if completed:
            for row in contract.conditions.all():
                services["contract_condition_record"](
                    context=CONTEXT,
                    actor=navigator,
                    condition_id=row.pk,
                    status="complied",
                    evidence="Confirmed at the final meeting.",
                )
            contract.refresh_from_db()
            services["contract_complete"](
                context=CONTEXT,
                actor=navigator,
                contract_id=contract.pk,
                expected_version=contract.version,
            )
        else:
            services["contract_fail"](
                context=CONTEXT,
                actor=navigator,
                contract_id=contract.pk,
                expected_version=contract.version,
                route="prosecution",
                reason="Missed the group sessions and stopped replying.",
            )


def last_quarter(today: dt.date) -> dt.date:
    """The first day of the last quarter that has ended."""
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    previous = first - dt.timedelta(days=1)
    return dt.date(previous.year, 3 * ((previous.month - 1) // 3) + 1, 1)


def _panel(now: dt.datetime, services: dict[str, Any]) -> int:
    """The last quarter's sample, drawn on the first day of this quarter by the
    administrator (the scrutiny panel's draw assigns it to the panel members)."""
    from pontio.disposals.models import DisposalSample

    quarter = last_quarter(timezone.localdate(now))
    if DisposalSample.objects.filter(quarter=quarter).exists():
        return 0
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    drawn_on = at(quarter + dt.timedelta(days=100), 6).replace(day=1)
    with travel(min(drawn_on, now)):
        sample, _created = services["sample_draw"](context=CONTEXT, actor=admin, quarter=quarter)
    return int(sample.reviews.count())
