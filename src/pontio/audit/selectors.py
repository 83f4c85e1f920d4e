"""Reads of the audit log, always through the auditor's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.audit.filters import AuditEventFilter
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.scopes import restrict


def events_for(
    user: Any, data: Any, action: str = "view"
) -> tuple[AuditEventFilter, QuerySet[AuditEvent]]:
    """The events the user may ``action`` that match the filters in ``data`` (none at all if
    a filter is invalid: a mistyped search never widens to the whole log)."""
    events = restrict(AuditEvent.objects.all(), user, action)
    filterset = AuditEventFilter(data, queryset=events)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, events.none()
    return filterset, filterset.qs


def event_for(user: Any, sequence: int) -> AuditEvent | None:
    return restrict(AuditEvent.objects.all(), user, "view").filter(sequence=sequence).first()


def change_record_id(user: Any, event: AuditEvent) -> int | None:
    """The id of the event's change values, if the user may read them."""
    return (
        restrict(ChangeRecord.objects.filter(event=event), user, "view")
        .values_list("pk", flat=True)
        .first()
    )


# What verification_summary() writes as the reason of a VERIFY event.
_INTACT = re.compile(r"^intact: (?P<checked>\d+) events checked$")
_BROKEN = re.compile(
    r"^broken at sequence (?P<at>\d+) \((?P<problem>[a-z-]+)\); (?P<checked>\d+) checked$"
)


@dataclass(frozen=True)
class Verification:
    """A verification's outcome, read back from its event, to be shown in the user's
    language."""

    at: Any
    intact: bool
    checked: int | None
    broken_at: int | None = None
    problem: str = ""

    @property
    def problem_label(self) -> str:
        return str(PROBLEMS.get(self.problem, self.problem))

    def __str__(self) -> str:
        if self.intact:
            return ngettext(
                "intact: %(n)s entry checked", "intact: %(n)s entries checked", self.checked or 0
            ) % {"n": formats.number_format(self.checked or 0)}
        return _("broken at entry %(at)s (%(problem)s); %(n)s checked before it") % {
            "at": self.broken_at,
            "problem": self.problem_label,
            "n": formats.number_format(self.checked or 0),
        }


PROBLEMS = {
    "missing": gettext_lazy("an entry is missing"),
    "previous-hash": gettext_lazy("it does not link to the entry before"),
    "content": gettext_lazy("its content was changed"),
    "change-values": gettext_lazy("its change values were changed"),
}


def verification_outcome(event: AuditEvent) -> Verification:
    intact = _INTACT.match(event.reason)
    if intact:
        return Verification(event.occurred_at, True, int(intact["checked"]))
    broken = _BROKEN.match(event.reason)
    if broken:
        return Verification(
            event.occurred_at,
            False,
            int(broken["checked"]),
            broken_at=int(broken["at"]),
            problem=broken["problem"],
        )
    return Verification(event.occurred_at, False, None, problem=event.reason)


def verifications(user: Any, limit: int = 10) -> QuerySet[AuditEvent]:
    from pontio.audit.models import LogEvent

    return restrict(AuditEvent.objects.all(), user, "view").filter(action=LogEvent.VERIFY)[:limit]


def actor_names(user: Any, events: Any) -> dict[int, str]:
    """The name and username of each actor of ``events``, among the users the reader may see
    (auditors see every account): the log keeps ids only; names are shown, never stored."""
    from django.contrib.auth import get_user_model

    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    users = restrict(get_user_model().objects.filter(pk__in=ids), user, "view")
    return {u.pk: f"{u.get_full_name() or u.get_username()} ({u.get_username()})" for u in users}
