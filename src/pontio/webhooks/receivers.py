"""What happens to referrals, heard through Django signals (so referrals never needs to
know webhooks exist), turned into deliveries in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone

from pontio.referrals.models import (
    Appointment,
    ReferralAmendment,
    ReferralCode,
    ReferralEvent,
    Status,
)
from pontio.webhooks.events import EventType
from pontio.webhooks.services import event_publish

# The moves that close a referral with an outcome the police are told about
# (``referrals.services.summary.is_provider_closure``).
OUTCOME_STATUSES = frozenset({Status.COMPLETED, Status.FAILED, Status.CANCELLED})


def on_referral_event(sender: Any, instance: ReferralEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    referral = instance.referral
    if not instance.from_status:
        event_publish(
            event_type=EventType.REFERRAL_CREATED,
            referral=referral,
            created=instance.at,
            status=instance.to_status,
        )
        return
    event_publish(
        event_type=EventType.REFERRAL_STATUS_CHANGED,
        referral=referral,
        created=instance.at,
        status=instance.to_status,
    )
    code = instance.code
    if (
        instance.to_status in OUTCOME_STATUSES
        and code is not None
        and code.kind == ReferralCode.Kind.CLOSURE
    ):
        event_publish(
            event_type=EventType.REFERRAL_OUTCOME,
            referral=referral,
            created=instance.at,
            status=instance.to_status,
        )


def on_appointment(sender: Any, instance: Appointment, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    event_publish(
        event_type=EventType.APPOINTMENT_BOOKED if created else EventType.APPOINTMENT_CHANGED,
        referral=instance.referral,
        created=timezone.now(),
        appointment_id=instance.pk,
    )


def on_amendment(sender: Any, instance: ReferralAmendment, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    event_publish(
        event_type=EventType.REFERRAL_AMENDED, referral=instance.referral, created=instance.at
    )


def connect() -> None:
    post_save.connect(on_referral_event, sender=ReferralEvent, dispatch_uid="webhooks.event")
    post_save.connect(on_appointment, sender=Appointment, dispatch_uid="webhooks.appointment")
    post_save.connect(on_amendment, sender=ReferralAmendment, dispatch_uid="webhooks.amendment")
