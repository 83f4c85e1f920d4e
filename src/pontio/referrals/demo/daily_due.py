"""Demo work coming due: an appointment booked for the next working day on a referral the
demo caseworker works (so their due list shows an appointment before it is due), and the
caseworker subscribed to the daily digest. Idempotent: nothing new when run again."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.working_days import add_working_days
from pontio.referrals import due
from pontio.referrals.lifecycle import WORKING
from pontio.referrals.models import Appointment, Status, WorkDigestSubscription
from pontio.referrals.services.due import digest_subscribe
from pontio.referrals.services.work import appointment_book

PLACE = "DDAS Llanelli, Stepney Street"


def seed(context: AuditContext, now: dt.datetime) -> int:
    caseworker = User.objects.filter(username="caseworker", is_active=True).first()
    if caseworker is None:
        return 0
    made = 0
    today = timezone.localtime(now).date()
    until = timezone.make_aware(dt.datetime.combine(due.window_end(today), dt.time.max))
    working = due.worked_by(caseworker).filter(status__in=WORKING - {Status.ON_HOLD})
    coming = Appointment.objects.filter(
        referral__in=working,
        attendance=Appointment.Attendance.BOOKED,
        starts_at__gt=now,
        starts_at__lte=until,
    )
    if not coming.exists():
        # Theirs first, else one not yet allocated in their area.
        referral = (
            working.filter(allocated_to=caseworker).order_by("-sent_at", "-pk").first()
            or working.filter(allocated_to__isnull=True).order_by("-sent_at", "-pk").first()
        )
        if referral is not None:
            day = add_working_days(today, 1)
            appointment_book(
                context=context,
                actor=caseworker,
                referral_id=referral.pk,
                kind=Appointment.Kind.REVIEW,
                starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30))),
                place=PLACE,
            )
            made += 1
    if not WorkDigestSubscription.objects.filter(user=caseworker).exists():
        digest_subscribe(context=context, actor=caseworker, daily=True)
        made += 1
    return made
