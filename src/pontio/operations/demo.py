"""Demo drug-disruption operations (demo and tests only, never production).

Two operations, in the manner of Operations Regent and Moose of the Commissioner's review
(the names, places and figures here are invented), made through the real services at the
moment each step would have happened (``time_machine.travel(moment, tick=False)``):

- **Heron** (Carmarthenshire and Pembrokeshire): planned four months ago, covert, a
  strategic and a tactical partnership meeting, sensitive and tactical briefings, the
  forecast shared before enforcement, enforcement, aftercare and closed three weeks ago;
  results (arrests, charges, convictions, seizures of several drugs), the referrals made in
  its counties during enforcement and aftercare linked (those the lead may count), and the
  briefed partners' evaluations answered: the oversight tile and the operation page have
  figures.
- **Merlin** (Carmarthenshire and Ceredigion): in its covert phase, with a strategic
  meeting, a briefing of the Dyfed Drug and Alcohol Service and a forecast for the next two
  weeks shared with the providers: the demo caseworker (DDAS, Carmarthenshire) sees
  "Expected referrals from a police operation: Carmarthenshire, week of …: about 12" on the
  home page.

Idempotent: an operation whose code name is already recorded is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.operations import selectors, services
from pontio.operations.models import (
    BriefingLevel,
    DrugType,
    Evaluation,
    MeetingLevel,
    Operation,
    Phase,
)

CARMS, CERED, PEMBS = "W06000010", "W06000008", "W06000009"
DDAS = "Dyfed Drug and Alcohol Service"
HYWEL_DDA = "Hywel Dda University Health Board"
POBL = "Pobl diversion service"


@dataclass
class SeedResult:
    created: int = 0
    skipped: int = 0
    linked: int = 0


def _at(
    days_ago: int, hour: int = 10, minute: int = 0, now: dt.datetime | None = None
) -> dt.datetime:
    now = now or timezone.now()
    day = timezone.localdate(now) - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _county(code: str) -> County:
    return County.objects.get(ons_code=code)


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class _Steps:
    """One operation's steps, each at its own moment."""

    def __init__(self, context: AuditContext, lead: User) -> None:
        self.context = context
        self.lead = lead
        self.operation: Operation | None = None

    def version(self) -> int:
        assert self.operation is not None  # noqa: S101
        return Operation.objects.get(pk=self.operation.pk).version

    def at(self, moment: dt.datetime) -> Any:
        return time_machine.travel(moment, tick=False)

    def create(self, moment: dt.datetime, code_name: str, objective: str, codes: list[str]) -> None:
        with self.at(moment):
            self.operation = services.operation_create(
                context=self.context,
                actor=self.lead,
                code_name=code_name,
                objective=objective,
                county_ids=[_county(c).pk for c in codes],
            )

    def move(self, moment: dt.datetime, target: str, reason: str = "") -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            services.operation_move(
                context=self.context,
                actor=self.lead,
                operation_id=self.operation.pk,
                expected_version=self.version(),
                target=target,
                reason=reason,
            )

    def meeting(
        self, moment: dt.datetime, level: str, names: list[str], others: str, summary: str
    ) -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            services.meeting_record(
                context=self.context,
                actor=self.lead,
                operation_id=self.operation.pk,
                held_on=timezone.localdate(),
                level=level,
                organisation_ids=[_org(n).pk for n in names],
                other_attendees=others,
                summary=summary,
            )

    def brief(self, moment: dt.datetime, name: str, who: str, level: str, shared: str) -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            services.briefing_record(
                context=self.context,
                actor=self.lead,
                operation_id=self.operation.pk,
                organisation_id=_org(name).pk,
                recipient=who,
                briefed_at=moment - dt.timedelta(hours=2),
                level=level,
                shared=shared,
            )

    def forecast(self, moment: dt.datetime, rows: list[tuple[str, dt.date, int, int]]) -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            for code, week, referrals, safeguarding in rows:
                services.forecast_row_set(
                    context=self.context,
                    actor=self.lead,
                    operation_id=self.operation.pk,
                    expected_version=self.version(),
                    county_id=_county(code).pk,
                    week_starting=week,
                    expected_referrals=referrals,
                    expected_safeguarding=safeguarding,
                )

    def share(self, moment: dt.datetime) -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            services.forecast_share(
                context=self.context,
                actor=self.lead,
                operation_id=self.operation.pk,
                expected_version=self.version(),
            )

    def result(
        self,
        moment: dt.datetime,
        code: str,
        arrests: int,
        charges: int,
        convictions: int,
        note: str,
    ) -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            services.result_record(
                context=self.context,
                actor=self.lead,
                operation_id=self.operation.pk,
                county_id=_county(code).pk,
                recorded_on=timezone.localdate(),
                arrests=arrests,
                charges=charges,
                convictions=convictions,
                note=note,
            )

    def seizure(
        self, moment: dt.datetime, code: str, drug: str, quantity: str, unit: str, pounds: int
    ) -> None:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            services.seizure_record(
                context=self.context,
                actor=self.lead,
                operation_id=self.operation.pk,
                county_id=_county(code).pk,
                seized_on=timezone.localdate(),
                drug=drug,
                quantity=Decimal(quantity),
                unit=unit,
                street_value_pence=pounds * 100,
            )

    def link_suggested(self, moment: dt.datetime) -> int:
        assert self.operation is not None  # noqa: S101
        with self.at(moment):
            operation = Operation.objects.get(pk=self.operation.pk)
            ids = list(
                selectors.suggested_referrals(self.lead, operation).values_list("pk", flat=True)
            )
            if not ids:
                return 0
            return len(
                services.referrals_link(
                    context=self.context,
                    actor=self.lead,
                    operation_id=operation.pk,
                    referral_ids=ids,
                )
            )


def _answer(
    context: AuditContext,
    moment: dt.datetime,
    operation: Operation,
    name: str,
    answers: tuple[str, str, str, str],
) -> None:
    evaluation = Evaluation.objects.filter(operation=operation, organisation__name=name).first()
    user = User.objects.filter(organisation__name=name, is_active=True).order_by("pk").first()
    if evaluation is None or user is None or evaluation.answered_at:
        return
    with time_machine.travel(moment, tick=False):
        services.evaluation_answer(
            context=context,
            actor=user,
            evaluation_id=evaluation.pk,
            briefed_in_time=answers[0],
            enough_detail=answers[1],
            demand=answers[2],
            comment=answers[3],
        )


def seed_heron(context: AuditContext, lead: User, now: dt.datetime) -> int:
    """The closed operation, with results, linked referrals and evaluations."""
    steps = _Steps(context, lead)
    steps.create(
        _at(120, now=now),
        "Heron",
        "Disrupt a county line supplying crack cocaine and heroin into Llanelli and Pembroke "
        "Dock, and safeguard the people it exploits.",
        [CARMS, PEMBS],
    )
    steps.move(_at(100, now=now), Phase.COVERT)
    steps.meeting(
        _at(95, now=now),
        MeetingLevel.STRATEGIC,
        [DDAS, HYWEL_DDA],
        "Carmarthenshire and Pembrokeshire community safety partnerships",
        "Shared the aim of the operation and agreed how providers would be told of the "
        "referral demand in time to plan staffing.",
    )
    steps.brief(
        _at(80, now=now),
        DDAS,
        "Head of Service",
        BriefingLevel.SENSITIVE,
        "Enforcement expected in about three weeks in two towns; expected referrals by "
        "county and week; no addresses or names.",
    )
    steps.brief(
        _at(80, 11, now=now),
        HYWEL_DDA,
        "Safeguarding lead",
        BriefingLevel.TACTICAL,
        "Likely need for safeguarding referrals of young people found at addresses.",
    )
    enforcement = _at(60, 6, now=now)
    weeks = [_monday(timezone.localdate(enforcement)) + dt.timedelta(weeks=w) for w in range(3)]
    steps.forecast(
        _at(72, now=now),
        [
            (CARMS, weeks[0], 14, 4),
            (CARMS, weeks[1], 8, 2),
            (CARMS, weeks[2], 4, 1),
            (PEMBS, weeks[0], 6, 2),
            (PEMBS, weeks[1], 4, 1),
            (PEMBS, weeks[2], 2, 0),
        ],
    )
    steps.share(_at(70, now=now))
    steps.meeting(
        _at(66, now=now),
        MeetingLevel.TACTICAL,
        [DDAS, POBL],
        "",
        "Agreed a single point of contact at each provider for the enforcement week.",
    )
    steps.move(enforcement, Phase.ENFORCEMENT, "Warrants executed at dawn")
    steps.result(_at(60, 18, now=now), CARMS, 21, 14, 0, "Enforcement day")
    steps.result(_at(60, 18, 30, now=now), PEMBS, 9, 6, 0, "Enforcement day")
    steps.seizure(_at(60, 17, now=now), CARMS, DrugType.CRACK_COCAINE, "640", "g", 64_000)
    steps.seizure(_at(60, 17, 10, now=now), CARMS, DrugType.HEROIN, "910", "g", 91_000)
    steps.seizure(_at(60, 17, 20, now=now), PEMBS, DrugType.COCAINE, "1.2", "kg", 96_000)
    steps.seizure(_at(59, 12, now=now), PEMBS, DrugType.CANNABIS, "85", "plants", 68_000)
    steps.move(_at(45, now=now), Phase.AFTERCARE)
    linked = steps.link_suggested(_at(22, now=now))
    steps.move(_at(21, now=now), Phase.CLOSED)
    steps.result(_at(5, now=now), CARMS, 0, 3, 17, "Guilty pleas at Swansea Crown Court")
    steps.result(_at(4, now=now), PEMBS, 0, 1, 8, "Guilty pleas at Swansea Crown Court")
    assert steps.operation is not None  # noqa: S101
    _answer(
        context,
        _at(14, now=now),
        steps.operation,
        DDAS,
        ("yes", "partly", "higher", "Told three weeks ahead: enough to add clinics in Llanelli."),
    )
    _answer(
        context,
        _at(12, now=now),
        steps.operation,
        HYWEL_DDA,
        ("yes", "yes", "as_forecast", ""),
    )
    return linked


def seed_merlin(context: AuditContext, lead: User, now: dt.datetime) -> None:
    """The covert operation whose forecast the DDAS caseworker sees on the home page."""
    steps = _Steps(context, lead)
    steps.create(
        _at(30, now=now),
        "Merlin",
        "Disrupt the supply of cocaine through holiday lets on the Ceredigion coast and in "
        "Carmarthen.",
        [CARMS, CERED],
    )
    steps.move(_at(14, now=now), Phase.COVERT)
    steps.meeting(
        _at(10, now=now),
        MeetingLevel.STRATEGIC,
        [DDAS, HYWEL_DDA],
        "",
        "Early strategic briefing of the partners, as recommended after Operation Heron.",
    )
    steps.brief(
        _at(7, now=now),
        DDAS,
        "Service manager, Carmarthenshire",
        BriefingLevel.STRATEGIC,
        "Enforcement expected within the next fortnight; expected referrals by county and week.",
    )
    next_week = _monday(timezone.localdate(now)) + dt.timedelta(weeks=1)
    steps.forecast(
        _at(3, now=now),
        [
            (CARMS, next_week, 12, 3),
            (CARMS, next_week + dt.timedelta(weeks=1), 7, 2),
            (CERED, next_week, 5, 1),
            (CERED, next_week + dt.timedelta(weeks=1), 3, 1),
        ],
    )
    steps.share(_at(2, now=now))


def seed_operations() -> SeedResult:
    """Create the demo operations (idempotent) through the services."""
    result = SeedResult()
    lead = User.objects.filter(username="operations").first()
    if lead is None:
        return result
    context = AuditContext.system("seed_operations")
    now = timezone.now()
    known = set(Operation.objects.values_list("code_name", flat=True))
    for name, seed in (("Heron", seed_heron), ("Merlin", seed_merlin)):
        if name in known:
            result.skipped += 1
            continue
        linked = seed(context, lead, now)
        result.linked += linked or 0
        result.created += 1
    return result
