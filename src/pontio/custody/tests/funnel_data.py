"""A generated set of custody records for the funnel tests, made fast with ``bulk_create``.

The distributions are roughly those of a force's test on arrest: about 60% of arrests for a
trigger offence, most of those tested, 50-70% of the samples positive, about three quarters
of the required assessments attended. Each record's facts are kept in a plain ``Fact`` as
well, so the tests can count the funnel by hand, in Python, without the funnel's queries.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from pontio.custody.models import (
    AssessmentEvent,
    AssessmentState,
    BreachTask,
    CustodyRecord,
    CustodySuite,
    DrugTest,
    Offence,
    RecordOffence,
    RequiredAssessment,
)
from pontio.referrals.models import Referral

A = AssessmentState


@dataclass
class Fact:
    """What was generated for one record (the hand count reads only these)."""

    suite_code: str
    county_id: int
    arrested_at: dt.datetime
    offence_code: str
    class_a_involved: bool | None
    outcome: str = ""  # "", "sample_taken", "refused", or "none" (no test)
    result: str = ""
    confirmatory: str = ""
    assessed: bool = False
    states: list[str] = field(default_factory=list)
    decision: str | None = None  # the breach task's decision, if there is a failure
    treatment: bool = False
    pk: int = 0


# Offences: trigger ones, one that triggers only with a specified Class A drug, and two
# that never trigger.
TRIGGER = ("TA1968_S1", "TA1968_S9", "TA1968_S22", "FA2006_S1")
CLASS_A_ONLY = "MDA1971_S5_2"
NOT_TRIGGER = ("CJA1988_S39", "CDA1971_S1")


def _assessment_path(rng: random.Random) -> list[str]:
    states = [A.INITIAL_REQUIRED]
    if rng.random() < 0.1:
        states.append(A.INITIAL_VARIED)
    roll = rng.random()
    if roll < 0.05:
        return states  # still waiting
    if roll < 0.2:
        return [*states, A.INITIAL_FAILED_TO_ATTEND]
    if roll < 0.25:
        return [*states, A.INITIAL_LEFT_EARLY]
    states.append(A.INITIAL_ATTENDED)
    roll = rng.random()
    if roll < 0.05:
        return states
    if roll < 0.5:
        return [*states, A.FOLLOWUP_NOT_REQUIRED]
    states.append(A.FOLLOWUP_REQUIRED)
    roll = rng.random()
    if roll < 0.05:
        return states
    if roll < 0.2:
        return [*states, A.FOLLOWUP_FAILED_TO_ATTEND]
    if roll < 0.25:
        return [*states, A.FOLLOWUP_LEFT_EARLY]
    return [*states, A.FOLLOWUP_ATTENDED]


def facts(count: int, suites: list[CustodySuite], now: dt.datetime, seed: int = 12) -> list[Fact]:
    rng = random.Random(seed)
    made = []
    for _i in range(count):
        suite = rng.choice(suites)
        arrested_at = now - dt.timedelta(minutes=rng.randrange(0, 240 * 24 * 60))
        roll = rng.random()
        class_a: bool | None = None
        if roll < 0.52:
            code = rng.choice(TRIGGER)
        elif roll < 0.62:
            code, class_a = CLASS_A_ONLY, rng.random() < 0.8
        else:
            code = rng.choice(NOT_TRIGGER)
        fact = Fact(suite.code, suite.county_id, arrested_at, code, class_a)
        trigger = code in TRIGGER or (code == CLASS_A_ONLY and bool(class_a))
        if trigger:
            roll = rng.random()
            fact.outcome = "sample_taken" if roll < 0.82 else "refused" if roll < 0.9 else "none"
        else:
            fact.outcome = "sample_taken" if rng.random() < 0.04 else "none"
        if fact.outcome == "sample_taken":
            roll = rng.random()
            fact.result = (
                "opiates"
                if roll < 0.18
                else "cocaine"
                if roll < 0.48
                else "both"
                if roll < 0.6
                else "negative"
            )
            if rng.random() < 0.04:
                fact.confirmatory = rng.choice(("negative", fact.result))
            effective = fact.confirmatory or fact.result
            if effective != "negative" and rng.random() < 0.9:
                fact.assessed = True
                fact.states = _assessment_path(rng)
                if any("failed" in s or "left_early" in s for s in fact.states):
                    fact.decision = rng.choice(("prosecute", "prosecute", "nfa", ""))
                fact.treatment = A.INITIAL_ATTENDED in fact.states and rng.random() < 0.45
        made.append(fact)
    return made


def build(count: int, *, person: Any, actor: Any, template: Referral, seed: int = 12) -> list[Fact]:
    """Make ``count`` records (and their offences, tests, assessments, events, breach tasks
    and referrals) with a handful of bulk inserts; return their facts, pk set."""
    now = timezone.now()
    suites = list(CustodySuite.objects.order_by("code"))
    offences = {o.code: o for o in Offence.objects.all()}
    made = facts(count, suites, now, seed)
    by_code = {s.code: s for s in suites}
    records = CustodyRecord.objects.bulk_create(
        [
            CustodyRecord(
                person=person,
                custody_number=f"GEN/{seed}/{i:05d}",
                suite=by_code[f.suite_code],
                arrested_at=f.arrested_at,
                age_at_arrest=30,
                created_by=actor,
            )
            for i, f in enumerate(made)
        ]
    )
    for fact, record in zip(made, records, strict=True):
        fact.pk = record.pk
    RecordOffence.objects.bulk_create(
        [
            RecordOffence(
                record=r,
                offence=offences[f.offence_code],
                class_a_involved=f.class_a_involved,
                added_by=actor,
            )
            for f, r in zip(made, records, strict=True)
        ]
    )
    tested = [(f, r) for f, r in zip(made, records, strict=True) if f.outcome != "none"]
    tests = DrugTest.objects.bulk_create(
        [
            DrugTest(
                record=r,
                stage="arrest",
                warning_given=True,
                requested_at=f.arrested_at + dt.timedelta(hours=1),
                requested_by=actor,
                outcome=f.outcome,
                sample_taken_at=(
                    f.arrested_at + dt.timedelta(hours=1) if f.outcome == "sample_taken" else None
                ),
                result=f.result,
                disputed=bool(f.confirmatory),
                confirmatory_result=f.confirmatory,
            )
            for f, r in tested
        ]
    )
    test_of = {t.record_id: t for t in tests}
    assessed = [(f, r) for f, r in zip(made, records, strict=True) if f.assessed]
    referrals = []
    for i, (f, _r) in enumerate(assessed):
        referral = copy.copy(template)
        referral.pk = None
        referral.id = None
        referral.reference = f"GN{seed}-{i:06d}"
        referral.treatment_started_on = (
            f.arrested_at.date() + dt.timedelta(days=20) if (f.treatment) else None
        )
        referrals.append(referral)
    referrals = Referral.objects.bulk_create(referrals)
    assessments = RequiredAssessment.objects.bulk_create(
        [
            RequiredAssessment(
                record=r,
                test=test_of[r.pk],
                state=f.states[-1],
                referral=referral,
                appointment_at=f.arrested_at + dt.timedelta(days=3),
                appointment_place="Llanelli",
                imposed_by=actor,
                imposed_at=f.arrested_at + dt.timedelta(hours=2),
            )
            for (f, r), referral in zip(assessed, referrals, strict=True)
        ]
    )
    events = []
    tasks = []
    for (f, r), assessment in zip(assessed, assessments, strict=True):
        previous = ""
        for step, state in enumerate(f.states):
            events.append(
                AssessmentEvent(
                    assessment=assessment,
                    at=f.arrested_at + dt.timedelta(days=step + 1),
                    actor=actor,
                    from_state=previous,
                    to_state=state,
                )
            )
            previous = state
        if f.decision is not None:
            tasks.append(
                BreachTask(
                    assessment=assessment,
                    stage="followup" if "followup" in f.states[-1] else "initial",
                    failure="left_early" if "left_early" in f.states[-1] else "failed_to_attend",
                    appointment_at=f.arrested_at + dt.timedelta(days=3),
                    county_id=r.suite.county_id,
                    due_on=f.arrested_at.date() + dt.timedelta(days=10),
                    decision=f.decision,
                    decided_by=actor if f.decision else None,
                )
            )
    AssessmentEvent.objects.bulk_create(events)
    BreachTask.objects.bulk_create(tasks)
    return made


# --- the hand count ---------------------------------------------------------------------


def hand_count(
    made: list[Fact],
    start: dt.date,
    end: dt.date,
    *,
    suite_code: str | None = None,
    county_id: int | None = None,
) -> dict[str, int]:
    """The funnel, counted over the facts in plain Python (docs/metrics.md, step by step)."""
    zone = timezone.get_current_timezone()

    def in_period(f: Fact) -> bool:
        day = f.arrested_at.astimezone(zone).date()
        return (
            start <= day <= end
            and (suite_code is None or f.suite_code == suite_code)
            and (county_id is None or f.county_id == county_id)
        )

    rows = [f for f in made if in_period(f)]

    def trigger(f: Fact) -> bool:
        return f.offence_code in TRIGGER or (
            f.offence_code == CLASS_A_ONLY and bool(f.class_a_involved)
        )

    def effective(f: Fact) -> str:
        return f.confirmatory or f.result

    arrests = [f for f in rows if trigger(f)]
    tested = [f for f in arrests if f.outcome == "sample_taken"]
    positive = [f for f in tested if effective(f) in ("opiates", "cocaine", "both")]
    required = [f for f in positive if f.assessed]
    attended = [f for f in required if A.INITIAL_ATTENDED in f.states]
    failures = [
        f
        for f in required
        if {A.INITIAL_FAILED_TO_ATTEND, A.INITIAL_LEFT_EARLY, A.FOLLOWUP_FAILED_TO_ATTEND}
        & set(f.states)
        or A.FOLLOWUP_LEFT_EARLY in f.states
    ]
    return {
        "arrests": len(arrests),
        "tested": len(tested),
        "positive": len(positive),
        "opiates": sum(1 for f in positive if effective(f) == "opiates"),
        "cocaine": sum(1 for f in positive if effective(f) == "cocaine"),
        "both": sum(1 for f in positive if effective(f) == "both"),
        "required": len(required),
        "attended": len(attended),
        "followups": sum(1 for f in attended if A.FOLLOWUP_REQUIRED in f.states),
        "failures": len(failures),
        "failed_to_attend": sum(
            1
            for f in failures
            if A.INITIAL_FAILED_TO_ATTEND in f.states or A.FOLLOWUP_FAILED_TO_ATTEND in f.states
        ),
        "left_early": sum(
            1
            for f in failures
            if A.INITIAL_LEFT_EARLY in f.states or A.FOLLOWUP_LEFT_EARLY in f.states
        ),
        "pursued": sum(1 for f in failures if f.decision == "prosecute"),
        "treatment": sum(1 for f in required if f.treatment),
        "refused": sum(1 for f in arrests if f.outcome == "refused"),
        "authorised": sum(1 for f in rows if not trigger(f) and f.outcome == "sample_taken"),
    }
