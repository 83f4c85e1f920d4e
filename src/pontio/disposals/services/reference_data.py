"""Administrators keep the disposals' reference data: disposal types and the diversion
scheme (issue 16 item 1: "an administrator can add a type, or end one, without code").

Pontio has no Django admin site (every change must be audited and version-checked): these
services are what the reference pages call, like ``custody.services.reference_data``. Rows
are never deleted: a type that stops being used gets a ``valid_to`` ("In use until"), so a
disposal is still judged by the rules of the type it was given.

Rules checked here, each refused on its field with the rule named:

- the maximum compliance period is not shorter than the default (Criminal Justice Act 2003
  s22 code of practice: usually 16 weeks, exceptionally 20);
- a type's minimum age is at least 10 (the age of criminal responsibility, Children and Young
  Persons Act 1933 s50) and its authorisers are police roles of sergeant or above;
- the scheme's highest gravity score is on the matrix's scale (1 to 4);
- an end date is after the start date.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.disposals.models import ConditionCategory, DisposalType, DiversionScheme

PERMISSION = "disposals.manage_reference"
# Who may authorise a disposal: sergeant or above (the loaded types all say so).
AUTHORISER_ROLES = (Role.CUSTODY_SERGEANT, Role.INSPECTOR)
MINIMUM_AGE_FLOOR = 10
GRAVITY_SCALE = (1, 4)

REFERENCE_MODELS: dict[str, type[models.Model]] = {
    "type": DisposalType,
    "scheme": DiversionScheme,
}
TYPE_RULES = (
    "tier",
    "commenced",
    "statute_en",
    "statute_cy",
    "admission_required",
    "evidence_to_charge_required",
    "minimum_age",
    "authoriser_roles",
    "allowed_categories",
    "unpaid_work_cap_hours",
    "attendance_cap_hours",
    "financial_cap_pence",
    "default_compliance_weeks",
    "maximum_compliance_weeks",
    "excluded_offences",
    "excludes_indictable_only",
    "breach_route",
)
SCHEME_RULES = (
    "minimum_age",
    "offence_max_age_days",
    "maximum_gravity",
    "excluded_groups",
    "contract_months",
    "maximum_conditions",
    "review_interval_days",
)
DATED = ("label_en", "label_cy", "valid_from", "valid_to")
EDITABLE: dict[type[models.Model], tuple[str, ...]] = {
    DisposalType: ("code", *DATED, *TYPE_RULES),
    DiversionScheme: (*DATED, *SCHEME_RULES),
}
MANY = frozenset({"excluded_offences"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    data = snapshot_fields(obj, exclude={"created_at", "updated_at"})
    if isinstance(obj, DisposalType) and obj.pk:
        data["excluded_offences"] = sorted(obj.excluded_offences.values_list("code", flat=True))
    return data


def _rules(obj: models.Model) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if isinstance(obj, DisposalType):
        if obj.maximum_compliance_weeks < obj.default_compliance_weeks:
            errors["maximum_compliance_weeks"] = [
                _(
                    "The maximum compliance period must not be shorter than the default "
                    "(%(weeks)s weeks)"
                )
                % {"weeks": obj.default_compliance_weeks}
            ]
        if obj.minimum_age < MINIMUM_AGE_FLOOR:
            errors["minimum_age"] = [
                _("The minimum age must be at least %(age)s, the age of criminal responsibility")
                % {"age": MINIMUM_AGE_FLOOR}
            ]
        roles = list(obj.authoriser_roles or [])
        if not roles or any(r not in AUTHORISER_ROLES for r in roles):
            errors["authoriser_roles"] = [
                _("Choose who may authorise: a custody sergeant or an inspector, or both")
            ]
        unknown = set(obj.allowed_categories or []) - set(ConditionCategory.values)
        if unknown:
            errors["allowed_categories"] = [_("Choose the conditions from the list")]
    if isinstance(obj, DiversionScheme):
        low, high = GRAVITY_SCALE
        if not low <= obj.maximum_gravity <= high:
            errors["maximum_gravity"] = [
                _("The highest gravity score must be from %(low)s to %(high)s")
                % {"low": low, "high": high}
            ]
        if obj.minimum_age < MINIMUM_AGE_FLOOR:
            errors["minimum_age"] = [
                _("The minimum age must be at least %(age)s, the age of criminal responsibility")
                % {"age": MINIMUM_AGE_FLOOR}
            ]
    return errors


def _apply(obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """Set the values on the row (checked, not saved); the many-to-many values returned."""
    allowed = EDITABLE[type(obj)]
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(f"Not editable: {sorted(unknown)}")
    many: dict[str, Any] = {}
    for name, value in values.items():
        if name in MANY:
            many[name] = list(value or [])
        else:
            setattr(obj, name, value)
    errors = _rules(obj)
    try:
        obj.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return many


def _save(obj: models.Model, many: dict[str, Any]) -> None:
    obj.save()
    for name, value in many.items():
        getattr(obj, name).set(value)


@transaction.atomic
def reference_create(
    *, context: AuditContext, actor: User, model: type[models.Model], values: dict[str, Any]
) -> models.Model:
    require_permission(actor, PERMISSION)
    obj = model()
    many = _apply(obj, values)
    _save(obj, many)
    audit_record(context=context, action=AuditAction.CREATE, obj=obj, after=snapshot(obj))
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
    require_permission(actor, PERMISSION)
    obj = (
        restrict(model._default_manager.select_for_update(of=("self",)), actor, "change")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise PermissionDenied
    before = snapshot(obj)
    check_version(obj, expected_version)  # type: ignore[arg-type]
    many = _apply(obj, values)
    _save(obj, many)
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=snapshot(obj),
    )
    return obj
