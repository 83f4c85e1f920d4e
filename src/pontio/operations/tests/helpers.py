"""Builders shared by the operations tests (through the real services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pontio.accounts.models import Organisation
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.operations import services
from pontio.operations.models import BriefingLevel, Operation, Phase
from pontio.referrals.tests.helpers import make_person, refer  # noqa: F401

CONTEXT = AuditContext.system("test")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
DDAS = "Dyfed Drug and Alcohol Service"
KALEIDOSCOPE = "Kaleidoscope Powys"


def county(code: str) -> County:
    return County.objects.get(ons_code=code)


def organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def new_operation(lead: Any, *codes: str, code_name: str = "Kestrel") -> Operation:
    return services.operation_create(
        context=CONTEXT,
        actor=lead,
        code_name=code_name,
        objective="Disrupt a county line supplying crack cocaine.",
        county_ids=[county(c).pk for c in (codes or (CARMS,))],
    )


def fresh(operation: Operation) -> Operation:
    return Operation.objects.get(pk=operation.pk)


def brief(
    lead: Any, operation: Operation, name: str = DDAS, level: str = BriefingLevel.SENSITIVE
) -> Any:
    return services.briefing_record(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        organisation_id=organisation(name).pk,
        recipient="Head of Service",
        briefed_at=timezone.now() - dt.timedelta(hours=1),
        level=level,
        shared="Expected demand in Llanelli in the week of enforcement.",
    )


def forecast(
    lead: Any,
    operation: Operation,
    code: str = CARMS,
    week: dt.date | None = None,
    referrals: int = 12,
    safeguarding: int = 3,
) -> Any:
    return services.forecast_row_set(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        expected_version=fresh(operation).version,
        county_id=county(code).pk,
        week_starting=week or timezone.localdate(),
        expected_referrals=referrals,
        expected_safeguarding=safeguarding,
    )


def share(lead: Any, operation: Operation) -> list[Organisation]:
    return services.forecast_share(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        expected_version=fresh(operation).version,
    )


def move(lead: Any, operation: Operation, target: str, at: dt.datetime | None = None) -> Operation:
    return services.operation_move(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        expected_version=fresh(operation).version,
        target=target,
        started_at=at,
    )


def ready_for_enforcement(lead: Any, operation: Operation) -> Operation:
    """Covert, briefed, with a shared forecast for this week."""
    move(lead, operation, Phase.COVERT)
    brief(lead, operation)
    forecast(lead, operation)
    share(lead, operation)
    return fresh(operation)


def in_enforcement(lead: Any, *codes: str) -> Operation:
    operation = ready_for_enforcement(lead, new_operation(lead, *codes))
    return move(lead, operation, Phase.ENFORCEMENT)
