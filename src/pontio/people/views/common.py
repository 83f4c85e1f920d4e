"""What every person page needs: the signed-in user, breadcrumbs, the person being changed,
and the audit of people shown as possible matches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import scoped_get
from pontio.core.recording import AuditAction
from pontio.people import selectors
from pontio.people.actions import CHANGE, require_action
from pontio.people.forms import MAX_RECORD_NUMBER
from pontio.people.models import Person

Crumbs = list[tuple[str, str | None]]


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def crumbs(*extra: tuple[str, str | None]) -> Crumbs:
    return [(_("People"), reverse("people:list")), *extra]


def person_crumbs(person: Person, *extra: tuple[str, str | None]) -> Crumbs:
    return crumbs((str(person), reverse("people:detail", args=[person.pk])), *extra)


def changeable(request: HttpRequest, pk: int, action: str = CHANGE) -> Person:
    """An active person on whom ``action`` is open to the user (``people.actions``); the
    audited 404 when the record is outside their change scope (never break-glass)."""
    person = scoped_get(
        request, Person.objects.filter(is_active=True), pk, "change", audit_read=False
    )
    require_action(person, request.user, action)
    return person


def reason_labels(codes: tuple[str, ...]) -> list[str]:
    from pontio.people.matching import REASON_LABELS

    return [str(REASON_LABELS.get(code, code)) for code in codes]


def shown_matches(
    request: HttpRequest, matches: list[tuple[Person, Any]], reason: str
) -> list[dict[str, Any]]:
    """Rows for a table of possible matches (minimal details and the reasons), each shown
    person's read audited: they may be outside the user's area."""
    rows = []
    for person, match in matches:
        audit_request(request, AuditAction.READ, obj=person, person_id=person.pk, reason=reason)
        rows.append(
            {
                "summary": selectors.candidate_summary(person),
                "reasons": reason_labels(match.reasons),
                "likely": match.likely,
            }
        )
    return rows


def record_number(value: str | None) -> int | None:
    """A record number typed or linked (``?duplicate=12``), or None if it is not one."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_RECORD_NUMBER)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_NUMBER else None
