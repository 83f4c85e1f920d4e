"""The words of the messages, in the person's language (Welsh Language Standards: a message
to a person who chose Welsh is in Welsh).

In live mode Notify holds the templates (one per kind, channel and language; their ids come
from ``NOTIFY_TEMPLATE_<KIND>_<SMS|EMAIL>_<EN|CY>``) and Pontio sends the personalisation:
``date``, ``time`` and ``place``. In local mode and in the outbox Pontio renders the same
words itself from these translatable strings, so what an administrator reads is what the
person would get.

The messages never say what the service is for, or the person's name: a phone's lock screen
is seen by others (only the appointment's date, time and place).
"""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pontio.core import notify
from pontio.referrals.models import Appointment
from pontio.reminders.models import Kind


def _place(appointment: Appointment) -> str:
    if appointment.mode == Appointment.Mode.PHONE:
        return _("by phone: we will call you")
    if appointment.mode == Appointment.Mode.VIDEO:
        return _("by video: we will send you the link")
    return appointment.place or _("the place we agreed with you")


def personalisation(appointment: Appointment, starts_at: object, language: str) -> dict[str, str]:
    """The values of the Notify template, in ``language``."""
    with translation.override(language):
        local = timezone.localtime(starts_at)  # type: ignore[arg-type]
        return {
            "date": formats.date_format(local, "l j F Y"),
            "time": formats.time_format(local, "g:ia"),
            "place": _place(appointment),
        }


def _opening(kind: str) -> str:
    if kind == Kind.REMINDER_2_DAYS:
        return _("Reminder: you have an appointment in 2 days.")
    if kind == Kind.REMINDER_2_HOURS:
        return _("Reminder: you have an appointment in 2 hours.")
    return _("Your appointment is booked.")


def render(kind: str, values: dict[str, str], language: str) -> str:
    """The message as the person reads it (the body of local mode and of the outbox)."""
    with translation.override(language):
        lines = [
            _opening(kind),
            _("Date: %(date)s") % values,
            _("Time: %(time)s") % values,
            _("Where: %(place)s") % values,
            _("If you cannot come, please contact us to change it."),
        ]
    return "\n".join(lines)


def template_id(kind: str, channel: str, language: str) -> str:
    """NOTIFY_TEMPLATE_<KIND>_<CHANNEL>_<LANG>: the staff notices' naming, with the channel."""
    return notify.template_id(f"{kind}_{channel}", language)
