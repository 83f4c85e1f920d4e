"""Which messages an appointment should have, kept in step with it (called by the signals).

On booking: a confirmation now and reminders due 2 days and 2 hours before the start (a
reminder whose time has already passed is not made). On a new time: the unsent messages for
the old time are cancelled and new ones made for the new time (the unique key includes the
time: see ``models``). A change of way or place re-renders the unsent ones. Cancelled,
attended, missed or left early: every unsent message is cancelled. Without a channel the
person agreed to, a single "not sent: no consent" row records that (outbox and measure).

Sending is the worker's (``tasks``): confirmations due now are queued after the commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pontio.referrals.models import Appointment, Referral
from pontio.reminders import texts
from pontio.reminders.consent import reach_for
from pontio.reminders.models import Channel, Kind, MessageStatus, PersonMessage

BEFORE = {
    Kind.REMINDER_2_DAYS: dt.timedelta(days=2),
    Kind.REMINDER_2_HOURS: dt.timedelta(hours=2),
}


def language_of(referral: Referral) -> str:
    return "cy" if referral.preferred_language == "cy" else "en"


def _unsent(appointment: Appointment):  # type: ignore[no-untyped-def]
    return PersonMessage.objects.filter(appointment=appointment, status=MessageStatus.SCHEDULED)


def cancel_unsent(appointment: Appointment, reason: str) -> int:
    return _unsent(appointment).update(
        status=MessageStatus.CANCELLED, last_error=reason[:200], to=""
    )


def _wanted(appointment: Appointment, now: dt.datetime) -> dict[str, dt.datetime]:
    """Kind -> due time of the messages this appointment should have now."""
    if appointment.starts_at <= now:
        return {}
    wanted = {Kind.CONFIRMATION.value: now}
    for kind, before in BEFORE.items():
        due = appointment.starts_at - before
        if due > now:
            wanted[kind.value] = due
    return wanted


@transaction.atomic
def sync_appointment(appointment: Appointment, now: dt.datetime | None = None) -> list[int]:
    """Bring the appointment's messages in step with it; the ids now due (to queue)."""
    now = now or timezone.now()
    if appointment.attendance != Appointment.Attendance.BOOKED:
        cancel_unsent(appointment, "appointment no longer booked")
        return []
    # Messages for another time (the appointment moved) are no longer right.
    _unsent(appointment).exclude(for_starts_at=appointment.starts_at).update(
        status=MessageStatus.CANCELLED, last_error="appointment moved", to=""
    )
    referral = Referral.objects.get(pk=appointment.referral_id)
    reach = reach_for(referral)
    language = language_of(referral)
    current = PersonMessage.objects.filter(
        appointment=appointment, for_starts_at=appointment.starts_at
    )
    # Consent changed since they were made: the unsent ones on another channel stop.
    current.filter(status=MessageStatus.SCHEDULED).exclude(channel=reach.channel).update(
        status=MessageStatus.CANCELLED, last_error="consent changed", to=""
    )
    wanted = _wanted(appointment, now)
    if not wanted:
        return []
    values = texts.personalisation(appointment, appointment.starts_at, language)
    if reach.channel == Channel.NONE:
        PersonMessage.objects.get_or_create(
            appointment=appointment,
            kind=Kind.CONFIRMATION,
            channel=Channel.NONE,
            for_starts_at=appointment.starts_at,
            defaults={
                "referral": referral,
                "language": language,
                "status": MessageStatus.NOT_SENT_NO_CONSENT,
                "due_at": now,
                "body": texts.render(Kind.CONFIRMATION, values, language),
            },
        )
        return []
    due_now: list[int] = []
    for kind, due in wanted.items():
        body = texts.render(kind, values, language)
        message, created = PersonMessage.objects.get_or_create(
            appointment=appointment,
            kind=kind,
            channel=reach.channel,
            for_starts_at=appointment.starts_at,
            defaults={
                "referral": referral,
                "language": language,
                "to": reach.to,
                "body": body,
                "due_at": due,
            },
        )
        if not created:
            if message.status == MessageStatus.CANCELLED and kind != Kind.CONFIRMATION:
                # Moved back to a time it had before: its reminders are wanted again.
                message.status = MessageStatus.SCHEDULED
                message.last_error = ""
            if message.status != MessageStatus.SCHEDULED:
                continue
            if message.attempts == 0:
                message.due_at = due
            message.to, message.body, message.language = reach.to, body, language
            message.save(update_fields=["status", "last_error", "due_at", "to", "body", "language"])
        if message.due_at <= now:
            due_now.append(message.pk)
    if due_now:
        from pontio.reminders.tasks import send_messages

        ids = list(due_now)
        transaction.on_commit(lambda: send_messages.enqueue(message_ids=ids))
    return due_now


def sync_referral(referral_id: int, now: dt.datetime | None = None) -> None:
    """The referral's contact details or language changed: its booked future appointments'
    messages follow (consent withdrawn stops them; a new language re-renders them)."""
    now = now or timezone.now()
    for appointment in Appointment.objects.filter(
        referral_id=referral_id, attendance=Appointment.Attendance.BOOKED, starts_at__gt=now
    ):
        sync_appointment(appointment, now)
