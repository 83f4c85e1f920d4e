"""Rescheduling an appointment: a new date, time, way (in person, phone, video) or place,
with the reason, kept as the appointment's history (``AppointmentChange``).

Only a booked appointment moves: one attended, missed, left early or cancelled is a record
of what happened. The new date follows the booking's rules (``services.work``): not
before the referral was sent, not beyond the planning horizon (``core.dates``). The place
is optional for every way, as when booking: a phone or video appointment has none, and an
in-person one may be booked before the room is known. Something must change, and the
reason is required (it is the provider's: the police see only that the appointment moved
and when, never the reason, which may be clinical).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.dates import check_between, latest_planned
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.referrals.models import Appointment, AppointmentChange
from pontio.referrals.services.common import check_limits, check_texts, lock_referral, snapshot
from pontio.referrals.services.work import require_working


@transaction.atomic
def appointment_reschedule(
    *,
    context: AuditContext,
    actor: User,
    appointment_id: int,
    expected_version: int | None,
    starts_at: dt.datetime,
    mode: str,
    place: str = "",
    reason: str,
) -> AppointmentChange:
    """Move a booked appointment; the change (was, now, who, why) is kept and audited."""
    require_permission(actor, "referrals.work")
    appointment = (
        restrict(Appointment.objects.select_for_update(), actor, "change")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise PermissionDenied
    referral = lock_referral(actor, appointment.referral_id, "referrals.work")
    appointment.referral = referral
    require_working(referral)
    if appointment.attendance != Appointment.Attendance.BOOKED:
        raise ValidationError(
            _("Only a booked appointment can be rescheduled: this one is “%(state)s”")
            % {"state": appointment.get_attendance_display()},
            code="not_booked",
        )
    # A stale copy is refused first: what it would change may no longer make sense.
    before = snapshot(appointment)
    check_version(appointment, expected_version)
    errors: dict[str, list[str]] = {}
    if mode not in Appointment.Mode.values:
        errors["mode"] = [_("Choose in person, by phone or by video")]
    if not (reason or "").strip():
        errors["reason"] = [_("Enter why the appointment is being rescheduled")]
    if errors:
        raise ValidationError(errors, code="invalid_reschedule")
    check_texts(reason=reason)
    check_limits(place=(place, 200))
    day = timezone.localtime(starts_at).date()
    if day < referral.sent_on:
        raise ValidationError(
            {"starts_at": [_("The appointment cannot be before the referral was sent")]},
            code="before_referral",
        )
    check_between(day, latest=latest_planned(timezone.localdate()), field="starts_at")
    place = place.strip()
    if (starts_at, mode, place) == (appointment.starts_at, appointment.mode, appointment.place):
        raise ValidationError(
            _("Change the date, the time, how or where: nothing has changed"),
            code="unchanged",
        )
    change = AppointmentChange.objects.create(
        appointment=appointment,
        at=timezone.now(),
        actor=actor,
        from_starts_at=appointment.starts_at,
        to_starts_at=starts_at,
        from_mode=appointment.mode,
        to_mode=mode,
        from_place=appointment.place,
        to_place=place,
        reason=reason.strip(),
    )
    appointment.starts_at = starts_at
    appointment.mode = mode
    appointment.place = place
    appointment.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=change,
        person_id=referral.person_id,
        after=snapshot(change),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=appointment,
        person_id=referral.person_id,
        before=before,
        after=snapshot(appointment),
    )
    return change
