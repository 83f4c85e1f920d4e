"""Demo referrals: six months of realistic work across the four counties (demo and tests only).

Referrals are routed by the real routing rules to the demo directory and then walked along
the lifecycle with plausible delays: most are received and accepted, a few are rejected;
first contact within days, assessment and treatment start for most, Treatment Outcomes
Profiles at start and review, closures with the Welsh national reasons. Dates are relative to
today so that timers and breaches look alive. A handful are left new for the journeys.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import User
from pontio.accounts.roles import REFERRING_ROLES
from pontio.audit.services import AuditContext, audit_record
from pontio.core.recording import AuditAction
from pontio.core.working_days import add_working_days, is_working_day
from pontio.directory.models import Substance
from pontio.people.demo import _refuse_in_production
from pontio.people.models import Address, Person
from pontio.referrals import routing, sla
from pontio.referrals.models import (
    Appointment,
    ContactAttempt,
    Party,
    Pathway,
    Referral,
    ReferralCode,
    ReferralEvent,
    Status,
    TopEntry,
    TopStage,
)
from pontio.referrals.services import age_on

SEED = 4
KEY = "demo-referral-"
PATHWAY_WEIGHTS = {
    Pathway.TEST_ON_ARREST: 22,
    Pathway.CUSTODY: 25,
    Pathway.STOP_SEARCH: 12,
    Pathway.OOCD: 10,
    Pathway.DIVERSION: 8,
    Pathway.VOLUNTARY: 23,
}
REASONS = {
    Pathway.TEST_ON_ARREST: (
        "Tested positive for cocaine on arrest for shoplifting; agreed to see a worker."
    ),
    Pathway.CUSTODY: "Disclosed daily heroin use to the custody nurse; wants help with a script.",
    Pathway.STOP_SEARCH: "Found with a small amount of cannabis; asked about support for his use.",
    Pathway.OOCD: "Conditional caution with a rehabilitative condition to attend an assessment.",
    Pathway.DIVERSION: "Possession of cocaine for personal use; diverted to the education session.",
    Pathway.VOLUNTARY: "Welfare check after a call from family; drinking heavily and using pills.",
}
SUBSTANCES = {
    Pathway.TEST_ON_ARREST: ("cocaine",),
    Pathway.CUSTODY: ("opioids", "crack"),
    Pathway.STOP_SEARCH: ("cannabis",),
    Pathway.OOCD: ("cocaine", "alcohol"),
    Pathway.DIVERSION: ("cocaine",),
    Pathway.VOLUNTARY: ("alcohol", "benzodiazepines"),
}
TOP_MAIN = {"opioids": "opiates", "crack": "crack", "cocaine": "cocaine", "cannabis": "cannabis"}


@dataclass
class SeedResult:
    created: int
    skipped: int


def _at(day: dt.date, rng: random.Random, hour_from: int = 9, hour_to: int = 17) -> dt.datetime:
    naive = dt.datetime.combine(
        day, dt.time(rng.randint(hour_from, hour_to - 1), rng.choice((0, 15, 30, 45)))
    )
    return timezone.make_aware(naive)


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


def _referrer_for(users: list[User], county_id: int, rng: random.Random) -> User | None:
    fits = [u for u in users if u.force_wide or county_id in u.county_ids]
    return rng.choice(fits) if fits else (rng.choice(users) if users else None)


def _code(code: str) -> ReferralCode:
    return ReferralCode.objects.get(code=code)


class _Walk:
    """Moves one referral along its lifecycle, writing events with the dates given."""

    def __init__(self, referral: Referral, provider_user: User | None) -> None:
        self.referral = referral
        self.user = provider_user

    def move(
        self, to: str, day: dt.date, rng: random.Random, code: str | None = None, why: str = ""
    ) -> None:
        chosen = _code(code) if code else None
        ReferralEvent.objects.create(
            referral=self.referral,
            at=_at(day, rng),
            actor=self.user,
            actor_organisation_id=self.referral.provider_id,
            from_status=self.referral.status,
            to_status=to,
            code=chosen,
            reason=why,
        )
        self.referral.status = to
        self.referral.status_code = chosen
        self.referral.next_actor = chosen.next_actor if chosen else Party.PROVIDER
        if to in (Status.REJECTED, Status.COMPLETED, Status.FAILED, Status.CANCELLED):
            self.referral.closed_on = day
            self.referral.timer_stopped_on = day
            if chosen is None:
                self.referral.next_actor = Party.NOBODY


def _provider_user(referral: Referral) -> User | None:
    return (
        User.objects.filter(organisation_id=referral.provider_id, is_active=True)
        .order_by("username")
        .first()
    )


def _top(
    referral: Referral, stage: str, day: dt.date, main: str, days: int, qol: int, user: User
) -> None:
    TopEntry.objects.create(
        referral=referral,
        stage=stage,
        interview_date=day,
        main_substance=main,
        recorded_by=user,
        **{f"{main}_days": days},
        injecting_days=0 if main != "opiates" else max(days - 8, 0),
        shoplifting_days=max(days // 4 - 1, 0),
        psychological_health=max(qol - 2, 0),
        physical_health=qol,
        quality_of_life=qol,
    )


def _simulate(referral: Referral, rng: random.Random, today: dt.date, main: str) -> None:
    user = _provider_user(referral)
    if user is None:
        return
    walk = _Walk(referral, user)
    sent = referral.sent_on
    age = (today - sent).days
    if age < 1 or rng.random() < 0.05:
        return  # still new
    walk.move(Status.RECEIVED, sent, rng, why="Opened by the provider")
    if rng.random() < 0.08:
        walk.move(
            Status.REJECTED,
            add_working_days(sent, 1),
            rng,
            code=rng.choice(["REJ_NEEDS_NOT_MET", "REJ_ALREADY_OPEN", "REJ_OUT_OF_AREA"]),
        )
        return
    accepted_on = min(add_working_days(sent, rng.choice((0, 1, 1, 2))), today)
    walk.move(Status.ACCEPTED, accepted_on, rng)
    first = min(add_working_days(sent, rng.choice((1, 1, 2, 2, 3, 5))), today)
    if first > today or (first - sent).days > age:
        return
    tries = rng.choice((1, 1, 2, 3))
    for n in range(tries):
        outcome = (
            ContactAttempt.Outcome.SPOKE if n == tries - 1 else ContactAttempt.Outcome.NO_ANSWER
        )
        ContactAttempt.objects.create(
            referral=referral,
            at=_at(first, rng),
            channel="phone",
            outcome=outcome,
            recorded_by=user,
        )
    referral.first_contact_on = first
    walk.move(Status.IN_PROGRESS, first, rng, why="Contact made")
    assess_day = add_working_days(sent, rng.randint(3, 14))
    if assess_day > today:
        Appointment.objects.create(
            referral=referral,
            kind="assessment",
            starts_at=_at(assess_day, rng),
            place="Drop-in centre",
            recorded_by=user,
        )
        return
    attended = rng.random() > 0.18
    Appointment.objects.create(
        referral=referral,
        kind="assessment",
        starts_at=_at(assess_day, rng),
        place="Drop-in centre",
        attendance=Appointment.Attendance.ATTENDED
        if attended
        else Appointment.Attendance.DID_NOT_ATTEND,
        recorded_by=user,
    )
    if not attended:
        if (today - assess_day).days > 20:
            walk.move(
                Status.FAILED,
                add_working_days(assess_day, 10),
                rng,
                code="CLO_DNA_BEFORE_ASSESSMENT",
            )
        return
    referral.assessed_on = assess_day
    start = add_working_days(assess_day, rng.randint(1, 12))
    if start > today:
        return
    start_days = rng.randint(12, 28)
    referral.treatment_started_on = start
    _top(referral, TopStage.START, start, main, start_days, rng.randint(5, 11), user)
    review = start + dt.timedelta(days=rng.randint(80, 100))
    if review > today:
        return
    later = max(start_days - rng.randint(-3, 20), 0)
    _top(referral, TopStage.REVIEW, review, main, later, rng.randint(8, 16), user)
    end = review + dt.timedelta(days=rng.randint(10, 40))
    if end > today:
        return
    code = rng.choice(
        [
            "CLO_PLANNED_COMPLETE",
            "CLO_PLANNED_COMPLETE",
            "CLO_PLANNED_SUBSTANCE_FREE",
            "CLO_DNA_DURING_TREATMENT",
            "CLO_CLIENT_DECLINED",
        ]
    )
    _top(
        referral,
        TopStage.EXIT,
        end,
        main,
        max(later - rng.randint(0, 6), 0),
        rng.randint(9, 17),
        user,
    )
    walk.move(
        Status.COMPLETED if code.startswith("CLO_PLANNED") else Status.FAILED, end, rng, code=code
    )


def seed_referrals(count: int = 140, days: int = 180) -> SeedResult:
    """Create ``count`` demo referrals over the last ``days`` days (idempotent by key)."""
    _refuse_in_production()
    today = timezone.localdate()
    existing = set(
        Referral.objects.filter(idempotency_key__startswith=KEY).values_list(
            "idempotency_key", flat=True
        )
    )
    people = list(
        Person.objects.filter(
            is_active=True, addresses__valid_to__isnull=True, addresses__county__isnull=False
        )
        .distinct()
        .order_by("pk")[: count * 2]
    )
    users = _referrers()
    substances = {s.code: s for s in Substance.objects.all()}
    services = list(routing.candidate_services())
    context = AuditContext.system("seed_referrals")
    created = skipped = 0
    for i in range(count):
        key = f"{KEY}{i}"
        if key in existing or not people:
            skipped += 1
            continue
        rng = random.Random(SEED * 10_000 + i)  # noqa: S311 - demo data, not security
        person = people[rng.randrange(len(people))]
        address = (
            Address.objects.filter(person=person, valid_to__isnull=True, county__isnull=False)
            .select_related("county")
            .first()
        )
        if address is None or address.county is None:
            skipped += 1
            continue
        pathway = rng.choices(list(PATHWAY_WEIGHTS), weights=list(PATHWAY_WEIGHTS.values()))[0]
        wanted = tuple(substances[c] for c in SUBSTANCES[pathway] if c in substances)
        sent = _working_day_before(today - dt.timedelta(days=rng.randint(0, days)))
        need = routing.Need(
            county=address.county,
            pathway=pathway,
            substances=wanted,
            age=age_on(person.date_of_birth, sent),
            gender=person.gender,
        )
        options = routing.route(need, services)
        proposal = routing.proposal(options)
        officer = _referrer_for(users, address.county.pk, rng)
        if (
            proposal is None
            or officer is None
            or officer.organisation is None
            or proposal.service.organisation.owner_id is None
        ):
            skipped += 1
            continue
        phone = person.phones.filter(is_current=True).first()
        with transaction.atomic():
            referral = Referral.objects.create(
                reference=key[:20],
                person=person,
                pathway=pathway,
                reason=REASONS[pathway],
                consent_given=rng.random() > 0.1,
                lawful_basis="consent",
                preferred_language=person.preferred_language,
                contact_channels=["phone", "letter"] if phone else ["letter"],
                contact_times=rng.choice(["Mornings", "After 2pm", "Any time", ""]),
                contact_phone=phone.number if phone else "",
                address_line_1=address.line_1,
                address_line_2=address.line_2,
                address_town=address.town,
                address_postcode=address.postcode,
                county=address.county,
                age_at_referral=need.age,
                service=proposal.service,
                provider_id=proposal.service.organisation.owner_id,
                proposed_service=proposal.service,
                routing_reason="; ".join(proposal.reasons),
                referred_by=officer,
                referring_organisation=officer.organisation,
                idempotency_key=key,
                sent_at=_at(sent, rng, 8, 20),
                sent_on=sent,
                **sla.due_dates(sent),
            )
            if not referral.consent_given:
                referral.lawful_basis = "law_enforcement"
                referral.policy_reference = "DPP-ISP-SM-2024"
            referral.reference = f"PR{sent:%y}-{referral.pk:06d}"
            referral.substances.set(wanted)
            ReferralEvent.objects.create(
                referral=referral,
                at=referral.sent_at,
                actor=officer,
                actor_organisation_id=officer.organisation_id,
                from_status="",
                to_status=Status.REQUESTED,
                reason=referral.routing_reason,
            )
            main = next(
                (TOP_MAIN[s.code] for s in wanted if s.code in TOP_MAIN),
                "alcohol" if "alcohol" in SUBSTANCES[pathway] else "other",
            )
            _simulate(referral, rng, today, main)
            referral.save()
            audit_record(
                context=context, action=AuditAction.CREATE, obj=referral, person_id=person.pk
            )
        created += 1
    return SeedResult(created=created, skipped=skipped)
