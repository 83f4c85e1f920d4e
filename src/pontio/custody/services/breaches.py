"""Failure to attend or remain (Drugs Act 2005 s12, s14): the police's task and decision.

The assessor must tell the police of a failure (s12, s14); in Pontio the provider records
it on its referral and ``assessments.attendance_listener`` opens a ``BreachTask`` here:

- the evidence needed: the evidential statement, prefilled as a PDF (``printing``), and the
  notice that gave the appointment (RA1, RA2 or RA4, stored with the assessment);
- who must act: the custody sergeants and inspectors of the suite's county and the officer
  in the case (the task's scope, ``policies``);
- by when: ``CUSTODY_BREACH_DECISION_WORKING_DAYS`` working days (setting; 10 by default)
  after the failure was reported, on the Welsh working-day calendar.

The decision, prosecute or no further action, is recorded with its reason
(``breach_decide``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.core.working_days import add_working_days
from pontio.custody import lifecycle, printing
from pontio.custody.models import BreachTask, RequiredAssessment
from pontio.custody.services.common import audit_changed, audit_created, snapshot, too_long

DEFAULT_DECISION_DAYS = 10


def decision_working_days() -> int:
    return int(getattr(settings, "CUSTODY_BREACH_DECISION_WORKING_DAYS", DEFAULT_DECISION_DAYS))


def breach_task_open(
    *, context: AuditContext, actor: Any, assessment: RequiredAssessment, stage: str
) -> BreachTask:
    """Open the task for a failure just recorded (called inside the provider's write)."""
    failure = (
        BreachTask.Failure.LEFT_EARLY
        if assessment.state in lifecycle.LEFT_EARLY
        else BreachTask.Failure.FAILED_TO_ATTEND
    )
    today = timezone.localdate()
    task = BreachTask.objects.create(
        assessment=assessment,
        stage=stage,
        failure=failure,
        appointment_at=assessment.appointment_at,
        county_id=assessment.record.suite.county_id,
        due_on=add_working_days(today, decision_working_days()),
        reported_by=actor if actor is not None and actor.pk else None,
    )
    statement = printing.store_statement(task, reported_by=actor)
    task.statement = statement
    task.save(update_fields=["statement"])
    person_id = assessment.record.person_id
    audit_created(context, statement, person_id, reason="evidential statement prefilled")
    audit_created(context, task, person_id, reason=f"failure reported: {failure}")
    return task


@transaction.atomic
def breach_decide(
    *,
    context: AuditContext,
    actor: User,
    task_id: int,
    expected_version: int | None,
    decision: str,
    reason: str,
) -> BreachTask:
    """Record the decision on a failure to attend or remain, with its reason."""
    require_permission(actor, "custody.decide_breach")
    task = (
        restrict(BreachTask.objects.select_for_update(), actor, "change")
        .filter(pk=task_id)
        .select_related("assessment__record")
        .first()
    )
    if task is None:
        raise PermissionDenied
    if not task.is_open:
        raise ValidationError(_("The decision is already recorded"), code="decided")
    errors = too_long(reason=reason)
    if decision not in (BreachTask.Decision.PROSECUTE, BreachTask.Decision.NO_FURTHER_ACTION):
        errors["decision"] = [_("Choose prosecute or no further action")]
    if not reason.strip():
        errors["reason"] = [_("Enter the reason for the decision")]
    if errors:
        raise ValidationError(errors, code="invalid_decision")
    before = snapshot(task)
    check_version(task, expected_version)
    task.decision = decision
    task.decision_reason = reason.strip()
    task.decided_by = actor
    task.decided_at = timezone.now()
    task.save()
    audit_changed(
        context,
        task,
        task.assessment.record.person_id,
        before,
        reason=f"breach decision {decision}",
    )
    return task
