"""Recording one demo person through the people services, at the time it happened.

``_Spec`` is one fictional person and the parts of their record; ``_record`` makes it with
``people.services`` inside ``time_machine.travel``, by a demo police user whose area holds
the person's addresses (``RECORDERS``), so that the record, its history and the audit log
look as if an officer had typed them. Demo and test environments only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.people import services
from pontio.people.models import Flag, Person

FLAG_REASONS: dict[str, str] = {
    Flag.Kind.SAFEGUARDING: "Lives with two children under 5; social services informed.",
    Flag.Kind.RISK_TO_STAFF: "Threatened custody staff with a weapon at last detention.",
    Flag.Kind.RISK_TO_SELF: "Disclosed thoughts of self-harm during last detention.",
    Flag.Kind.VULNERABILITY: "Learning disability: needs an appropriate adult.",
}


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


@dataclass
class SeedResult:
    created: int
    skipped: int


# Demo users who record people, each with the counties they may change (``None``: all).
RECORDERS: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("officer", frozenset({"W06000010"})),
    ("custody.sergeant", frozenset({"W06000010", "W06000009"})),
    ("inspector", frozenset({"W06000008"})),
    ("intelligence", None),
)
RESOLUTION = "Reviewed with the safeguarding hub: no longer applies."


def _recorder(users: dict[str, User], counties: set[str]) -> User:
    """The first demo user whose area holds every county of the person's addresses (a
    person is recorded by someone who may change the record)."""
    for username, area in RECORDERS:
        user = users.get(username)
        if user is not None and (area is None or counties <= area):
            return user
    raise ImproperlyConfigured("Load the demo users first (seed_accounts).")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock on ``day``, local time (a working hour on the day it happened)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass(frozen=True)
class _Spec:
    """One fictional person and the parts of their record, drawn from the seeded generator."""

    person: services.PersonData
    addresses: tuple[services.AddressData, ...]  # oldest first; the last is current
    phone: str
    email: str
    alias_family: str
    custody: int | None  # the two digits a custody number starts with, if they have one
    flag: tuple[str, bool, int] | None  # (kind, resolved, raised how many days ago)
    consent: services.ConsentData | None
    days_ago: int  # when the record was made, before now
    resolve_days: int  # days after raising that a flag was resolved


def _record(spec: _Spec, actor: User, context: AuditContext, now: dt.datetime) -> Person:
    """Make one person's record through the services, each step at the time it happened."""
    made = now - dt.timedelta(days=spec.days_ago)
    # A record is made after its current address was moved into (and never in the future).
    made = min(max(made, _at(spec.addresses[-1].valid_from, 11)), now - dt.timedelta(hours=1))
    with time_machine.travel(made, tick=False):
        person = services.person_create(context=context, actor=actor, data=spec.person)
        for version, address in enumerate(spec.addresses, start=1):
            services.address_add(
                context=context,
                actor=actor,
                person_id=person.pk,
                expected_version=version,
                data=address,
            )
        services.phone_add(context=context, actor=actor, person_id=person.pk, number=spec.phone)
        if spec.email:
            services.email_add(
                context=context, actor=actor, person_id=person.pk, address=spec.email
            )
        if spec.alias_family:
            services.alias_add(
                context=context,
                actor=actor,
                person_id=person.pk,
                given_name=spec.person.given_name,
                family_name=spec.alias_family,
            )
        if spec.custody is not None:
            services.custody_number_add(
                context=context,
                actor=actor,
                person_id=person.pk,
                number=f"DP{spec.custody}{person.pk:06d}",
            )
        if spec.consent is not None:
            services.consent_record(
                context=context,
                actor=actor,
                person_id=person.pk,
                data=replace(spec.consent, date=timezone.localdate()),
            )
    if spec.flag is not None:
        kind, resolved, days_ago = spec.flag
        # Raised on a day after the record was made (and before now).
        raised = now - dt.timedelta(days=days_ago)
        raised = min(max(raised, made + dt.timedelta(hours=2)), now - dt.timedelta(minutes=30))
        with time_machine.travel(raised, tick=False):
            flag = services.flag_raise(
                context=context,
                actor=actor,
                person_id=person.pk,
                kind=kind,
                reason=FLAG_REASONS[kind],
            )
        if resolved:
            when = min(raised + dt.timedelta(days=spec.resolve_days), now)
            with time_machine.travel(when, tick=False):
                services.flag_resolve(
                    context=context,
                    actor=actor,
                    flag_id=flag.pk,
                    expected_version=flag.version,
                    resolution=RESOLUTION,
                )
    return person
