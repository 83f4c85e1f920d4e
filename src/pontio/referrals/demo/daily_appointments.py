"""Demo appointments and end-of-service summaries: on open demo referrals, a phone and a
video appointment and two booked appointments rescheduled (by phone, with a reason); and
three referrals in treatment closed with the summary for the police (achieved, partly,
not achieved). Through the services, as the referral's caseworker. Idempotent: a referral
that already has what this seeder makes is left alone, and nothing is made twice."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.referrals import lifecycle, selectors
from pontio.referrals.models import Appointment, AppointmentChange, Referral, Status
from pontio.referrals.services.appointments import appointment_reschedule
from pontio.referrals.services.moves import referral_transition
from pontio.referrals.services.work import appointment_book

REASONS = (
    "The person asked to move it: they start a new job that morning.",
    "The caseworker is on leave that day; moved to a phone call the next week.",
)
# Plain words for the police: no clinical detail.
SUMMARIES = (
    ("CLO_PLANNED_COMPLETE", "achieved", "Took part in every session and finished the programme."),
    ("CLO_PLANNED_COMPLETE", "partly", "Came to most sessions and finished the programme."),
    (
        "CLO_DNA_DURING_TREATMENT",
        "not",
        "Stopped coming after the first month and did not answer our calls or letters.",
    ),
)
WANTED_MODES = 2
WANTED_CHANGES = 2


def _worker(referral: Referral) -> User | None:
    allocated = referral.allocated_to
    if allocated is not None and allocated.is_active:
        return allocated
    staff = selectors.caseworkers_of(referral)
    return staff[0] if staff else None


def _working() -> list[Referral]:
    return list(
        Referral.objects.filter(status__in=lifecycle.WORKING, transfers__isnull=True)
        .select_related("allocated_to")
        .order_by("pk")
    )


def _remote_appointments(context: AuditContext, now: dt.datetime) -> int:
    remote = Appointment.objects.exclude(mode=Appointment.Mode.IN_PERSON)
    wanted = WANTED_MODES - remote.count()
    made = 0
    modes = [Appointment.Mode.PHONE, Appointment.Mode.VIDEO]
    for referral in _working():
        if made >= wanted:
            break
        actor = _worker(referral)
        if actor is None or remote.filter(referral=referral).exists():
            continue
        try:
            appointment_book(
                context=context,
                actor=actor,
                referral_id=referral.pk,
                kind=Appointment.Kind.REVIEW,
                starts_at=now.replace(hour=11, minute=0, second=0, microsecond=0)
                + dt.timedelta(days=7 + made),
                mode=modes[made % 2],
            )
        except (ValidationError, PermissionDenied):
            continue
        made += 1
    return made


def _rescheduled(context: AuditContext, now: dt.datetime) -> int:
    """Booked appointments (in person first) moved to a phone call two days later, or two
    days from now for one whose time has passed without attendance recorded."""
    wanted = WANTED_CHANGES - AppointmentChange.objects.count()
    if wanted <= 0:
        return 0
    made = 0
    booked = list(
        Appointment.objects.filter(
            attendance=Appointment.Attendance.BOOKED,
            referral__status__in=lifecycle.WORKING,
            referral__transfers__isnull=True,
        )
        .select_related("referral__allocated_to")
        .order_by("-starts_at", "pk")
    )
    booked.sort(key=lambda a: a.mode != Appointment.Mode.IN_PERSON)
    soon = now.replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    for appointment in booked:
        if made >= wanted:
            break
        actor = _worker(appointment.referral)
        if actor is None:
            continue
        try:
            appointment_reschedule(
                context=context,
                actor=actor,
                appointment_id=appointment.pk,
                expected_version=appointment.version,
                starts_at=max(appointment.starts_at + dt.timedelta(days=2), soon),
                mode=Appointment.Mode.PHONE,
                place="",
                reason=REASONS[made % len(REASONS)],
            )
        except (ValidationError, PermissionDenied):
            continue
        made += 1
    return made


def _summaries(context: AuditContext) -> int:
    done = Referral.objects.exclude(outcome_summary="").count()
    made = 0
    candidates = (
        Referral.objects.filter(
            status=Status.IN_PROGRESS,
            treatment_started_on__isnull=False,
            transfers__isnull=True,
        )
        .select_related("allocated_to")
        .order_by("-pk")
    )
    for referral in candidates:
        if done + made >= len(SUMMARIES):
            break
        actor = _worker(referral)
        if actor is None:
            continue
        code, outcome, summary = SUMMARIES[done + made]
        try:
            referral_transition(
                context=context,
                actor=actor,
                referral_id=referral.pk,
                expected_version=referral.version,
                to_status=lifecycle.closing_status(referral.status, code),
                code=code,
                outcome_against_reason=outcome,
                outcome_summary=summary,
                require_outcome=True,
            )
        except (ValidationError, PermissionDenied):
            continue
        made += 1
    return made


def seed(context: AuditContext, now: dt.datetime) -> int:
    """How many rows this run made (appointments, changes, referrals closed with a summary)."""
    return _remote_appointments(context, now) + _rescheduled(context, now) + _summaries(context)
