"""Builders shared by the disposals tests: a decision made through the services."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.utils import timezone
from tests.factories import make_person as _make_person

from pontio.audit.services import AuditContext
from pontio.directory.models import Substance
from pontio.disposals.models import DisposalType, GravityFactor, GravityOffence
from pontio.disposals.services import decisions
from pontio.referrals.contact import ContactRoute

CONTEXT = AuditContext.system("test")
CARMS = "W06000010"
make_person = functools.partial(_make_person, county_code=CARMS)
ROUTE = ContactRoute(phone="07700 900982", channels=["phone"])


def offence(code: str = "class_a_possession") -> GravityOffence:
    return GravityOffence.objects.get(code=code)


def dtype(code: str = "conditional_caution") -> DisposalType:
    return DisposalType.objects.get(code=code)


def data(**changes: Any) -> decisions.DisposalData:
    values: dict[str, Any] = {
        "offence": offence(),
        "offence_date": timezone.localdate() - dt.timedelta(days=2),
        "offence_summary": "Found with two wraps of cocaine in Llanelli town centre.",
        "admission": "admitted",
        "evidence_to_charge": True,
        "victim_views": "no_victim",
        "outcome": "disposal",
        "disposal_type": dtype(),
        "decision_rationale": "Admitted, first offence, drug use behind it.",
    }
    values.update(changes)
    if (
        isinstance(values.get("factors"), list)
        and values["factors"]
        and isinstance(values["factors"][0], str)
    ):
        values["factors"] = list(GravityFactor.objects.filter(code__in=values["factors"]))
    return decisions.DisposalData(**values)


def condition(category: str = "drug_treatment", **changes: Any) -> decisions.ConditionData:
    values: dict[str, Any] = {
        "category": category,
        "description": "Attend an assessment with the drug service and follow its plan.",
        "due_date": timezone.localdate() + dt.timedelta(weeks=8),
        "contact": ROUTE,
        "substances": tuple(Substance.objects.filter(code="cocaine")),
    }
    values.update(changes)
    return decisions.ConditionData(**values)


def record(actor: Any, person: Any, **changes: Any) -> Any:
    return decisions.disposal_record(
        context=CONTEXT, actor=actor, person_id=person.pk, data=data(**changes)
    )
