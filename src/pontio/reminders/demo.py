"""Demo messages to referred people (demo and tests only, never production).

The demo books its appointments through the services, so the signals have already made
each appointment's confirmation and reminders; but no worker ran in the demo's past, and
recording attendance cancelled what was never sent. This seed gives every appointment the
history it would have had in local mode (no Notify key):

- past appointments (attendance recorded): the confirmation and the reminders due before
  the start "recorded locally" at their due time, on the channel the person agreed to
  (none: a "not sent: no consent" row), so the outbox and the dashboard tile
  "Attendance with and without reminders" have figures;
- booked future appointments: their messages brought in step (``scheduling``), and those
  due now recorded locally by the same code the worker runs (``sending.send_due``).

Idempotent: rows are keyed by (appointment, kind, channel, time) and updated in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pontio.referrals.models import Appointment, Referral
from pontio.reminders import sending, texts
from pontio.reminders.consent import reach_for
from pontio.reminders.models import Channel, Kind, MessageStatus, PersonMessage
from pontio.reminders.scheduling import BEFORE, language_of, sync_appointment
from pontio.reminders.selectors import RECORDED

# When the demo's past confirmations went: a few days before the appointment.
CONFIRMED_BEFORE = dt.timedelta(days=5)


@dataclass
class SeedResult:
    past: int = 0
    upcoming: int = 0
    recorded: int = 0


def _history(appointment: Appointment, referral: Referral) -> None:
    reach = reach_for(referral)
    language = language_of(referral)
    values = texts.personalisation(appointment, appointment.starts_at, language)
    key: dict[str, Any] = {"appointment": appointment, "for_starts_at": appointment.starts_at}
    if reach.channel == Channel.NONE:
        PersonMessage.objects.update_or_create(
            **key,
            kind=Kind.CONFIRMATION,
            channel=Channel.NONE,
            defaults={
                "referral": referral,
                "language": language,
                "status": MessageStatus.NOT_SENT_NO_CONSENT,
                "due_at": appointment.starts_at - CONFIRMED_BEFORE,
                "body": texts.render(Kind.CONFIRMATION, values, language),
                "to": "",
            },
        )
        return
    dues = {Kind.CONFIRMATION: appointment.starts_at - CONFIRMED_BEFORE}
    dues.update({kind: appointment.starts_at - before for kind, before in BEFORE.items()})
    for kind, due in dues.items():
        PersonMessage.objects.update_or_create(
            **key,
            kind=kind,
            channel=reach.channel,
            defaults={
                "referral": referral,
                "language": language,
                "status": MessageStatus.RECORDED_LOCALLY,
                "due_at": due,
                "sent_at": due,
                "attempts": 1,
                "body": texts.render(kind, values, language),
                "to": "",
                "last_error": "",
            },
        )


@transaction.atomic
def seed_reminders() -> SeedResult:
    result = SeedResult()
    now = timezone.now()
    referrals = {r.pk: r for r in Referral.objects.all()}
    for appointment in Appointment.objects.order_by("pk"):
        referral = referrals.get(appointment.referral_id)
        if referral is None:
            continue
        if appointment.attendance in RECORDED and appointment.starts_at <= now:
            _history(appointment, referral)
            result.past += 1
        elif appointment.attendance == Appointment.Attendance.BOOKED and (
            appointment.starts_at > now
        ):
            sync_appointment(appointment, now)
            result.upcoming += 1
    if sending.local_mode():
        result.recorded = sending.send_due(now)
    return result
