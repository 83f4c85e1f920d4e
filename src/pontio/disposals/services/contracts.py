"""The diversion contract: referral, needs, agreement, reviews and outcome (DOMAIN.md s3).

Checkpoint's shape: the navigator assesses the nine pathways (0-4 each) at the start,
agrees a contract of ``scheme.contract_months`` months with at most
``scheme.maximum_conditions`` conditions ("no reoffending" mandatory), reviews progress,
re-scores at the end, and closes it as completed (no further action) or failed (the route
that follows). Each write locks the contract through ``restrict(..., "change")``, checks
the version the page was shown with and is audited; a state change is a ``ContractEvent``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.disposals.eligibility import check_eligibility
from pontio.disposals.models import (
    AssessmentStage,
    ComplianceStatus,
    ContractCondition,
    ContractConditionKind,
    ContractEvent,
    ContractState,
    Disposal,
    DisposalCondition,
    DiversionContract,
    FailureRoute,
    NeedsAssessment,
    Pathway,
    PathwayScore,
    ProgressReview,
)
from pontio.disposals.schemes import current_scheme
from pontio.referrals.models import Referral

PERMISSION = "disposals.diversion"
SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def _audit(
    context: AuditContext,
    action: str,
    obj: models.Model,
    person_id: int,
    reason: str = "",
    before: dict[str, Any] | None = None,
) -> None:
    audit_record(
        context=context,
        action=action,
        obj=obj,
        person_id=person_id,
        reason=reason,
        before=before,
        after=_snapshot(obj),
    )


def _lock(actor: User, contract_id: int) -> DiversionContract:
    require_permission(actor, PERMISSION)
    contract = (
        restrict(DiversionContract.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        raise PermissionDenied
    return contract


def _event(contract: DiversionContract, actor: User, from_state: str, reason: str = "") -> None:
    ContractEvent.objects.create(
        contract=contract,
        from_state=from_state,
        to_state=contract.state,
        actor=actor,
        at=timezone.now(),
        reason=reason,
    )


def _require_state(contract: DiversionContract, *states: str) -> None:
    if contract.state not in states:
        raise ValidationError(
            _("This cannot be done to a contract in the state %(state)s.")
            % {"state": contract.get_state_display()},
            code="wrong_state",
        )


def _save(
    context: AuditContext,
    actor: User,
    contract: DiversionContract,
    before: dict[str, Any],
    from_state: str,
    reason: str,
) -> DiversionContract:
    contract.save()
    if contract.state != from_state:
        _event(contract, actor, from_state, reason)
    _audit(context, AuditAction.UPDATE, contract, contract.person_id, reason, before)
    return contract


def _new_reference(year: int) -> str:
    rng = random.SystemRandom()
    while True:
        reference = f"DIV-{year}-{rng.randint(0, 99999):05d}"
        if not DiversionContract.objects.filter(reference=reference).exists():
            return reference


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Oct + 4 = 28/29 Feb)."""
    result: dt.date = day + relativedelta(months=months)
    return result


@transaction.atomic
def contract_open(
    *,
    context: AuditContext,
    actor: User,
    disposal: Disposal | None,
    referral: Referral,
    person_id: int,
) -> DiversionContract:
    """A contract in state "referred" for the scheme in force, addressed to its navigator
    organisation, with the eligibility checks stored (called inside the decision's
    transaction, by the police user who set the diversion condition)."""
    scheme = current_scheme()
    if scheme is None or scheme.navigator_organisation_id is None:
        raise ValidationError(
            {
                "category": _(
                    "The diversion scheme has no navigator organisation: an administrator "
                    "must set one before referrals can be made."
                )
            },
            code="no_navigator",
        )
    today = timezone.localdate()
    eligibility: list[dict[str, Any]] = []
    if disposal is not None:
        eligibility = [
            check.as_dict()
            for check in check_eligibility(
                scheme=scheme,
                age=disposal.age_at_decision,
                offence=disposal.offence,
                gravity_score=disposal.gravity_score,
                admission=disposal.admission,
                offence_date=disposal.offence_date,
                on=today,
            )
        ]
    county_id = disposal.county_id if disposal is not None else referral.county_id
    contract = DiversionContract.objects.create(
        reference=_new_reference(today.year),
        scheme=scheme,
        person_id=person_id,
        county_id=county_id,
        disposal=disposal,
        referral=referral,
        organisation_id=scheme.navigator_organisation_id,
        eligibility=eligibility,
        state=ContractState.REFERRED,
        referred_at=timezone.now(),
    )
    _event(contract, actor, "")
    _audit(context, AuditAction.CREATE, contract, person_id)
    return contract


@transaction.atomic
def contract_assign(
    *,
    context: AuditContext,
    actor: User,
    contract_id: int,
    navigator_id: int,
    expected_version: int | None,
) -> DiversionContract:
    contract = _lock(actor, contract_id)
    before = _snapshot(contract)
    check_version(contract, expected_version)
    navigator = User.objects.filter(
        pk=navigator_id,
        is_active=True,
        organisation_id=contract.organisation_id,
        role_grants__role=Role.NAVIGATOR,
    ).first()
    if navigator is None:
        raise ValidationError(
            {"navigator": _("Choose a navigator of the contract's organisation.")},
            code="not_navigator",
        )
    contract.navigator = navigator
    return _save(context, actor, contract, before, contract.state, "assigned")


@transaction.atomic
def needs_record(
    *,
    context: AuditContext,
    actor: User,
    contract_id: int,
    stage: str,
    scores: dict[str, int],
    notes: str = "",
) -> NeedsAssessment:
    """A needs assessment: every one of the nine pathways scored 0-4. The start once,
    before the contract is agreed; the end once, on a running contract."""
    contract = _lock(actor, contract_id)
    if stage not in AssessmentStage.values:
        raise ValidationError({"stage": _("Choose the start or the end.")}, code="stage")
    if contract.assessments.filter(stage=stage).exists():
        raise ValidationError(
            {"stage": _("This assessment is already recorded.")}, code="already_assessed"
        )
    if stage == AssessmentStage.START and contract.state != ContractState.REFERRED:
        raise ValidationError(
            {"stage": _("The start assessment is recorded before the contract is agreed.")},
            code="start_after_agreement",
        )
    if stage == AssessmentStage.END and contract.state != ContractState.ACTIVE:
        raise ValidationError(
            {"stage": _("The end assessment is recorded on a running contract.")},
            code="end_not_active",
        )
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for pathway in Pathway:
        value = scores.get(pathway.value)
        try:
            score = int(value) if value is not None and value != "" else None
        except (TypeError, ValueError):
            score = None
        if score is None or not 0 <= score <= 4:
            errors[pathway.value] = [
                _("Score %(pathway)s from 0 to 4.") % {"pathway": pathway.label}
            ]
        else:
            clean[pathway.value] = score
    if errors:
        raise ValidationError(errors, code="scores")
    assessment = NeedsAssessment.objects.create(
        contract=contract,
        stage=stage,
        assessed_on=timezone.localdate(),
        assessed_by=actor,
        notes=notes,
    )
    PathwayScore.objects.bulk_create(
        PathwayScore(assessment=assessment, pathway=p, score=s) for p, s in clean.items()
    )
    _audit(context, AuditAction.CREATE, assessment, contract.person_id, f"needs {stage}")
    # The contract's version moves on, so a page opened before the assessment is stale.
    before = _snapshot(contract)
    contract.version += 1
    _save(context, actor, contract, before, contract.state, f"needs {stage}")
    return assessment


@transaction.atomic
def contract_agree(
    *,
    context: AuditContext,
    actor: User,
    contract_id: int,
    expected_version: int | None,
    conditions: list[dict[str, Any]],
    starts_on: dt.date | None = None,
) -> DiversionContract:
    contract = _lock(actor, contract_id)
    _require_state(contract, ContractState.REFERRED)
    before = _snapshot(contract)
    check_version(contract, expected_version)
    scheme = contract.scheme
    if len(conditions) > scheme.maximum_conditions:
        raise ValidationError(
            {
                "conditions": _("A contract has at most %(max)s conditions (you entered %(count)s)")
                % {"max": scheme.maximum_conditions, "count": len(conditions)}
            },
            code="too_many_conditions",
        )
    if not any(c.get("kind") == ContractConditionKind.NO_REOFFENDING for c in conditions):
        raise ValidationError(
            {"conditions": _("Every contract includes no reoffending")},
            code="no_reoffending_missing",
        )
    for condition in conditions:
        if condition.get("kind") not in ContractConditionKind.values:
            raise ValidationError(
                {"conditions": _("Choose the kind of each condition.")}, code="kind"
            )
        if condition.get("pathway") and condition["pathway"] not in Pathway.values:
            raise ValidationError({"conditions": _("Choose a pathway.")}, code="pathway")
        if not str(condition.get("description") or "").strip():
            raise ValidationError(
                {"conditions": _("Say what the person agrees to do for each condition.")},
                code="description",
            )
    if not contract.assessments.filter(stage=AssessmentStage.START).exists():
        raise ValidationError(
            _("Record the start needs assessment before agreeing the contract."),
            code="needs_first",
        )
    start = starts_on or timezone.localdate()
    for condition in conditions:
        ContractCondition.objects.create(
            contract=contract,
            kind=condition["kind"],
            pathway=condition.get("pathway") or "",
            description=str(condition["description"]).strip(),
            hours=condition.get("hours") or None,
        )
    contract.starts_on = start
    contract.ends_on = add_months(start, scheme.contract_months)
    contract.next_review_due = start + dt.timedelta(days=scheme.review_interval_days)
    contract.state = ContractState.ACTIVE
    if contract.navigator_id is None:
        contract.navigator = actor
    return _save(context, actor, contract, before, ContractState.REFERRED, "agreed")


@transaction.atomic
def contract_condition_record(
    *,
    context: AuditContext,
    actor: User,
    condition_id: int,
    status: str,
    evidence: str,
    expected_version: int | None = None,
) -> ContractCondition:
    require_permission(actor, PERMISSION)
    condition = (
        restrict(ContractCondition.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=condition_id)
        .select_related("contract")
        .first()
    )
    if condition is None:
        raise PermissionDenied
    _require_state(condition.contract, ContractState.ACTIVE)
    before = _snapshot(condition)
    if expected_version is not None:
        check_version(condition, expected_version)
    else:
        condition.version += 1
    if status not in ComplianceStatus.values:
        raise ValidationError({"status": _("Choose the compliance.")}, code="status")
    if status != ComplianceStatus.PENDING and not evidence.strip():
        raise ValidationError({"evidence": _("Enter the evidence.")}, code="evidence")
    condition.status = status
    condition.evidence = evidence.strip()
    condition.save()
    _audit(context, AuditAction.UPDATE, condition, condition.contract.person_id, "", before)
    return condition


@transaction.atomic
def review_record(
    *, context: AuditContext, actor: User, contract_id: int, on_track: bool, summary: str
) -> ProgressReview:
    contract = _lock(actor, contract_id)
    _require_state(contract, ContractState.ACTIVE)
    if not summary.strip():
        raise ValidationError({"summary": _("Enter a summary of the review.")}, code="summary")
    today = timezone.localdate()
    review = ProgressReview.objects.create(
        contract=contract,
        reviewed_on=today,
        reviewed_by=actor,
        on_track=on_track,
        summary=summary.strip(),
    )
    _audit(context, AuditAction.CREATE, review, contract.person_id, "review")
    before = _snapshot(contract)
    contract.version += 1
    contract.next_review_due = today + dt.timedelta(days=contract.scheme.review_interval_days)
    _save(context, actor, contract, before, contract.state, "review")
    return review


def _set_disposal_condition(
    context: AuditContext, actor: User, contract: DiversionContract, status: str, evidence: str
) -> None:
    """Tell the disposal the outcome: its diversion condition complied or not (the police
    then follow the breach route of a failed one)."""
    if contract.referral_id is None:
        return
    linked = DisposalCondition.objects.filter(referral_id=contract.referral_id).first()
    if linked is None:
        return
    from pontio.disposals.services.decisions import condition_status_set

    condition_status_set(
        context=context, actor=actor, condition_id=linked.pk, status=status, evidence=evidence
    )


@transaction.atomic
def contract_complete(
    *, context: AuditContext, actor: User, contract_id: int, expected_version: int | None
) -> DiversionContract:
    contract = _lock(actor, contract_id)
    _require_state(contract, ContractState.ACTIVE)
    before = _snapshot(contract)
    check_version(contract, expected_version)
    if contract.conditions.exclude(status=ComplianceStatus.COMPLIED).exists():
        raise ValidationError(
            _("Every condition must be complied with before the contract is completed."),
            code="conditions_open",
        )
    if not contract.assessments.filter(stage=AssessmentStage.END).exists():
        raise ValidationError(
            _("Record the end needs assessment before completing the contract."),
            code="end_needs_missing",
        )
    contract.state = ContractState.COMPLETED
    contract.closed_at = timezone.now()
    _save(context, actor, contract, before, ContractState.ACTIVE, "completed")
    _set_disposal_condition(
        context,
        actor,
        contract,
        ComplianceStatus.COMPLIED,
        _("Diversion contract %(reference)s completed.") % {"reference": contract.reference},
    )
    return contract


@transaction.atomic
def contract_fail(
    *,
    context: AuditContext,
    actor: User,
    contract_id: int,
    expected_version: int | None,
    route: str,
    reason: str,
) -> DiversionContract:
    contract = _lock(actor, contract_id)
    _require_state(contract, ContractState.ACTIVE)
    before = _snapshot(contract)
    check_version(contract, expected_version)
    errors: dict[str, str] = {}
    if route not in FailureRoute.values:
        errors["route"] = _("Choose the route that follows the failure.")
    if not reason.strip():
        errors["reason"] = _("Enter why the contract failed.")
    if errors:
        raise ValidationError(errors, code="fail")
    contract.state = ContractState.FAILED
    contract.failure_route = route
    contract.outcome_reason = reason.strip()
    contract.closed_at = timezone.now()
    _save(context, actor, contract, before, ContractState.ACTIVE, reason.strip())
    _set_disposal_condition(
        context,
        actor,
        contract,
        ComplianceStatus.NOT_COMPLIED,
        _("Diversion contract %(reference)s failed: %(reason)s")
        % {"reference": contract.reference, "reason": reason.strip()},
    )
    return contract


@transaction.atomic
def contract_decline(
    *,
    context: AuditContext,
    actor: User,
    contract_id: int,
    expected_version: int | None,
    reason: str,
) -> DiversionContract:
    contract = _lock(actor, contract_id)
    _require_state(contract, ContractState.REFERRED)
    before = _snapshot(contract)
    check_version(contract, expected_version)
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why the contract is declined.")}, code="reason")
    contract.state = ContractState.DECLINED
    contract.outcome_reason = reason.strip()
    contract.closed_at = timezone.now()
    return _save(context, actor, contract, before, ContractState.REFERRED, reason.strip())
