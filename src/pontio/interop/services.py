"""Writes of the FHIR interface: each one the referrals services' own, in one transaction.

A Task update may carry several things at once (the assessment and treatment start dates a
planned completion needs, then the closing move with the outcome for the police); they are
made in one transaction, so a refusal of any part leaves everything as it was. Nothing here
writes a referral row itself: ``referrals.services`` do (``clinical_record_add``,
``referral_transition``, which goes through ``lifecycle.transition`` and ``services.summary``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.interop.incoming import TaskChange
from pontio.referrals import services as referral_services
from pontio.referrals.models import ClinicalRecord, Referral


def _stale() -> StaleVersionError:
    return StaleVersionError(
        _(
            "The Task changed after you read it (its versionId is no longer the one you "
            "named), so nothing was saved. Read it again, then send your update with "
            "If-Match naming its new versionId."
        ),
        code="stale_version",
    )


def _record_date(
    *,
    context: AuditContext,
    actor: User,
    referral: Referral,
    kind: str,
    recorded: dt.date | None,
    given: dt.date | None,
) -> None:
    if given is None or given == recorded:
        return
    if recorded is not None:
        date = date_format(recorded, "j F Y")
        message = (
            _("An assessment is already recorded on %(date)s; it cannot be changed here")
            if kind == ClinicalRecord.Kind.ASSESSMENT
            else _("A treatment start is already recorded on %(date)s; it cannot be changed here")
        )
        raise ValidationError(message % {"date": date}, code="already_recorded")
    referral_services.clinical_record_add(
        context=context, actor=actor, referral_id=referral.pk, kind=kind, on=given
    )
    referral.refresh_from_db()


@transaction.atomic
def task_update(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int,
    change: TaskChange,
) -> Referral:
    """Apply a provider's Task update to the referral (module docstring)."""
    referral = referral_services.lock_referral(actor, referral_id, "referrals.work")
    if referral.version != expected_version:
        raise _stale()
    _record_date(
        context=context,
        actor=actor,
        referral=referral,
        kind=ClinicalRecord.Kind.ASSESSMENT,
        recorded=referral.assessed_on,
        given=change.assessed_on,
    )
    _record_date(
        context=context,
        actor=actor,
        referral=referral,
        kind=ClinicalRecord.Kind.TREATMENT_START,
        recorded=referral.treatment_started_on,
        given=change.treatment_started_on,
    )
    if change.status != referral.status:
        return referral_services.referral_transition(
            context=context,
            actor=actor,
            referral_id=referral.pk,
            expected_version=referral.version,
            to_status=change.status,
            code=change.code,
            reason=change.reason,
            outcome_against_reason=change.outcome,
            outcome_summary=change.summary,
            # As on the closing page: once the work has started, a closure tells the
            # police how far the support met the reason for the referral.
            require_outcome=True,
        )
    if change.code is not None:
        raise ValidationError(
            _("A reason code is sent with a change of status: the Task is already “%(status)s”")
            % {"status": referral.get_status_display()},
            code="code_without_move",
        )
    if (change.outcome or referral.outcome_against_reason) != referral.outcome_against_reason or (
        change.summary or referral.outcome_summary
    ) != referral.outcome_summary:
        raise ValidationError(
            _("Record the outcome for the police only when you close the referral"),
            code="outcome_not_closing",
        )
    return referral
