"""Commissioning awards and the providers' quarterly returns: the records behind the
investment and treatment-outcome facts.

- An award is made and corrected by the OPCC analyst, for their own office (the funder),
  with optimistic concurrency (the version the editor started from) and an audit event
  that keeps the changed values.
- A return is entered by a provider manager for their own organisation and a quarter that
  has ended (a partial quarter would understate the outcomes). A second return for the same
  quarter **replaces** the first, as the providers' referral totals do: providers correct
  their figures after a late outcome profile, and refusing would leave the wrong one. The
  audit event keeps the old and new figures, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import OrganisationKind
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.oversight.facts.periods import is_quarter_start
from pontio.oversight.models import AwardKind, AwardPurpose, CommissioningAward, ProviderReturn
from pontio.referrals.metrics.periods import quarter_of

MAX_VALUE = Decimal("100000000")  # £100m: far above any award, below the field's limit
MAX_COUNT = 1_000_000
EARLIEST_QUARTER = dt.date(2010, 1, 1)
SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}


@dataclass(frozen=True)
class AwardData:
    kind: str
    reference: str
    title_en: str
    title_cy: str
    provider_id: int
    purpose: str
    value: Decimal
    starts_on: dt.date
    ends_on: dt.date
    county_id: int | None = None


def _funder(actor: User) -> Organisation:
    organisation = actor.organisation
    if organisation is None or organisation.kind != OrganisationKind.OPCC:
        raise PermissionDenied
    return organisation


def _check(data: AwardData, *, exclude_pk: int | None = None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if data.kind not in AwardKind.values:
        errors["kind"] = [_("Choose a contract or a grant")]
    if data.purpose not in AwardPurpose.values:
        errors["purpose"] = [_("Choose what the award is for")]
    reference = data.reference.strip()
    if not reference:
        errors["reference"] = [_("Enter the award's reference")]
    elif (
        CommissioningAward.objects.filter(reference__iexact=reference)
        .exclude(pk=exclude_pk or 0)
        .exists()
    ):
        errors["reference"] = [_("Another award already has this reference")]
    if not data.title_en.strip():
        errors["title_en"] = [_("Enter the title in English")]
    provider = Organisation.objects.filter(
        pk=data.provider_id, kind=OrganisationKind.PROVIDER, is_active=True
    ).first()
    if provider is None:
        errors["provider"] = [_("Choose a provider from the list")]
    if not Decimal(0) <= data.value <= MAX_VALUE:
        errors["value"] = [_("Enter an amount from £0 to £100,000,000")]
    if data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The end date must be the same as or after the start date")]
    if data.county_id is not None and not County.objects.filter(pk=data.county_id).exists():
        errors["county"] = [_("Choose a county from the list")]
    if errors:
        raise ValidationError(errors, code="invalid_award")
    return {
        "kind": data.kind,
        "reference": reference,
        "title_en": data.title_en.strip(),
        "title_cy": data.title_cy.strip(),
        "provider_id": data.provider_id,
        "purpose": data.purpose,
        "value": data.value,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "county_id": data.county_id,
    }


@transaction.atomic
def award_create(*, context: AuditContext, actor: User, data: AwardData) -> CommissioningAward:
    """Record an award the actor's office has made."""
    require_permission(actor, "oversight.manage_awards")
    funder = _funder(actor)
    values = _check(data)
    award = CommissioningAward.objects.create(funder=funder, **values)
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=award,
        after=snapshot_fields(award, SNAPSHOT_EXCLUDE),
    )
    return award


@transaction.atomic
def award_update(
    *,
    context: AuditContext,
    actor: User,
    award_id: int,
    expected_version: int | None,
    data: AwardData,
) -> CommissioningAward:
    """Correct an award, refusing a stale copy (someone saved it after the editor opened it)."""
    require_permission(actor, "oversight.manage_awards")
    _funder(actor)
    award = (
        restrict(CommissioningAward.objects.select_for_update(), actor, "change")
        .filter(pk=award_id)
        .first()
    )
    if award is None:
        raise PermissionDenied
    before = snapshot_fields(award, SNAPSHOT_EXCLUDE)
    check_version(award, expected_version)
    values = _check(data, exclude_pk=award.pk)
    for name, value in values.items():
        setattr(award, name, value)
    award.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=award,
        before=before,
        after=snapshot_fields(award, SNAPSHOT_EXCLUDE),
    )
    return award


@dataclass(frozen=True)
class ReturnData:
    quarter_start: dt.date
    in_treatment: int
    reviewed: int
    reduced_use: int
    completed: int = 0


def _check_return(data: ReturnData, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if not is_quarter_start(data.quarter_start):
        errors["quarter_start"] = [
            _("Enter the first day of a quarter: 1 January, 1 April, 1 July or 1 October")
        ]
    elif data.quarter_start > today:
        errors["quarter_start"] = [_("The quarter must not be in the future")]
    elif quarter_of(data.quarter_start).end >= today:
        errors["quarter_start"] = [_("Enter a return once the quarter has ended")]
    elif data.quarter_start < EARLIEST_QUARTER:
        errors["quarter_start"] = [_("The quarter must be in 2010 or later")]
    for name in ("in_treatment", "reviewed", "reduced_use", "completed"):
        if not 0 <= getattr(data, name) <= MAX_COUNT:
            errors[name] = [_("Enter a number from 0 to 1,000,000")]
    if not errors:
        if data.reviewed > data.in_treatment:
            errors["reviewed"] = [
                _("The people reviewed must not be more than the people in treatment")
            ]
        if data.reduced_use > data.reviewed:
            errors["reduced_use"] = [
                _("The people who reduced their use must not be more than the people reviewed")
            ]
        if data.completed > data.in_treatment:
            errors["completed"] = [
                _("The people who completed must not be more than the people in treatment")
            ]
    if errors:
        raise ValidationError(errors, code="invalid_return")


@transaction.atomic
def return_record(
    *, context: AuditContext, actor: User, data: ReturnData, today: dt.date | None = None
) -> tuple[ProviderReturn, bool]:
    """Enter (or replace) the actor's organisation's return for a quarter that has ended;
    whether it replaced an earlier one."""
    require_permission(actor, "oversight.enter_returns")
    if actor.organisation_id is None:
        raise PermissionDenied
    _check_return(data, today or timezone.localdate())
    existing = (
        restrict(ProviderReturn.objects.select_for_update(), actor, "change")
        .filter(provider_id=actor.organisation_id, quarter_start=data.quarter_start)
        .first()
    )
    figures = {
        "in_treatment": data.in_treatment,
        "reviewed": data.reviewed,
        "reduced_use": data.reduced_use,
        "completed": data.completed,
    }
    replaced = existing is not None
    before = {name: getattr(existing, name) for name in figures} if existing else None
    if existing is None:
        existing = ProviderReturn(
            provider_id=actor.organisation_id, quarter_start=data.quarter_start
        )
    for name, value in figures.items():
        setattr(existing, name, value)
    existing.entered_by = actor
    existing.entered_at = timezone.now()
    existing.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE if replaced else AuditAction.CREATE,
        obj=existing,
        before=before,
        after={"quarter_start": data.quarter_start, **figures},
    )
    return existing, replaced
