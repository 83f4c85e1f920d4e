"""The required assessment (Drugs Act 2005 ss9-14): impose, vary, follow-up, attendance.

Imposing the initial assessment (``assessment_impose``) makes, in one transaction:

- the referral to the provider (``referrals.services.referral_create``, pathway "test on
  arrest", the custody number as its reference) with the contact route the custody form
  collected, checked by the referrals app (``referrals.contact``): a referral without a
  working route is refused, and so is the requirement, so there is no second form;
- the appointment on that referral (``referrals.services.required_appointment_book``);
- the requirement in the state "initial required", its event and the RA1 notice (PDF).

Varying (RA2) books the new appointment on the same referral and cancels the old one.
The follow-up decision (RA4 / RA5) is the initial assessor's (s13) and may be recorded by
the provider or the police; a follow-up books its appointment on the same referral.
Attendance is recorded by the provider on its referral pages; ``attendance_listener`` moves
the requirement (RA3, or a failure and its ``BreachTask``: ``services.breaches``).

An appointment may not be inside the dispute window (``rules.appointment_window``), nor in
the past, nor beyond the planning horizon (``core.dates``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES
from pontio.audit.services import AuditContext
from pontio.core.concurrency import check_version
from pontio.core.dates import check_between, latest_planned
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.custody import lifecycle, printing, rules
from pontio.custody.models import (
    AssessmentState,
    CustodyRecord,
    DrugResult,
    DrugTest,
    RequiredAssessment,
)
from pontio.custody.services.breaches import breach_task_open
from pontio.custody.services.common import (
    audit_changed,
    audit_created,
    lock_record,
    snapshot,
    start_change,
    too_long,
    touch,
)
from pontio.directory.models import Substance
from pontio.people.models import ConsentRecord
from pontio.referrals import services as referral_services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Appointment, Pathway

A = AssessmentState

# The substances a positive result names, for the referral (directory codes).
RESULT_SUBSTANCES: dict[str, tuple[str, ...]] = {
    DrugResult.OPIATES: ("opioids",),
    DrugResult.COCAINE: ("cocaine", "crack"),
    DrugResult.BOTH: ("opioids", "cocaine", "crack"),
}
MAX_PLACE = 200


def check_appointment(
    test: DrugTest, appointment_at: dt.datetime | None, place: str, now: dt.datetime | None = None
) -> tuple[dt.datetime, str]:
    """The time and place of an appointment, or every problem with them (by field)."""
    now = now or timezone.now()
    errors: dict[str, list[Any]] = {}
    if appointment_at is None:
        errors["appointment_at"] = [_("Enter the date and time of the appointment")]
    elif appointment_at < now:
        errors["appointment_at"] = [_("The appointment must be in the future")]
    else:
        try:
            check_between(
                timezone.localtime(appointment_at).date(),
                latest=latest_planned(timezone.localdate()),
                field="appointment_at",
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        window = rules.appointment_window(test, appointment_at)
        if not window.eligible:
            errors.setdefault("appointment_at", []).extend(
                ValidationError(r.text, code=r.rule) for r in window.not_met
            )
    place = (place or "").strip()
    if not place:
        errors["appointment_place"] = [_("Enter where the assessment will be")]
    elif len(place) > MAX_PLACE:
        errors["appointment_place"] = [_("Enter 200 characters or fewer")]
    if errors or appointment_at is None:
        raise ValidationError(errors, code="invalid_appointment")
    return appointment_at, place


def _referral_reason(record: CustodyRecord, test: DrugTest) -> str:
    return _(
        "Required assessment (Drugs Act 2005 s9) after a positive test for %(result)s in "
        "custody at %(suite)s. The initial appointment is set by the police notice."
    ) % {"result": DrugResult(test.effective_result).label, "suite": record.suite}


@transaction.atomic
def assessment_impose(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    appointment_at: dt.datetime | None,
    appointment_place: str,
    contact: ContactRoute,
    consent_given: bool,
    lawful_basis: str = "",
    policy_reference: str = "",
    service_id: int | None = None,
    preferred_language: str = "",
    risk_notes: str = "",
    reason: str = "",
) -> RequiredAssessment:
    """Require the initial assessment (RA1), refer to the provider and book the appointment."""
    record = lock_record(actor, record_id, "custody.assess")
    if RequiredAssessment.objects.filter(record=record).exists():
        raise ValidationError(
            _("An assessment has already been required in this detention"), code="already"
        )
    test = DrugTest.objects.filter(record=record).first()
    now = timezone.now()
    rules.assessment_eligibility(record, test, timezone.localtime(now).date()).refuse()
    if test is None:  # refused above: eligibility needs a test
        raise ValidationError(_("No test has been requested"), code="no_test")
    at, place = check_appointment(test, appointment_at, appointment_place, now)
    errors = too_long(reason=reason)
    if errors:
        raise ValidationError(errors)
    before = start_change(record, expected_version)
    codes = RESULT_SUBSTANCES.get(test.effective_result, ())
    data = referral_services.ReferralData(
        pathway=Pathway.TEST_ON_ARREST,
        reason=_referral_reason(record, test),
        substances=tuple(Substance.objects.filter(code__in=codes).order_by("code")),
        consent_given=consent_given,
        lawful_basis=lawful_basis or ("" if consent_given else ConsentRecord.Basis.LAW_ENFORCEMENT),
        policy_reference=policy_reference,
        preferred_language=preferred_language,
        contact=contact,
        risk_notes=risk_notes,
        source_reference=record.custody_number,
    )
    referral, _created = referral_services.referral_create(
        context=context,
        actor=actor,
        person_id=record.person_id,
        data=data,
        service_id=service_id,
    )
    appointment = referral_services.required_appointment_book(
        context=context, actor=actor, referral_id=referral.pk, starts_at=at, place=place
    )
    assessment = RequiredAssessment.objects.create(
        record=record,
        test=test,
        state=lifecycle.START,
        referral=referral,
        appointment=appointment,
        appointment_at=at,
        appointment_place=place,
        imposed_by=actor,
        imposed_at=now,
    )
    event = lifecycle.transition(
        assessment, lifecycle.START, actor=actor, reason=reason.strip(), at=now, from_state=""
    )
    audit_created(context, assessment, record.person_id, reason="required assessment imposed")
    audit_created(context, event, record.person_id)
    notice = printing.store_notice(assessment, event, actor=actor, stage="initial")
    if notice is not None:
        audit_created(context, notice, record.person_id, reason="RA1 notice")
    touch(context, record, before, "required assessment imposed")
    return assessment


def _lock_assessment(actor: User, assessment_id: int) -> RequiredAssessment:
    assessment = (
        restrict(RequiredAssessment.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=assessment_id)
        .select_related("record", "record__suite", "record__person", "test", "referral")
        .first()
    )
    if assessment is None:
        raise PermissionDenied
    return assessment


def _move(
    context: AuditContext,
    actor: User | None,
    assessment: RequiredAssessment,
    to_state: str,
    *,
    reason: str = "",
    previous: Any = None,
) -> None:
    """Move, save, store the notice and audit (the caller has checked the version)."""
    before = snapshot(assessment)
    stage = lifecycle.stage_of(to_state)
    event = lifecycle.transition(assessment, to_state, actor=actor, reason=reason)
    assessment.save()
    person_id = assessment.record.person_id
    audit_changed(context, assessment, person_id, before, reason=f"assessment {to_state}")
    audit_created(context, event, person_id)
    notice = printing.store_notice(
        assessment, event, actor=actor, stage=stage, reason=reason, previous=previous
    )
    if notice is not None:
        audit_created(context, notice, person_id, reason=f"{notice.kind} notice")


@transaction.atomic
def assessment_vary(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    appointment_at: dt.datetime | None,
    appointment_place: str,
    reason: str,
) -> RequiredAssessment:
    """Change the time or place of the appointment by a further notice (RA2)."""
    record = lock_record(actor, record_id, "custody.assess")
    assessment = (
        RequiredAssessment.objects.select_for_update(of=("self",)).filter(record=record).first()
    )
    if assessment is None:
        raise ValidationError(_("No assessment has been required"), code="no_assessment")
    if assessment.state not in lifecycle.AWAITING_ATTENDANCE:
        lifecycle.check_move(assessment.state, A.INITIAL_VARIED)
    to_state = (
        A.INITIAL_VARIED if assessment.state in lifecycle.AWAITING_INITIAL else A.FOLLOWUP_VARIED
    )
    lifecycle.check_move(assessment.state, to_state)
    at, place = check_appointment(assessment.test, appointment_at, appointment_place)
    errors = too_long(reason=reason)
    if not reason.strip():
        errors["reason"] = [_("Enter why the appointment is changed")]
    if errors:
        raise ValidationError(errors)
    record_before = start_change(record, expected_version)
    previous = printing.appointment_of(assessment)
    _rebook(context, actor, assessment, at, place)
    assessment.version += 1
    _move(context, actor, assessment, to_state, reason=reason.strip(), previous=previous)
    touch(context, record, record_before, "assessment appointment varied")
    return assessment


def _rebook(
    context: AuditContext, actor: User, assessment: RequiredAssessment, at: dt.datetime, place: str
) -> None:
    if assessment.referral_id is None:
        raise ValidationError(_("The assessment has no referral"), code="no_referral")
    if actor.has_role(*PROVIDER_ROLES):
        appointment = referral_services.appointment_book(
            context=context,
            actor=actor,
            referral_id=assessment.referral_id,
            kind=Appointment.Kind.ASSESSMENT,
            starts_at=at,
            place=place,
        )
    else:
        appointment = referral_services.required_appointment_book(
            context=context,
            actor=actor,
            referral_id=assessment.referral_id,
            starts_at=at,
            place=place,
            replaces_id=assessment.appointment_id,
        )
    assessment.appointment = appointment
    assessment.appointment_at = at
    assessment.appointment_place = place


@transaction.atomic
def assessment_followup(
    *,
    context: AuditContext,
    actor: User,
    assessment_id: int,
    expected_version: int | None,
    required: bool,
    appointment_at: dt.datetime | None = None,
    appointment_place: str = "",
    reason: str = "",
) -> RequiredAssessment:
    """The initial assessor's decision (s13): a follow-up with its time and place (RA4),
    or none (RA5: the requirement ends). The provider's assessor or the police record it."""
    if not (has_permission(actor, "custody.assessor") or has_permission(actor, "custody.assess")):
        raise PermissionDenied
    assessment = _lock_assessment(actor, assessment_id)
    to_state = A.FOLLOWUP_REQUIRED if required else A.FOLLOWUP_NOT_REQUIRED
    lifecycle.check_move(assessment.state, to_state)
    errors = too_long(reason=reason)
    if errors:
        raise ValidationError(errors)
    at, place = None, ""
    if required:
        at, place = check_appointment(assessment.test, appointment_at, appointment_place)
    check_version(assessment, expected_version)
    if at is not None:
        _rebook(context, actor, assessment, at, place)
    _move(context, actor, assessment, to_state, reason=reason.strip())
    _bump_record(context, assessment.record, f"follow-up {to_state}")
    return assessment


def _bump_record(context: AuditContext, record: CustodyRecord, reason: str) -> None:
    """A change made from outside the record's page (provider, listener) makes the record's
    open pages stale, without a version check of its own."""
    locked = CustodyRecord.objects.select_for_update().get(pk=record.pk)
    before = snapshot(locked)
    locked.version += 1
    touch(context, locked, before, reason)


def attendance_listener(context: Any, actor: Any, appointment: Any, attendance: str) -> None:
    """Called by referrals when the provider records attendance (same transaction): moves a
    requirement waiting for this appointment to attended (RA3), failed or left early, and
    opens the police's task for a failure (``services.breaches``)."""
    if attendance not in ("attended", "dna", "left_early"):
        return
    assessment = (
        RequiredAssessment.objects.select_for_update(of=("self",))
        .filter(appointment_id=appointment.pk)
        .select_related("record", "record__suite", "record__person", "test", "referral")
        .first()
    )
    if assessment is None or assessment.state not in lifecycle.AWAITING_ATTENDANCE:
        return
    stage = lifecycle.stage_of(assessment.state)
    to_state = lifecycle.ATTENDANCE_MOVES[stage][attendance]
    assessment.version += 1
    _move(context, actor, assessment, to_state, reason=_("Recorded by the provider"))
    if to_state in lifecycle.FAILURES:
        breach_task_open(context=context, actor=actor, assessment=assessment, stage=stage)
    _bump_record(context, assessment.record, f"attendance {attendance}")
