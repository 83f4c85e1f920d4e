"""Builders shared by the referral tests."""

from __future__ import annotations

import functools
from typing import Any

from tests.factories import make_person as _make_person

from pontio.audit.services import AuditContext
from pontio.directory.models import Service, Substance
from pontio.people.models import Person
from pontio.referrals import services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Referral, Status

CONTEXT = AuditContext.system("test")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"


# A person living in Llanelli, Carmarthenshire, unless told otherwise.
make_person = functools.partial(_make_person, county_code=CARMS)


def substances(*codes: str) -> tuple[Substance, ...]:
    return tuple(Substance.objects.filter(code__in=codes or ("cocaine",)).order_by("code"))


def referral_data(**changes: Any) -> services.ReferralData:
    values: dict[str, Any] = {
        "pathway": "voluntary",
        "reason": "Asked for help with cocaine use after a welfare check.",
        "substances": substances("cocaine"),
        "consent_given": True,
        "contact": ContactRoute(phone="07700 900123", channels=["phone", "text"]),
        "contact_times": "Weekday mornings",
    }
    values.update(changes)
    return services.ReferralData(**values)


def service_named(name: str) -> Service:
    return Service.objects.get(name=name)


def proposed_service(person: Person, data: services.ReferralData) -> Service:
    from pontio.referrals import routing

    option = routing.proposal(routing.route(services.need_for(person, data)))
    assert option is not None
    return option.service


def refer(actor: Any, person: Person, service: Service | None = None, **changes: Any) -> Referral:
    data = referral_data(**changes)
    service = service or proposed_service(person, data)
    referral, created = services.referral_create(
        context=CONTEXT, actor=actor, person_id=person.pk, data=data, service_id=service.pk
    )
    assert created
    return referral


def move(
    actor: Any, referral: Referral, to_status: str, code: str | None = None, reason: str = ""
) -> Referral:
    referral.refresh_from_db()
    return services.referral_transition(
        context=CONTEXT,
        actor=actor,
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=to_status,
        code=code,
        reason=reason,
    )


def accepted(officer: Any, caseworker: Any, person: Person, **changes: Any) -> Referral:
    referral = refer(officer, person, **changes)
    return move(caseworker, referral, Status.ACCEPTED)


def treatment_started(actor: Any, referral: Referral) -> Referral:
    """Record today's assessment and treatment start (a planned completion needs them)."""
    from django.utils import timezone

    today = timezone.localdate()
    for kind in ("assessment", "treatment_start"):
        services.clinical_record_add(
            context=CONTEXT, actor=actor, referral_id=referral.pk, kind=kind, on=today
        )
    referral.refresh_from_db()
    return referral
