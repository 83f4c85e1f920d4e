"""Appointments the police set under a legal requirement (a required assessment).

When an officer requires a person to attend an assessment (Drugs Act 2005 ss9-14), the
time and place are given in the written notice at the police station, before the provider
has even received the referral. The referring officer (or a supervisor of their area who may
change the referral) books that appointment on the referral they made, and may replace it
when the notice is varied: the old one is marked cancelled, so the provider's list shows the
appointment that stands. The provider then records attendance as for any appointment.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.dates import check_between, latest_planned
from pontio.core.recording import AuditAction
from pontio.referrals.models import FINISHED, Appointment
from pontio.referrals.services.common import check_limits, lock_referral, snapshot


@transaction.atomic
def required_appointment_book(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    starts_at: dt.datetime,
    place: str,
    replaces_id: int | None = None,
) -> Appointment:
    """Book the assessment appointment a requirement set; cancel the one it replaces."""
    referral = lock_referral(actor, referral_id, "referrals.create")
    if referral.status in FINISHED:
        raise ValidationError(
            _("This referral is closed: no appointment can be booked on it"), code="closed"
        )
    check_limits(place=(place, 200))
    day = timezone.localtime(starts_at).date()
    check_between(
        day,
        earliest=referral.sent_on,
        latest=latest_planned(timezone.localdate()),
        field="starts_at",
    )
    if replaces_id is not None:
        old = (
            Appointment.objects.select_for_update()
            .filter(pk=replaces_id, referral=referral)
            .first()
        )
        if old is None:
            raise PermissionDenied
        if old.attendance == Appointment.Attendance.BOOKED:
            before = snapshot(old)
            old.attendance = Appointment.Attendance.CANCELLED
            old.version += 1
            old.save()
            audit_record(
                context=context,
                action=AuditAction.UPDATE,
                obj=old,
                person_id=referral.person_id,
                reason="replaced by a varied required appointment",
                before=before,
                after=snapshot(old),
            )
    appointment = Appointment.objects.create(
        referral=referral,
        kind=Appointment.Kind.ASSESSMENT,
        starts_at=starts_at,
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
