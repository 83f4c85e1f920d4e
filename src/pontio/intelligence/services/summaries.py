""" "You said, we did" lines: drafted, checked for identifying patterns, approved."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.intelligence.models import (
    CommunitySummary,
    IntelligenceReport,
    SummaryStatus,
)
from pontio.intelligence.sanitising import identifying_patterns, neutralise, pattern_labels
from pontio.intelligence.services.common import (
    _snapshot,
    logger,
)

# --- "you said, we did" ---------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def check_summary_text(values: dict[str, str]) -> None:
    """Refuse text that still holds a phone number, email, postcode or exact date."""
    errors: dict[str, str] = {}
    for field, text in values.items():
        found = identifying_patterns(text)
        if found:
            errors[field] = _(
                "Remove identifying details before approval: this text contains %(kinds)s."
            ) % {"kinds": ", ".join(pattern_labels(found))}
    if errors:
        raise ValidationError(errors, code="identifying")


@transaction.atomic
def summary_draft(
    *,
    actor: User,
    context: AuditContext,
    county: County,
    month: dt.date,
    you_said_en: str,
    you_said_cy: str,
    we_did_en: str,
    we_did_cy: str,
    report_id: int | None = None,
) -> CommunitySummary:
    require_permission(actor, "intelligence.approve_summary")
    report = None
    if report_id is not None:
        report = (
            restrict(IntelligenceReport.objects.all(), actor, "view").filter(pk=report_id).first()
        )
        if report is None:
            raise PermissionDenied
    values = {
        "you_said_en": neutralise(you_said_en or "")[0],
        "you_said_cy": neutralise(you_said_cy or "")[0],
        "we_did_en": neutralise(we_did_en or "")[0],
        "we_did_cy": neutralise(we_did_cy or "")[0],
    }
    missing = {k: _("Enter this text.") for k, v in values.items() if not v}
    if missing:
        raise ValidationError(missing)
    too_long = {k: _("Keep it to 500 characters.") for k, v in values.items() if len(v) > 500}
    if too_long:
        raise ValidationError(too_long)
    if not actor.force_wide and county.pk not in actor.county_ids:
        raise PermissionDenied
    summary = CommunitySummary.objects.create(
        county=county, month=_month(month), report=report, drafted_by=actor, **values
    )
    audit_record(context=context, action=AuditAction.CREATE, obj=summary, after=_snapshot(summary))
    return summary


@transaction.atomic
def summary_approve(
    *,
    actor: User,
    context: AuditContext,
    summary_id: int,
    version: int | None,
    at: dt.datetime | None = None,
) -> CommunitySummary:
    """Approve a line for the public page (who and when recorded). Text that still holds an
    identifying pattern is refused with a specific error."""
    require_permission(actor, "intelligence.approve_summary")
    summary = (
        restrict(CommunitySummary.objects.select_for_update(), actor, "change")
        .filter(pk=summary_id)
        .first()
    )
    if summary is None:
        raise PermissionDenied
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError({"summary": _("Only a line awaiting approval can be approved.")})
    try:
        check_summary_text(
            {
                "you_said_en": summary.you_said_en,
                "you_said_cy": summary.you_said_cy,
                "we_did_en": summary.we_did_en,
                "we_did_cy": summary.we_did_cy,
            }
        )
    except ValidationError:
        logger.warning(
            "intelligence summary approval refused: identifying pattern (summary %s)", summary.pk
        )
        raise
    check_version(summary, version)
    before = _snapshot(summary)
    summary.status = SummaryStatus.APPROVED
    summary.approved_by = actor
    summary.approved_at = at or timezone.now()
    summary.version += 1
    summary.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=summary,
        before=before,
        after=_snapshot(summary),
    )
    return summary
