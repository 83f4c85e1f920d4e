"""Builders of the reminders tests: an accepted referral and its appointments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pontio.referrals import services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Appointment, Referral
from pontio.referrals.tests.helpers import CONTEXT, accepted, make_person

MOBILE = "07700 900123"


def referral_for(
    world: dict[str, Any],
    *,
    channels: tuple[str, ...] = ("phone", "text"),
    phone: str = MOBILE,
    language: str = "en",
) -> Referral:
    person = make_person()
    return accepted(
        world["officer"],
        world["caseworker"],
        person,
        contact=ContactRoute(phone=phone, channels=list(channels)),
        preferred_language=language,
    )


def book(
    world: dict[str, Any], referral: Referral, starts_at: dt.datetime | None = None, **kw: Any
) -> Appointment:
    return services.appointment_book(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind=Appointment.Kind.ASSESSMENT,
        starts_at=starts_at or timezone.now() + dt.timedelta(days=3),
        place=kw.pop("place", "12 Stepney Street, Llanelli"),
        **kw,
    )
