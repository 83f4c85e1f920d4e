"""Referrals with their status history, first contact, appointments and outcomes.

Each referral walks the lifecycle the app enforces (requested, received, accepted, in
progress, then held or closed with a reason code of the right kind), with dates in order
and service-level due dates in working days (``core.working_days``, as ``referrals.sla``).
Old referrals are closed; the last weeks are still open, as in a live service.
"""

from __future__ import annotations

import datetime as dt
import functools
import random

from bench.gen import copy as c
from bench.gen.draw import UTC, Picker, day_in_period
from bench.gen.people import People
from bench.gen.sizes import REFERENCE_DATE
from bench.gen.world import HOME_FORCE_NAME, World

REFERRAL = (
    "id", "version", "created_at", "updated_at", "reference", "pathway", "source_reference",
    "reason", "risk_notes", "safeguarding_notes", "consent_given", "lawful_basis",
    "policy_reference", "preferred_language", "contact_channels", "contact_times",
    "contact_phone", "address_line_1", "address_line_2", "address_town", "address_postcode",
    "release_plan", "age_at_referral", "routing_reason", "idempotency_key", "status",
    "next_actor", "sent_at", "sent_on", "first_contact_on", "assessed_on",
    "treatment_started_on", "closed_on", "first_contact_due", "assessment_due",
    "treatment_due", "timer_stopped_on", "held_since", "allocated_to_id", "county_id",
    "person_id", "proposed_service_id", "provider_id", "referred_by_id",
    "referring_organisation_id", "service_id", "transferred_from_id", "status_code_id",
    "consent_id", "accessibility_needs", "interpreter_language", "outcome_against_reason",
    "outcome_summary", "support_needs", "contact_email",
)  # fmt: skip
EVENT = (
    "id", "at", "from_status", "to_status", "reason", "actor_id", "actor_organisation_id",
    "code_id", "referral_id", "note",
)  # fmt: skip
APPOINTMENT = (
    "id", "version", "created_at", "updated_at", "kind", "starts_at", "place", "attendance",
    "recorded_by_id", "referral_id", "mode",
)  # fmt: skip
CONTACT = (
    "id",
    "at",
    "channel",
    "outcome",
    "notes",
    "recorded_at",
    "recorded_by_id",
    "referral_id",
)
SUBSTANCE = ("id", "referral_id", "substance_id")

PATHWAY = Picker(
    ["test_on_arrest", "custody", "stop_search", "oocd", "diversion", "voluntary"],
    [35, 15, 12, 12, 8, 18],
)
REASONS = {
    "test_on_arrest": "Tested positive for cocaine on arrest; agreed to see a drugs worker.",
    "custody": "Disclosed daily heroin use to the custody nurse; wants help on release.",
    "stop_search": "Found with cannabis on a search; wants to talk about cutting down.",
    "oocd": "Conditional caution: attend a drug and alcohol awareness session.",
    "diversion": "Diverted from prosecution for possession; referred to the diversion scheme.",
    "voluntary": "Welfare check after a call from family; drinking heavily and using pills.",
}
OLD = Picker(
    ["completed", "failed", "rejected", "cancelled", "in-progress", "on-hold"],
    [44, 30, 11, 10, 4, 1],
)
MIDDLE = Picker(
    ["in-progress", "completed", "failed", "rejected", "cancelled", "on-hold", "accepted"],
    [42, 18, 14, 9, 5, 6, 6],
)
NEW = Picker(
    ["requested", "received", "accepted", "rejected", "cancelled", "in-progress"],
    [20, 25, 30, 8, 4, 13],
)
PATHS = {
    "requested": ["requested"],
    "received": ["requested", "received"],
    "accepted": ["requested", "received", "accepted"],
    "in-progress": ["requested", "received", "accepted", "in-progress"],
    "on-hold": ["requested", "received", "accepted", "in-progress", "on-hold"],
    "completed": ["requested", "received", "accepted", "in-progress", "completed"],
    "failed": ["requested", "received", "accepted", "in-progress", "failed"],
    "rejected": ["requested", "received", "rejected"],
    "cancelled": ["requested", "cancelled"],
}
CODE_PREFIX = {
    "rejected": ("REJ_",),
    "cancelled": ("CAN_CONSENT", "CAN_SENT", "CAN_NO_LONGER"),
    "on-hold": ("HOLD_",),
    "completed": ("CLO_PLANNED",),
    "failed": ("CLO_WITHDRAWN", "CLO_CLOSED", "CLO_DNA", "CLO_INAPP", "CLO_CLIENT", "CLO_NO_"),
}
# Hours after the step before it (a spread, then capped at the reference date).
STEP_HOURS = {
    "received": (1, 20), "accepted": (4, 72), "in-progress": (72, 300), "on-hold": (200, 1500),
    "completed": (700, 3500), "failed": (300, 2500), "rejected": (2, 72), "cancelled": (24, 200),
}  # fmt: skip
OPEN = {"requested", "received", "accepted", "in-progress", "on-hold"}
END = dt.datetime.combine(REFERENCE_DATE, dt.time(17, 30), tzinfo=UTC)


@functools.cache
def _working(day: dt.date, days: int) -> dt.date:
    from pontio.core.working_days import add_working_days

    return add_working_days(day, days)


def _status(rng: random.Random, age_days: int) -> str:
    if age_days > 180:
        return OLD(rng)
    if age_days > 14:
        return MIDDLE(rng)
    return NEW(rng)


def generate(
    url: str, world: World, people: People, total: int, rng: random.Random
) -> dict[str, int]:
    referrals = c.Table(url, "referrals_referral", REFERRAL)
    events = c.Table(url, "referrals_referralevent", EVENT)
    appointments = c.Table(url, "referrals_appointment", APPOINTMENT)
    contacts = c.Table(url, "referrals_contactattempt", CONTACT)
    substances = c.Table(url, "referrals_referral_substances", SUBSTANCE)
    codes = {
        status: [(k, *v) for k, v in sorted(world.codes.items()) if k.startswith(prefixes)]
        for status, prefixes in CODE_PREFIX.items()
    }
    weight_total = sum(f.weight for f in world.forces)
    ids = {"referral": 0, "event": 0, "appointment": 0, "contact": 0, "substance": 0}
    for force_index, force in enumerate(world.forces):
        home = force.name == HOME_FORCE_NAME
        first_person, person_count = people.ranges[force_index]
        count = max(1, round(total * force.weight / weight_total))
        for sent_on in sorted(day_in_period(rng) for _ in range(count)):
            # Adult services only (a child goes to youth services): draw again for a child.
            for _attempt in range(20):
                person = first_person + int(person_count * rng.random() ** 2)
                county = people.county[person - 1]
                options = world.services.get(county)
                age = people.age_on(person, sent_on)
                if options and age >= 18:
                    break
            else:
                continue
            service, provider = rng.choice(options)
            ids["referral"] += 1
            rid = ids["referral"]
            sent_at = dt.datetime(
                sent_on.year,
                sent_on.month,
                sent_on.day,
                rng.randint(7, 22),
                rng.randrange(60),
                tzinfo=UTC,
            )
            officers = force.officers[county]
            if home and force.demo_officer in officers and rng.random() < 0.12:
                referred_by = force.demo_officer
            else:
                referred_by = rng.choice(officers)
            workers = world.caseworkers.get((provider, county), [])
            caseworker = rng.choice(workers) if workers else None
            status = _status(rng, (REFERENCE_DATE - sent_on).days)
            code = code_id = next_actor = None
            if status in codes:
                code, code_id, next_actor = rng.choice(codes[status])
            path = PATHS[status]
            if code == "CLO_DNA_BEFORE_ASSESSMENT":
                path = [*PATHS["accepted"], "failed"]  # closed before any assessment
            # The moments of each step, in order, never after the reference date.
            moments = [sent_at]
            for step in path[1:]:
                low, high = STEP_HOURS[step]
                moments.append(min(END, moments[-1] + dt.timedelta(hours=rng.randint(low, high))))
            if status in OPEN and status != "on-hold":
                next_actor = "provider"
            on = {step: moment.date() for step, moment in zip(path, moments, strict=True)}
            closed = on.get(status) if status not in OPEN else None
            treatment = None
            if "in-progress" in on and code != "CLO_DNA_BEFORE_TREATMENT" and rng.random() < 0.75:
                treatment = min(
                    REFERENCE_DATE, on["in-progress"] + dt.timedelta(days=rng.randint(3, 14))
                )
                if closed and treatment > closed:
                    treatment = closed
            allocated = caseworker if "accepted" in on else None
            pathway = PATHWAY(rng)
            consent = rng.random() < 0.75
            line_1, town, postcode = people.address(person)
            welsh = people.language[person - 1]
            completed = status == "completed"
            referrals.add(
                (
                    str(rid), str(len(path) + 1), c.ts(sent_at), c.ts(moments[-1]),
                    f"PR{sent_on:%y}-{rid:06d}", pathway, "", c.text(REASONS[pathway]), "", "",
                    c.boolean(consent), "consent" if consent else "law_enforcement", "",
                    "cy" if welsh else "en",
                    '["phone", "letter"]' if rng.random() < 0.6 else '["phone"]', "",
                    f"+447700900{person % 1000:03d}", c.text(line_1), "", c.text(town), postcode,
                    "Released on bail; lives with family." if pathway == "custody" else "",
                    str(age), "Serves the person's county; nearest office to their postcode", "",
                    status, next_actor or "nobody", c.ts(sent_at), sent_on.isoformat(),
                    c.opt(on.get("accepted")), c.opt(on.get("in-progress")), c.opt(treatment),
                    c.opt(closed), _working(sent_on, 2).isoformat(),
                    _working(sent_on, 10).isoformat(), _working(sent_on, 20).isoformat(),
                    c.opt(closed), c.opt(on.get("on-hold")), c.opt(allocated), str(county),
                    str(person), c.NULL, str(provider), str(referred_by),
                    str(force.organisation_id), str(service), c.NULL, c.opt(code_id), c.NULL, "",
                    "", "achieved" if completed else "",
                    "Completed the planned treatment and was discharged to their GP." if completed
                    else "", "", "",
                )
            )  # fmt: skip
            previous = ""
            for step, moment in zip(path, moments, strict=True):
                ids["event"] += 1
                police_step = step in {"requested", "cancelled"}
                events.add(
                    (
                        str(ids["event"]), c.ts(moment), previous, step, "",
                        str(referred_by) if police_step else c.opt(caseworker),
                        str(force.organisation_id if police_step else provider),
                        c.opt(code_id) if step == status and code_id else c.NULL, str(rid), "",
                    )
                )  # fmt: skip
                previous = step
            recorder = str(caseworker or referred_by)
            for sid in rng.sample(world.substances, rng.randint(1, 2)):
                ids["substance"] += 1
                substances.add((str(ids["substance"]), str(rid), str(sid)))
            if "accepted" in on:
                ids["contact"] += 1
                contacted = moments[path.index("accepted")]
                contacts.add(
                    (str(ids["contact"]), c.ts(contacted), "phone", "spoke", "", c.ts(contacted),
                     recorder, str(rid))
                )  # fmt: skip
                booked = contacted + dt.timedelta(days=rng.randint(3, 9))
                assessed = "in-progress" in on
                attendance = "attended" if assessed else ("booked" if booked > END else "dna")
                slots = [("assessment", booked, attendance)]
                if treatment:
                    for week in range(rng.randint(1, 4)):
                        start = dt.datetime.combine(
                            treatment + dt.timedelta(days=7 * week), dt.time(10), tzinfo=UTC
                        )
                        done = start <= END and (not closed or start.date() <= closed)
                        if done or status in OPEN:
                            slots.append(("treatment", start, "attended" if done else "booked"))
                for kind, starts, attendance in slots:
                    ids["appointment"] += 1
                    appointments.add(
                        (
                            str(ids["appointment"]), "1", c.ts(contacted), c.ts(contacted), kind,
                            c.ts(starts), "", attendance, recorder, str(rid), "in_person",
                        )
                    )  # fmt: skip
    return {t.name: t.close() for t in (referrals, events, appointments, contacts, substances)}
