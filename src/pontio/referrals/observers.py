"""Listeners told when a provider records attendance at an appointment.

A process built on referrals may need to act on attendance (custody: a required
assessment attended, missed or left early is a move of its own lifecycle and, for a
failure, a task for the police). Referrals never imports those apps: each registers a
listener from its ``dashboard.py``. ``appointment_record_attendance`` calls every listener
inside its own transaction, after the appointment is saved, so the provider's record and
what follows from it commit together or not at all; a listener that raises undoes the
provider's change too (its error is the provider's to see).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (context, actor, appointment, attendance) -> None
AttendanceListener = Callable[[Any, Any, Any, str], None]

_LISTENERS: list[AttendanceListener] = []


def register_attendance_listener(listener: AttendanceListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def attendance_recorded(*, context: Any, actor: Any, appointment: Any, attendance: str) -> None:
    """Tell every listener (in registration order) that attendance was recorded."""
    for listener in list(_LISTENERS):
        listener(context, actor, appointment, attendance)
