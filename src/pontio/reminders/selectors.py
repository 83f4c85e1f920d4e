"""Reads of messages to referred people: the outbox and the measure of attendance with and
without reminders (``/work`` docs/metrics.md "Attendance with and without reminders")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import User
from pontio.core.models import Notification
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.referrals.models import Appointment
from pontio.reminders.models import REACHED, Channel, Kind, MessageStatus, PersonMessage

PAGE_SIZE = 25
REMINDERS = (Kind.REMINDER_2_DAYS, Kind.REMINDER_2_HOURS)
# Attendance recorded: the appointment happened or was missed (not booked, not cancelled).
RECORDED = (
    Appointment.Attendance.ATTENDED,
    Appointment.Attendance.DID_NOT_ATTEND,
    Appointment.Attendance.LEFT_EARLY,
)
# The person came (leaving early is still coming: the reminder did its work).
CAME = (Appointment.Attendance.ATTENDED, Appointment.Attendance.LEFT_EARLY)


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class OutboxFilters(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(MessageStatus.choices)
    )
    kind = forms.ChoiceField(label=_("Message"), required=False, choices=_any(Kind.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_any(Channel.choices))

    def describe(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return "; ".join(f"{k}={data.get(k) or 'any'}" for k in ("status", "kind", "channel"))


@dataclass
class Outbox:
    filters: OutboxFilters
    rows: QuerySet[PersonMessage]


def outbox(user: User, data: Any) -> Outbox:
    """The messages the user may read, newest first, filtered (wrong filters: none)."""
    filters = OutboxFilters(data or None)
    rows = restrict(PersonMessage.objects.all(), user, "view").order_by("-created_at", "-pk")
    if data and not filters.is_valid():
        return Outbox(filters, rows.none())
    if filters.is_bound:
        for name in ("status", "kind", "channel"):
            value = filters.cleaned_data.get(name)
            if value:
                rows = rows.filter(**{name: value})
    return Outbox(filters, rows)


def referral_messages(user: User, referral_id: int) -> QuerySet[PersonMessage]:
    return restrict(PersonMessage.objects.all(), user, "view").filter(referral_id=referral_id)


# Their link signs in as the recipient (it sets a password): never shown to anyone else.
SIGN_IN_TEMPLATES = frozenset({"account_invitation", "password_reset"})


@dataclass(frozen=True)
class StaffNotice:
    notification: Notification
    recipient: str
    link: str


def staff_notices(user: User) -> QuerySet[Notification]:
    """Staff link-only emails (``core.notify``) the user may read, newest first."""
    return restrict(Notification.objects.all(), user, "view").order_by("-created_at", "-pk")


def staff_notice_rows(user: User, notifications: Any) -> list[StaffNotice]:
    """The page's notices with the recipient's name and username (never their address:
    staff data), and the link unless it would sign in as the recipient."""
    ids = {n.recipient_user_id for n in notifications if n.recipient_user_id}
    users = restrict(User.objects.filter(pk__in=ids), user, "view")
    names = {u.pk: f"{u.get_full_name()} ({u.username})".strip() for u in users}
    return [
        StaffNotice(
            notification=n,
            recipient=names.get(n.recipient_user_id or 0, ""),
            link="" if n.template in SIGN_IN_TEMPLATES else n.link,
        )
        for n in notifications
    ]


@dataclass(frozen=True)
class Group:
    recorded: int = 0
    came: int = 0


@dataclass(frozen=True)
class ReminderAttendance:
    reminded: Group
    not_reminded: Group

    @property
    def total(self) -> Group:
        return Group(
            self.reminded.recorded + self.not_reminded.recorded,
            self.reminded.came + self.not_reminded.came,
        )


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def reminder_attendance(
    user: User, start: dt.date, end: dt.date, county: Any = None
) -> ReminderAttendance:
    """Appointments starting in the period (both days included) with attendance recorded,
    split by whether a reminder for that very time reached the person before it started."""
    first, after = _bounds(start, end)
    appointments = restrict(Appointment.objects.all(), user, "aggregate").filter(
        starts_at__gte=first, starts_at__lt=after, attendance__in=RECORDED
    )
    if county is not None:
        appointments = appointments.filter(referral__county_id=county.pk)
    reminders = restrict(PersonMessage.objects.all(), user, "aggregate").filter(
        appointment_id=OuterRef("pk"),
        kind__in=REMINDERS,
        status__in=list(REACHED),
        for_starts_at=OuterRef("starts_at"),
        sent_at__lt=OuterRef("starts_at"),
    )
    counted = (
        appointments.annotate(reminded=Exists(reminders))
        .values("reminded")
        .annotate(recorded=Count("pk"), came=Count("pk", filter=Q(attendance__in=CAME)))
    )
    groups = {row["reminded"]: Group(row["recorded"], row["came"]) for row in counted}
    return ReminderAttendance(groups.get(True, Group()), groups.get(False, Group()))


def sees_rows(user: User) -> bool:
    """Those who may open the referrals behind the figures see exact counts."""
    return has_permission(user, "referrals.view")
