"""The provider's work on a referral: contact attempts, appointments, clinical records, TOP.

Work is recorded while the referral is accepted, in progress or on hold
(``lifecycle.WORKING``, the same rule ``actions_for`` shows the links by). The first real
contact or attendance starts the work (accepted -> in-progress).

Each timer is met by the event it measures, and by nothing else: the first-contact timer by
the first contact attempt, the assessment timer by a recorded assessment, the treatment
timer by a recorded treatment start (``clinical_record_add``). An attended appointment or a
Treatment Outcomes Profile is work, not the assessment or the treatment start itself, so
the timers keep running until those are recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.dates import check_between, latest_planned
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.referrals import lifecycle, observers
from pontio.referrals.models import (
    TOP_SUBSTANCES,
    Alert,
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    ContactChannel,
    Party,
    Referral,
    Status,
    TopEntry,
    TopStage,
)
from pontio.referrals.services.common import check_limits, check_texts, lock_referral, snapshot
from pontio.referrals.services.notify import alert_police

TOP_DAY_FIELDS = (
    "alcohol_days",
    "opiates_days",
    "crack_days",
    "cocaine_days",
    "amphetamines_days",
    "cannabis_days",
    "other_days",
    "injecting_days",
    "shoplifting_days",
    "drug_selling_days",
    "vehicle_theft_days",
    "other_theft_days",
    "assault_days",
)
TOP_SCORE_FIELDS = ("psychological_health", "physical_health", "quality_of_life")
# Attendance that can only be recorded once the appointment has started.
HAPPENED = frozenset(
    {
        Appointment.Attendance.ATTENDED,
        Appointment.Attendance.DID_NOT_ATTEND,
        Appointment.Attendance.LEFT_EARLY,
    }
)


def _save_work(
    context: AuditContext, referral: Referral, record: Any, before: dict[str, Any]
) -> None:
    """Save the referral a piece of work changed, and audit the new row and the change."""
    referral.version += 1
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=record,
        person_id=referral.person_id,
        after=snapshot(record),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        before=before,
        after=snapshot(referral),
    )


def require_working(referral: Referral) -> None:
    if referral.status in (Status.REQUESTED, Status.RECEIVED):
        raise ValidationError(
            _("Accept the referral before recording work on it"), code="not_accepted"
        )
    if referral.status not in lifecycle.WORKING:
        raise ValidationError(
            _("This referral is closed: nothing more can be recorded on it"), code="closed"
        )


def _check_when(
    when: dt.date, referral: Referral, field_name: str, today: dt.date | None = None
) -> None:
    today = today or timezone.localdate()
    if when > today:
        raise ValidationError({field_name: [_("The date cannot be in the future")]}, code="future")
    if when < referral.sent_on:
        raise ValidationError(
            {
                field_name: [
                    _("The date cannot be before the referral was sent (%(date)s)")
                    % {"date": date_format(referral.sent_on, "j F Y")}
                ]
            },
            code="before_referral",
        )


def _start_work(actor: User, referral: Referral, reason: str) -> None:
    """First real contact or attendance starts the work: accepted -> in-progress."""
    if referral.status == Status.ACCEPTED:
        lifecycle.transition(
            referral, Status.IN_PROGRESS, actor=actor, party=Party.PROVIDER, reason=reason
        )


@transaction.atomic
def contact_attempt_add(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    at: dt.datetime,
    channel: str,
    outcome: str,
    notes: str = "",
) -> ContactAttempt:
    referral = lock_referral(actor, referral_id, "referrals.work")
    require_working(referral)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": [_("Choose how you tried to make contact")]})
    if outcome not in ContactAttempt.Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome of the attempt")]})
    check_texts(notes=notes)
    _check_when(timezone.localtime(at).date(), referral, "at")
    before = snapshot(referral)
    attempt = ContactAttempt.objects.create(
        referral=referral,
        at=at,
        channel=channel,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    day = timezone.localtime(at).date()
    if referral.first_contact_on is None or day < referral.first_contact_on:
        referral.first_contact_on = day
    if outcome in ContactAttempt.SUCCESSFUL:
        _start_work(actor, referral, _("Contact made"))
    referral.version += 1
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=attempt,
        person_id=referral.person_id,
        after=snapshot(attempt),
    )
    if before != snapshot(referral):
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=referral,
            person_id=referral.person_id,
            before=before,
            after=snapshot(referral),
        )
    return attempt


@transaction.atomic
def appointment_book(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    kind: str,
    starts_at: dt.datetime,
    place: str = "",
    mode: str = Appointment.Mode.IN_PERSON,
) -> Appointment:
    referral = lock_referral(actor, referral_id, "referrals.work")
    require_working(referral)
    if kind not in Appointment.Kind.values:
        raise ValidationError({"kind": [_("Choose the type of appointment")]})
    if mode not in Appointment.Mode.values:
        raise ValidationError({"mode": [_("Choose in person, by phone or by video")]})
    check_limits(place=(place, 200))
    day = timezone.localtime(starts_at).date()
    if day < referral.sent_on:
        raise ValidationError(
            {"starts_at": [_("The appointment cannot be before the referral was sent")]}
        )
    # A date years ahead is a typing mistake (core.dates): it would sit in every timer.
    check_between(day, latest=latest_planned(timezone.localdate()), field="starts_at")
    appointment = Appointment.objects.create(
        referral=referral,
        kind=kind,
        starts_at=starts_at,
        mode=mode,
        place=place.strip(),
        recorded_by=actor,
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=appointment,
        person_id=referral.person_id,
        after=snapshot(appointment),
    )
    return appointment


@transaction.atomic
def appointment_record_attendance(
    *,
    context: AuditContext,
    actor: User,
    appointment_id: int,
    expected_version: int | None,
    attendance: str,
) -> Appointment:
    require_permission(actor, "referrals.work")
    appointment = (
        restrict(Appointment.objects.select_for_update(), actor, "change")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise PermissionDenied
    referral = lock_referral(actor, appointment.referral_id, "referrals.work")
    appointment.referral = referral  # the locked row, whose version the caller is told
    require_working(referral)
    if (
        attendance not in Appointment.Attendance.values
        or attendance == Appointment.Attendance.BOOKED
    ):
        raise ValidationError(
            {
                "attendance": [
                    _("Choose attended, attended but left early, did not attend or cancelled")
                ]
            }
        )
    if attendance in HAPPENED and appointment.starts_at > timezone.now():
        raise ValidationError(
            {"attendance": [_("The appointment has not happened yet: record attendance after it")]},
            code="future",
        )
    before = snapshot(appointment)
    referral_before = snapshot(referral)
    check_version(appointment, expected_version)
    appointment.attendance = attendance
    appointment.save()
    if attendance in (Appointment.Attendance.ATTENDED, Appointment.Attendance.LEFT_EARLY):
        _start_work(actor, referral, _("Attended an appointment"))
    if referral_before != snapshot(referral):
        referral.version += 1
        referral.save()
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=referral,
            person_id=referral.person_id,
            before=referral_before,
            after=snapshot(referral),
        )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=appointment,
        person_id=referral.person_id,
        before=before,
        after=snapshot(appointment),
    )
    if attendance == Appointment.Attendance.DID_NOT_ATTEND:
        alert_police(referral, Alert.Kind.DID_NOT_ATTEND)
    # The processes built on referrals act on it in the same transaction (custody: a
    # required assessment attended, missed or left early).
    observers.attendance_recorded(
        context=context, actor=actor, appointment=appointment, attendance=attendance
    )
    return appointment


@transaction.atomic
def clinical_record_add(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    kind: str,
    on: dt.date,
    intervention: str = "",
    notes: str = "",
) -> ClinicalRecord:
    """Record the comprehensive assessment or the treatment start (sets the timer dates)."""
    referral = lock_referral(actor, referral_id, "referrals.work")
    require_working(referral)
    if kind not in ClinicalRecord.Kind.values:
        raise ValidationError({"kind": [_("Choose assessment or treatment start")]})
    check_texts(notes=notes)
    check_limits(intervention=(intervention, 120))
    _check_when(on, referral, "on")
    if kind == ClinicalRecord.Kind.TREATMENT_START and (
        referral.assessed_on is None or on < referral.assessed_on
    ):
        raise ValidationError(
            {"on": [_("Record the assessment first: treatment starts on or after the assessment")]},
            code="no_assessment",
        )
    before = snapshot(referral)
    record = ClinicalRecord.objects.create(
        referral=referral,
        kind=kind,
        on=on,
        intervention=intervention.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    if kind == ClinicalRecord.Kind.ASSESSMENT and (
        referral.assessed_on is None or on < referral.assessed_on
    ):
        referral.assessed_on = on
    if kind == ClinicalRecord.Kind.TREATMENT_START and referral.treatment_started_on is None:
        referral.treatment_started_on = on
    _start_work(actor, referral, _("Work started"))
    _save_work(context, referral, record, before)
    return record


@transaction.atomic
def top_record(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    stage: str,
    interview_date: dt.date,
    main_substance: str,
    values: dict[str, Any],
) -> TopEntry:
    """Record a Treatment Outcomes Profile (start, review, exit or post-exit)."""
    referral = lock_referral(actor, referral_id, "referrals.work")
    require_working(referral)
    errors: dict[str, list[str]] = {}
    if stage not in TopStage.values:
        errors["stage"] = [_("Choose the stage of the profile")]
    if main_substance not in TOP_SUBSTANCES:
        errors["main_substance"] = [_("Choose the main problem substance")]
    for name in TOP_DAY_FIELDS:
        value = values.get(name)
        if value is not None and not (0 <= int(value) <= 28):
            errors[name] = [_("Enter a number of days from 0 to 28")]
    for name in TOP_SCORE_FIELDS:
        value = values.get(name)
        if value is not None and not (0 <= int(value) <= 20):
            errors[name] = [_("Enter a score from 0 to 20")]
    if main_substance in TOP_SUBSTANCES and values.get(f"{main_substance}_days") is None:
        errors[f"{main_substance}_days"] = [_("Enter the days the main problem substance was used")]
    try:
        _check_when(interview_date, referral, "interview_date")
    except ValidationError as error:
        errors.update(error.message_dict)
    entries = list(referral.top_entries.all())
    start = next((e for e in entries if e.stage == TopStage.START), None)
    if stage == TopStage.START and start is not None:
        errors["stage"] = [_("A start profile is already recorded for this referral")]
    if stage in (TopStage.REVIEW, TopStage.EXIT, TopStage.POST_EXIT):
        if start is None:
            errors["stage"] = [_("Record the start profile first")]
        elif interview_date < start.interview_date:
            errors["interview_date"] = [_("A review or exit cannot be before the start profile")]
    if errors:
        raise ValidationError(errors, code="invalid_top")
    before = snapshot(referral)
    entry = TopEntry.objects.create(
        referral=referral,
        stage=stage,
        interview_date=interview_date,
        main_substance=main_substance,
        recorded_by=actor,
        **{k: values.get(k) for k in (*TOP_DAY_FIELDS, *TOP_SCORE_FIELDS, "shared_equipment")},
    )
    _start_work(actor, referral, _("Treatment Outcomes Profile recorded"))
    _save_work(context, referral, entry, before)
    return entry
