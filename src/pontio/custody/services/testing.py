"""The drug test: request, sample or refusal, result, dispute and confirmatory result.

Every step names the custody record's version the page was shown with and refuses, with
the rule that applies (``rules``), anything the law does not allow: a person under the age
for the condition, a non-trigger offence without an inspector's authorisation, a suite not
notified, an under-17 without an appropriate adult, a request without the warning, a result
without a sample. A refusal to give a sample is recorded as the PACE s63C(1) offence (the
charge screen shows it: ``DrugTest.refusal_offence``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.custody import rules
from pontio.custody.models import CustodyRecord, DrugResult, DrugTest, RequiredAssessment, Stage
from pontio.custody.services.common import (
    audit_changed,
    audit_created,
    lock_record,
    snapshot,
    start_change,
    touch,
)


def _moment(at: dt.datetime | None, record: CustodyRecord, field: str) -> dt.datetime:
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError({field: [_("The time cannot be in the future")]}, code="future")
    if at < record.arrested_at:
        raise ValidationError(
            {field: [_("The time cannot be before the arrest")]}, code="before_arrest"
        )
    return at


def _test_of(record: CustodyRecord) -> DrugTest:
    test = DrugTest.objects.select_for_update().filter(record=record).first()
    if test is None:
        raise ValidationError(_("No test has been requested"), code="no_test")
    return test


@transaction.atomic
def test_request(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    stage: str,
    warning_given: bool,
    told_of_authorisation: bool = False,
    appropriate_adult_present: bool = False,
    requested_at: dt.datetime | None = None,
) -> DrugTest:
    """Warn and ask for a sample (PACE s63B(4), (5)); refused unless every condition is met."""
    record = lock_record(actor, record_id, "custody.test")
    if stage not in Stage.values:
        raise ValidationError({"stage": [_("Choose the arrest condition or the charge condition")]})
    if DrugTest.objects.filter(record=record).exists():
        raise ValidationError(
            _("A test has already been requested in this detention"), code="already_tested"
        )
    at = _moment(requested_at, record, "requested_at")
    authorisation = rules.granted_authorisation(record, stage)
    decision = rules.request_decision(
        record,
        stage,
        warning_given=warning_given,
        told_of_authorisation=told_of_authorisation,
        appropriate_adult_present=appropriate_adult_present,
        authorisation=authorisation,
        on=timezone.localtime(at).date(),
    )
    decision.refuse()
    before = start_change(record, expected_version)
    needs_authorisation = not rules.trigger_for(record, stage)
    test = DrugTest.objects.create(
        record=record,
        stage=stage,
        authorisation=authorisation if needs_authorisation else None,
        warning_given=True,
        warning_given_at=at,
        told_of_authorisation=bool(told_of_authorisation and needs_authorisation),
        appropriate_adult_present=appropriate_adult_present,
        requested_at=at,
        requested_by=actor,
    )
    audit_created(context, test, record.person_id, reason="sample requested")
    touch(context, record, before, "sample requested")
    return test


@transaction.atomic
def test_outcome(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    outcome: str,
    at: dt.datetime | None = None,
) -> DrugTest:
    """The sample taken, or refused without good cause (the s63C(1) offence)."""
    record = lock_record(actor, record_id, "custody.test")
    test = _test_of(record)
    if outcome not in (DrugTest.Outcome.SAMPLE_TAKEN, DrugTest.Outcome.REFUSED):
        raise ValidationError({"outcome": [_("Choose sample taken or refused")]})
    if test.outcome:
        raise ValidationError(_("The outcome of the request is already recorded"), code="decided")
    moment = _moment(at, record, "at")
    if moment < test.requested_at:
        raise ValidationError({"at": [_("The time cannot be before the request")]})
    if rules.needs_appropriate_adult(record) and not test.appropriate_adult_present:
        rules.Decision(False, [rules.appropriate_adult(record, False)]).refuse()
    before = start_change(record, expected_version)
    test_before = snapshot(test)
    test.outcome = outcome
    if outcome == DrugTest.Outcome.SAMPLE_TAKEN:
        test.sample_taken_at = moment
    else:
        test.refused_at = moment
    test.version += 1
    test.save()
    audit_changed(context, test, record.person_id, test_before, reason=f"sample {outcome}")
    touch(context, record, before, f"sample {outcome}")
    return test


@transaction.atomic
def test_result(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    result: str,
    disputed: bool = False,
    dt1_completed: bool = False,
    dt2_completed: bool = False,
) -> DrugTest:
    """The result of the sample (opiates, cocaine, both, negative); a disputed positive
    result goes for a confirmatory test, with the DT1 and DT2 forms."""
    record = lock_record(actor, record_id, "custody.test")
    test = _test_of(record)
    rules.result_decision(test).refuse("result")
    if result not in DrugResult.values:
        raise ValidationError({"result": [_("Choose the result")]})
    if test.result:
        raise ValidationError(_("The result is already recorded"), code="decided")
    if disputed and result == DrugResult.NEGATIVE:
        raise ValidationError({"disputed": [_("A negative result cannot be disputed")]})
    before = start_change(record, expected_version)
    test_before = snapshot(test)
    now = timezone.now()
    test.result = result
    test.result_recorded_at = now
    if disputed:
        _mark_disputed(test, now, dt1_completed, dt2_completed)
    test.version += 1
    test.save()
    audit_changed(context, test, record.person_id, test_before, reason="result recorded")
    touch(context, record, before, "result recorded")
    return test


def _mark_disputed(test: DrugTest, now: dt.datetime, dt1: bool, dt2: bool) -> None:
    if not (dt1 and dt2):
        raise ValidationError(
            {
                "disputed": [
                    _(
                        "Complete the DT1 form (copy to the drug intervention team) and the DT2 "
                        "form (copy to the Crown Prosecution Service) for a disputed result"
                    )
                ]
            },
            code="dispute_forms",
        )
    test.disputed = True
    test.disputed_at = now
    test.dt1_recorded_at = now
    test.dt2_recorded_at = now


@transaction.atomic
def test_dispute(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    dt1_completed: bool,
    dt2_completed: bool,
) -> DrugTest:
    """The person disputes a positive result after it was recorded: confirmatory test."""
    record = lock_record(actor, record_id, "custody.test")
    test = _test_of(record)
    if not test.result or test.result == DrugResult.NEGATIVE:
        raise ValidationError(_("Only a positive result can be disputed"), code="not_positive")
    if test.disputed:
        raise ValidationError(_("The result is already disputed"), code="decided")
    if _has_assessment(record):
        raise ValidationError(
            _("The assessment is already required: record the dispute before imposing it"),
            code="assessment_imposed",
        )
    before = start_change(record, expected_version)
    test_before = snapshot(test)
    _mark_disputed(test, timezone.now(), dt1_completed, dt2_completed)
    test.version += 1
    test.save()
    audit_changed(context, test, record.person_id, test_before, reason="result disputed")
    touch(context, record, before, "result disputed")
    return test


def _has_assessment(record: CustodyRecord) -> bool:
    return RequiredAssessment.objects.filter(record=record).exists()


@transaction.atomic
def test_confirmatory(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    result: str,
) -> DrugTest:
    """The laboratory's confirmatory result of a disputed sample."""
    record = lock_record(actor, record_id, "custody.test")
    test = _test_of(record)
    if not test.disputed:
        raise ValidationError(
            _("Only a disputed result has a confirmatory test"), code="not_disputed"
        )
    if test.confirmatory_result:
        raise ValidationError(_("The confirmatory result is already recorded"), code="decided")
    if result not in DrugResult.values:
        raise ValidationError({"result": [_("Choose the result")]})
    before = start_change(record, expected_version)
    test_before = snapshot(test)
    test.confirmatory_result = result
    test.confirmatory_recorded_at = timezone.now()
    test.version += 1
    test.save()
    audit_changed(context, test, record.person_id, test_before, reason="confirmatory result")
    touch(context, record, before, "confirmatory result")
    return test
