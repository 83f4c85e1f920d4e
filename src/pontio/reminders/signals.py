"""Appointments and referrals saved: their messages follow (``scheduling``).

Connected in ``RemindersConfig.ready`` so referrals never needs to know reminders exist.
Runs inside the saving transaction: the messages commit with the appointment or not at all.
"""

from __future__ import annotations

from typing import Any


def appointment_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: nothing to send
        return
    from pontio.reminders.scheduling import sync_appointment

    sync_appointment(instance)


def referral_saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if raw or created:  # a new referral has no appointments yet
        return
    from pontio.reminders.scheduling import sync_referral

    sync_referral(instance.pk)


def connect() -> None:
    from django.db.models.signals import post_save

    from pontio.referrals.models import Appointment, Referral

    post_save.connect(appointment_saved, sender=Appointment, dispatch_uid="reminders-appointment")
    post_save.connect(referral_saved, sender=Referral, dispatch_uid="reminders-referral")
