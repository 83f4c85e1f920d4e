"""The closed set of webhook event types (what a subscription may ask for)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    REFERRAL_CREATED = "referral.created", _("A referral is sent to the provider")
    REFERRAL_STATUS_CHANGED = "referral.status_changed", _("A referral's status changes")
    REFERRAL_AMENDED = "referral.amended", _("A referral is amended")
    APPOINTMENT_BOOKED = "appointment.booked", _("An appointment is booked")
    APPOINTMENT_CHANGED = "appointment.changed", _("An appointment is changed")
    REFERRAL_OUTCOME = "referral.outcome", _("A referral is closed with an outcome for the police")


EVENT_TYPES = frozenset(EventType.values)
