"""Helpers shared by the custody pages (no rules: those are ``rules`` and the services')."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.api import refusal_codes
from pontio.core.forms import GovukForm
from pontio.core.recording import AuditAction
from pontio.custody.models import CustodyRecord

PAGE_SIZE = 25


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def context_of(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def audit_refusal(
    request: HttpRequest, error: ValidationError, what: str, person_id: Any, object_id: Any = ""
) -> None:
    """A refused save is logged like any other denial (the rule refused, never the text)."""
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="custody.custodyrecord",
        object_id=str(object_id),
        person_id=person_id or "",
        reason=f"{what} refused: {refusal_codes(error)}",
    )


def show_error(
    form: GovukForm, error: ValidationError, renames: dict[str, str] | None = None
) -> None:
    """The service's refusal on the form: on the fields it names (renamed to the form's own
    names where they differ), the rest at the top of the error summary."""
    if hasattr(error, "error_dict"):
        renamed: dict[str, list[Any]] = {}
        for name, errors in error.error_dict.items():
            target = (renames or {}).get(name, name)
            if form.has_error(target) if target in form.fields else False:
                continue  # one message per field: the form's own parse error comes first
            renamed.setdefault(target, []).extend(errors)
        form.add_validation_error(ValidationError(renamed))
    else:
        form.add_validation_error(error)


def list_crumb() -> tuple[str, str]:
    return (_("Custody"), reverse("custody:list"))


def record_crumbs(record: CustodyRecord, *title: str) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        list_crumb(),
        (record.custody_number, reverse("custody:detail", args=[record.pk]) if title else None),
    ]
    crumbs.extend((t, None) for t in title)
    return crumbs
