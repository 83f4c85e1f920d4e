"""Administrators keep the custody reference data: suites, notifications, offences.

Pontio has no Django admin site (every change must be audited and version-checked, which
the admin does not do): these services are what the reference data pages call, like
``core.reference.county_update``. Rows are never deleted: a suite that closes, a
notification that lapses or an offence that leaves the trigger list gets a ``valid_to``, so
historic records are still judged by the rows in force at the time.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.custody.models import CustodySuite, Offence, SuiteNotification
from pontio.custody.services.common import audit_changed, audit_created, snapshot

REFERENCE_MODELS: dict[str, type[models.Model]] = {
    "suite": CustodySuite,
    "notification": SuiteNotification,
    "offence": Offence,
}
EDITABLE: dict[type[models.Model], tuple[str, ...]] = {
    CustodySuite: (
        "code",
        "label_en",
        "label_cy",
        "county",
        "valid_from",
        "valid_to",
        "sort_order",
    ),
    SuiteNotification: ("suite", "cohort", "age_group", "valid_from", "valid_to", "reference"),
    Offence: (
        "code",
        "label_en",
        "label_cy",
        "act",
        "section",
        "trigger",
        "class_a_only",
        "valid_from",
        "valid_to",
        "sort_order",
    ),
}


def _apply(obj: models.Model, values: dict[str, Any]) -> None:
    allowed = EDITABLE[type(obj)]
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(f"Not editable: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    valid_from = getattr(obj, "valid_from", None)
    valid_to = getattr(obj, "valid_to", None)
    if valid_from and valid_to and valid_to <= valid_from:
        from django.utils.translation import gettext as _

        raise ValidationError({"valid_to": [_("The end date must be after the start date.")]})


@transaction.atomic
def reference_create(
    *, context: AuditContext, actor: User, model: type[models.Model], values: dict[str, Any]
) -> models.Model:
    require_permission(actor, "custody.manage_reference")
    obj = model()
    _apply(obj, values)
    obj.save()
    audit_created(context, obj, "")
    return obj


@transaction.atomic
def reference_update(
    *,
    context: AuditContext,
    actor: User,
    model: type[models.Model],
    pk: int,
    expected_version: int | None,
    values: dict[str, Any],
) -> models.Model:
    require_permission(actor, "custody.manage_reference")
    obj = (
        restrict(model._default_manager.select_for_update(), actor, "change").filter(pk=pk).first()
    )
    if obj is None:
        raise PermissionDenied
    before = snapshot(obj)
    check_version(obj, expected_version)  # type: ignore[arg-type]
    _apply(obj, values)
    obj.save()
    audit_changed(context, obj, "", before)
    return obj
