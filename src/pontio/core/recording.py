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


# --- whose data an event is about ----------------------------------------------------------

# model -> the lookup from its row to the person it is about ("pk" for the person model
# itself, "person_id", "referral__person_id", ...). Registered by each app in its
# policies.py, next to who may see the rows.
_SUBJECTS: dict[type[models.Model], str] = {}


def register_subject(model: type[models.Model], lookup: str) -> None:
    """Say which person a row of ``model`` is about, so every event about it, a denial
    included, names that person (an auditor searching one person's history finds the
    attempts on their records too)."""
    _SUBJECTS[model] = lookup


def subject_of(model: type[models.Model], pk: Any) -> str:
    """The id of the person a row is about, or "" (unknown model, no such row, no person).

    Read whatever the user's scope, for the audit log only: it is never shown to the user.
    """
    lookup = _SUBJECTS.get(model)
    if lookup is None:
        return ""
    try:
        value = model._default_manager.filter(pk=pk).values_list(lookup, flat=True).first()
    except (ValueError, TypeError):  # a malformed id: there is no such row
        return ""
    return "" if value is None else str(value)


def subject_of_object(obj: models.Model) -> str:
    lookup = _SUBJECTS.get(type(obj))
    if lookup is None:
        return ""
    value: Any = obj
    for part in lookup.split("__"):
        value = getattr(value, "pk" if part == "pk" else part, None)
        if value is None:
            return ""
    return str(value)


@dataclass(frozen=True)
class SubjectMatch:
    """A person an auditor may search the log for: their id and how to recognise them."""

    person_id: str
    label: str  # e.g. "Dafydd Jones, born 27 March 1990 (record 17)"
    reason: str = ""  # e.g. "referral PR26-000012"


# (user, text, date of birth or None) -> the people it finds, within the user's scope.
SubjectFinder = Callable[[Any, str, Any], list[SubjectMatch]]
_FINDERS: list[SubjectFinder] = []


def register_subject_finder(finder: SubjectFinder) -> None:
    """An app that knows people by name, date of birth or a reference lets the audit log
    find them (people: names and dates of birth; referrals and searches: references)."""
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def find_subjects(user: Any, text: str, date_of_birth: Any = None) -> list[SubjectMatch]:
    """Everyone the registered finders find, each person once."""
    found: dict[str, SubjectMatch] = {}
    for finder in _FINDERS:
        for match in finder(user, text, date_of_birth):
            found.setdefault(match.person_id, match)
    return list(found.values())


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
