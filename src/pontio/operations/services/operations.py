"""Writes of the operation itself: create, edit (optimistic concurrency), move its phase.

Closing an operation asks each partner organisation that was briefed for its evaluation
(one ``Evaluation`` per organisation), so the survey reaches the partners briefed and
nobody else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.operations import lifecycle
from pontio.operations.models import Evaluation, Operation, Phase
from pontio.operations.services.common import (
    SHORT_MAX,
    audit,
    lock,
    raise_if,
    snapshot,
    text_errors,
)

CODE_NAME_MAX = 60


def _next_reference(year: int) -> str:
    prefix = f"OP-{year}-"
    last = Operation.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _counties(actor: User, county_ids: Iterable[int], errors: dict[str, list[str]]) -> list[County]:
    ids = {int(c) for c in county_ids}
    counties = list(County.objects.filter(pk__in=ids))
    if not counties:
        errors.setdefault("counties", []).append(_("Select at least one county"))
    elif not actor.force_wide and not {c.pk for c in counties} <= set(actor.county_ids):
        errors.setdefault("counties", []).append(_("Select only counties in your own area"))
    return counties


@transaction.atomic
def operation_create(
    *,
    context: AuditContext,
    actor: User,
    code_name: str,
    objective: str,
    county_ids: Iterable[int],
) -> Operation:
    """Start an operation in its planning phase, led by the actor."""
    require_permission(actor, "operations.manage")
    errors: dict[str, list[str]] = {}
    name = text_errors(
        errors, "code_name", code_name, required=_("Enter the code name"), limit=CODE_NAME_MAX
    )
    aim = text_errors(errors, "objective", objective, required=None)
    counties = _counties(actor, county_ids, errors)
    raise_if(errors)
    now = timezone.now()
    operation = Operation(
        reference=_next_reference(timezone.localdate(now).year),
        code_name=name,
        objective=aim,
        lead=actor,
        created_by=actor,
        planning_started_at=now,
    )
    event = lifecycle.transition(operation, Phase.PLANNING, actor=actor, at=now)
    operation.save()
    operation.counties.set(counties)
    event.operation = operation
    event.save()
    audit(context, operation, reason="operation created")
    return operation


@transaction.atomic
def operation_update(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    expected_version: int | None,
    code_name: str,
    objective: str,
    county_ids: Iterable[int],
) -> Operation:
    """Change the code name, objective or counties, from the version the editor saw. A county
    with forecast rows or results cannot be taken off (they would be left outside it)."""
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    name = text_errors(
        errors, "code_name", code_name, required=_("Enter the code name"), limit=CODE_NAME_MAX
    )
    aim = text_errors(errors, "objective", objective, required=None)
    counties = _counties(actor, county_ids, errors)
    kept = {c.pk for c in counties}
    used = (
        set(operation.forecast.values_list("county_id", flat=True))
        | set(operation.results.values_list("county_id", flat=True))
        | set(operation.seizures.values_list("county_id", flat=True))
    )
    if counties and not used <= kept:
        errors.setdefault("counties", []).append(
            _("Keep every county that has forecast rows or results recorded")
        )
    raise_if(errors)
    check_version(operation, expected_version)
    before = snapshot(operation)
    before["counties"] = sorted(operation.counties.values_list("pk", flat=True))
    operation.code_name = name
    operation.objective = aim
    operation.save()
    operation.counties.set(counties)
    after = snapshot(operation)
    after["counties"] = sorted(kept)
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=operation,
        reason="operation edited",
        before=before,
        after=after,
    )
    return operation


@transaction.atomic
def operation_move(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    expected_version: int | None,
    target: str,
    started_at: dt.datetime | None = None,
    reason: str = "",
) -> Operation:
    """Move the operation to its next phase (``lifecycle`` holds the rules)."""
    operation = lock(actor, operation_id)
    now = timezone.now()
    at = started_at or now
    errors = lifecycle.move_errors(
        operation,
        target,
        at,
        now=now,
        briefings=operation.briefings.count(),
        forecast_rows=operation.forecast.count(),
    )
    note = text_errors(errors, "reason", reason, required=None, limit=SHORT_MAX * 5)
    raise_if(errors)
    check_version(operation, expected_version)
    before = snapshot(operation)
    event = lifecycle.transition(operation, target, actor=actor, at=at, reason=note)
    operation.save()
    event.save()
    audit(context, operation, before=before, reason=f"operation phase {target}")
    if target == Phase.CLOSED:
        _ask_for_evaluations(context, operation, now)
    return operation


def _ask_for_evaluations(context: AuditContext, operation: Operation, now: dt.datetime) -> None:
    organisations = sorted(set(operation.briefings.values_list("organisation_id", flat=True)))
    for organisation_id in organisations:
        evaluation, created = Evaluation.objects.get_or_create(
            operation=operation, organisation_id=organisation_id, defaults={"asked_at": now}
        )
        if created:
            audit(context, evaluation, reason="partner evaluation asked")
