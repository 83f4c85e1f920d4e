"""Generated disposals, contracts and needs assessments for the outcomes tests.

A seeded ``random.Random`` draws plain tuples first (kept for the tests' own computation of
the figures), then the rows are written with ``bulk_create``: a few thousand disposals in a
second or two, no services, no audit events.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from pontio.core.models import County
from pontio.disposals.models import (
    AssessmentStage,
    ContractState,
    Disposal,
    DisposalState,
    DisposalType,
    DiversionContract,
    GravityOffence,
    NeedsAssessment,
    Pathway,
    PathwayScore,
)
from pontio.people.models import Person

COUNTIES = ("W06000010", "W06000009", "W06000023")  # Carmarthenshire, Pembrokeshire, Powys
OUTCOMES = (("disposal", 6), ("nfa", 2), ("charge", 2))
DISPOSAL_STATES = (
    (DisposalState.COMPLETED, 5),
    (DisposalState.BREACHED, 2),
    (DisposalState.ACTIVE, 2),
    (DisposalState.AUTHORISED, 1),
)
CONTRACT_STATES = (
    (ContractState.COMPLETED, 5),
    (ContractState.FAILED, 2),
    (ContractState.ACTIVE, 2),
    (ContractState.REFERRED, 1),
    (ContractState.DECLINED, 1),
)


@dataclass(frozen=True)
class GenDisposal:
    pk: int
    person: int
    county: str
    decided_on: dt.date
    offence_date: dt.date
    outcome: str
    type_id: int | None
    state: str
    age: int | None
    group: str
    previous: int


@dataclass(frozen=True)
class GenContract:
    pk: int
    disposal: int
    county: str
    state: str
    starts_on: dt.date | None
    referred_on: dt.date
    start_scores: dict[str, int] = field(default_factory=dict)
    end_scores: dict[str, int] = field(default_factory=dict)
    end_on: dt.date | None = None


@dataclass
class Generated:
    disposals: list[GenDisposal]
    contracts: list[GenContract]


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _scores(rng: random.Random) -> dict[str, int]:
    # Some pathways are left unscored, as navigators sometimes do.
    return {p: rng.randint(0, 4) for p in Pathway.values if rng.random() > 0.1}


def generate(
    world: dict[str, Any], *, disposals: int = 2200, people: int = 600, seed: int = 20261202
) -> Generated:
    """Write ``disposals`` disposals of ``people`` people over the last 30 months, about a
    third of the given disposals with a diversion contract and its needs assessments."""
    rng = random.Random(seed)
    today = timezone.localdate()
    counties = {c.ons_code: c for c in County.objects.filter(ons_code__in=COUNTIES)}
    offences = list(GravityOffence.objects.order_by("code"))
    types = list(DisposalType.objects.filter(commenced=True).order_by("code"))
    officer, navigator = world["officer"], world["navigator"]
    scheme = world["scheme"]
    organisation_id = scheme.navigator_organisation_id or navigator.organisation_id

    persons = Person.objects.bulk_create(
        [
            Person(given_name=f"Gen{i}", family_name="Prawf", date_of_birth=None)
            for i in range(people)
        ]
    )
    home = {p.pk: rng.choice(COUNTIES) for p in persons}

    drafts = []
    for i in range(disposals):
        person = rng.choice(persons).pk
        decided_on = today - dt.timedelta(days=rng.randint(0, 30 * 31))
        offence = rng.choice(offences)
        outcome = _pick(rng, OUTCOMES)
        kind = rng.choice(types) if outcome == "disposal" else None
        state = _pick(rng, DISPOSAL_STATES) if outcome == "disposal" else DisposalState.CLOSED
        age = None if rng.random() < 0.05 else rng.randint(18, 70)
        gravity = rng.randint(1, 4)
        drafts.append(
            Disposal(
                reference=f"GEN{i:06d}",
                person_id=person,
                county=counties[home[person]],
                offence=offence,
                offence_date=decided_on - dt.timedelta(days=rng.randint(0, 40)),
                offence_summary="Generated for the outcomes tests.",
                age_at_decision=age,
                admission="admitted",
                previous_disposals=rng.choice((0, 0, 1, 2, 3)),
                base_score=gravity,
                gravity_score=gravity,
                victim_views="no_victim",
                recommended_outcome=outcome,
                recommendation_reason="Generated.",
                outcome=outcome,
                disposal_type=kind,
                decision_rationale="Generated.",
                decided_by=officer,
                decided_at=_noon(decided_on),
                state=state,
            )
        )
    made = Disposal.objects.bulk_create(drafts)
    gen_disposals = [
        GenDisposal(
            pk=d.pk,
            person=d.person_id,
            county=home[d.person_id],
            decided_on=timezone.localtime(d.decided_at).date(),
            offence_date=d.offence_date,
            outcome=d.outcome,
            type_id=d.disposal_type_id,
            state=d.state,
            age=d.age_at_decision,
            group=d.offence.offence_group,
            previous=d.previous_disposals,
        )
        for d in made
    ]

    contract_drafts, plans = [], []
    for d in gen_disposals:
        if d.outcome != "disposal" or rng.random() > 0.35:
            continue
        state = _pick(rng, CONTRACT_STATES)
        started = state not in (ContractState.REFERRED, ContractState.DECLINED)
        starts_on = d.decided_on + dt.timedelta(days=rng.randint(0, 20)) if started else None
        if starts_on and starts_on > today:
            starts_on = today
        start_scores = _scores(rng) if started else {}
        end_on = None
        end_scores: dict[str, int] = {}
        if starts_on and state in (ContractState.COMPLETED, ContractState.FAILED):
            end_on = min(starts_on + dt.timedelta(days=rng.randint(60, 130)), today)
            if rng.random() > 0.1:  # a few closed without an end assessment
                end_scores = _scores(rng)
        contract_drafts.append(
            DiversionContract(
                reference=f"GENC{len(contract_drafts):06d}",
                scheme=scheme,
                person_id=d.person,
                county=counties[d.county],
                disposal_id=d.pk,
                organisation_id=organisation_id,
                navigator=navigator,
                state=state,
                referred_at=_noon(d.decided_on),
                starts_on=starts_on,
                ends_on=end_on,
            )
        )
        plans.append((d, state, starts_on, start_scores, end_scores, end_on))
    contracts = DiversionContract.objects.bulk_create(contract_drafts)

    assessments, wanted = [], []
    for contract, (_d, _s, starts_on, start_scores, end_scores, end_on) in zip(
        contracts, plans, strict=True
    ):
        if start_scores:
            assessments.append(
                NeedsAssessment(
                    contract=contract,
                    stage=AssessmentStage.START,
                    assessed_on=starts_on,
                    assessed_by=navigator,
                )
            )
            wanted.append(start_scores)
        if end_scores:
            assessments.append(
                NeedsAssessment(
                    contract=contract,
                    stage=AssessmentStage.END,
                    assessed_on=end_on,
                    assessed_by=navigator,
                )
            )
            wanted.append(end_scores)
    made_assessments = NeedsAssessment.objects.bulk_create(assessments)
    PathwayScore.objects.bulk_create(
        [
            PathwayScore(assessment=a, pathway=p, score=s)
            for a, scores in zip(made_assessments, wanted, strict=True)
            for p, s in scores.items()
        ]
    )

    gen_contracts = [
        GenContract(
            pk=c.pk,
            disposal=d.pk,
            county=d.county,
            state=state,
            starts_on=starts_on,
            referred_on=d.decided_on,
            start_scores=start_scores,
            end_scores=end_scores,
            end_on=end_on if end_scores else None,
        )
        for c, (d, state, starts_on, start_scores, end_scores, end_on) in zip(
            contracts, plans, strict=True
        )
    ]
    return Generated(disposals=gen_disposals, contracts=gen_contracts)
