"""What every write of the operations app shares: the locked, scoped read of the operation,
the change record, and the limits on free text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.operations.models import Operation

SHORT_MAX = 200
TEXT_MAX = 5000
MAX_COUNT = 100_000


def snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude={"created_at", "updated_at"})


def audit(
    context: AuditContext,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    audit_record(
        context=context,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=obj,
        reason=reason,
        before=before,
        after=snapshot(obj),
    )


def lock(actor: User, operation_id: int, permission: str = "operations.manage") -> Operation:
    """The operation, locked for the rest of the transaction, if the actor may change it."""
    require_permission(actor, permission)
    operation = (
        restrict(Operation.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=operation_id)
        .first()
    )
    if operation is None:
        raise PermissionDenied
    return operation


def text_errors(
    errors: dict[str, list[str]],
    field: str,
    value: str,
    *,
    required: str | None,
    limit: int = TEXT_MAX,
) -> str:
    """Check a free-text value (stripped); add the field's error; give the stripped text."""
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(field, []).append(required)
    elif len(text) > limit:
        errors.setdefault(field, []).append(
            _("Enter %(limit)s characters or fewer") % {"limit": f"{limit:,}"}
        )
    return text


def count_errors(errors: dict[str, list[str]], field: str, value: int | None) -> int:
    if value is None:
        errors.setdefault(field, []).append(_("Enter a whole number, 0 or more"))
        return 0
    if value < 0 or value > MAX_COUNT:
        errors.setdefault(field, []).append(
            _("Enter a whole number from 0 to %(max)s") % {"max": f"{MAX_COUNT:,}"}
        )
    return value


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
