"""Recording what happened: the kernel's side of the audit log.

The audit app keeps the tamper-evident log; the kernel only says *that* something happened
(a read, a denial, a change), through ``record``/``record_request``. The audit app registers
the function that writes the log when it starts (``register_recorder``), so the kernel never
imports it. Until a recorder is registered, recording raises: a read or a denial is never
silently left out of the log.

Event kinds are registered too. The kernel's own are ``AuditAction`` below (what any app does
to a record); an app with kinds of its own registers them (accounts: sign-in, lockout...;
audit: verification), so the audit app stores and shows kinds it knows nothing about. A kind
marked as an *alarm* (a denial, a forged form, a lockout) is counted on the auditor's home
page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pontio.core.http import client_ip


class AuditAction(models.TextChoices):
    """What any app does to a record: the kernel's event kinds."""

    READ = "read", _("Read")
    EXPORT = "export", _("Export")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Change")
    DELETE = "delete", _("Delete")
    DENIED = "denied", _("Access denied")
    CSRF_FAILURE = "csrf_failure", _("Forged or expired form")


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and from where. Built once per request, or for a system job."""

    actor_id: int | None = None
    actor_organisation_id: int | None = None
    ip_address: str | None = None
    request_id: str = ""
    view_name: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        match = getattr(request, "resolver_match", None)
        return cls(
            actor_id=user.pk if authenticated and user is not None else None,
            actor_organisation_id=(
                getattr(user, "organisation_id", None) if authenticated else None
            ),
            ip_address=client_ip(request),
            request_id=getattr(request, "request_id", ""),
            view_name=(match.view_name if match else "")[:100],
        )

    @classmethod
    def system(cls, job: str) -> AuditContext:
        return cls(view_name=f"task:{job}"[:100])


# --- event kinds -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventKind:
    code: str
    label: Any
    alarm: bool = False


_KINDS: dict[str, EventKind] = {}


def register_kinds(choices: Iterable[tuple[str, Any]], *, alarms: Iterable[str] = ()) -> None:
    """Add event kinds, as (code, label) pairs (a ``TextChoices`` class's ``choices``)."""
    alarm_codes = {str(a) for a in alarms}
    for code, label in choices:
        known = _KINDS.get(str(code))
        if known is not None and str(known.label) != str(label):
            raise ImproperlyConfigured(f"Audit event kind {code!r} is registered twice")
        _KINDS[str(code)] = EventKind(str(code), label, alarm=str(code) in alarm_codes)


def kind_choices() -> list[tuple[str, Any]]:
    """Every registered kind, for a choice field (the audit log's filter, its labels)."""
    return [(kind.code, kind.label) for kind in _KINDS.values()]


def is_known_kind(code: str) -> bool:
    return code in _KINDS


def alarm_kinds() -> list[str]:
    return [kind.code for kind in _KINDS.values() if kind.alarm]


register_kinds(AuditAction.choices, alarms=(AuditAction.DENIED, AuditAction.CSRF_FAILURE))


# --- the recorder ------------------------------------------------------------------------

Recorder = Callable[..., Any]
_RECORDER: list[Recorder] = []


def register_recorder(recorder: Recorder) -> None:
    """``recorder(context=AuditContext, action=str, **fields)``: the audit log's writer."""
    _RECORDER[:] = [recorder]


def record(*, context: AuditContext, action: str, **fields: Any) -> Any:
    """Append one event to the audit log (in the caller's transaction)."""
    if not _RECORDER:
        raise ImproperlyConfigured("No audit recorder is registered (is the audit app installed?)")
    return _RECORDER[0](context=context, action=action, **fields)


def record_request(request: HttpRequest, action: str, **fields: Any) -> Any:
    """``record`` with the context taken from the request."""
    return record(context=AuditContext.from_request(request), action=action, **fields)
