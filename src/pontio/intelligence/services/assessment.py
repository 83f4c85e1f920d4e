"""Assessment: grading, sanitising, priority, links and actions (status received -> assessed
-> actioned, each move a ``ReportEvent``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.intelligence.grading import validate_grading
from pontio.intelligence.models import (
    IntelligenceReport,
    Priority,
    ReportAction,
    ReportEvent,
    ReportPersonLink,
    ReportStatus,
)
from pontio.intelligence.sanitising import neutralise
from pontio.intelligence.services.common import MAX_AREA, MAX_TEXT, STATUS_MOVES, _snapshot
from pontio.people.models import Person

# --- assessment -------------------------------------------------------------------------


def _lock(actor: User, report_id: int) -> IntelligenceReport:
    require_permission(actor, "intelligence.assess")
    report = (
        restrict(IntelligenceReport.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise PermissionDenied
    return report


def _move(report: IntelligenceReport, actor: User, to: str, at: dt.datetime) -> None:
    if report.status == to:
        return
    if to not in STATUS_MOVES[report.status]:
        return  # never backwards: a re-grade of an actioned report keeps "actioned"
    ReportEvent.objects.create(
        report=report, from_status=report.status, to_status=to, actor=actor, at=at
    )
    report.status = to


def _save(
    context: AuditContext,
    report: IntelligenceReport,
    before: dict[str, Any],
    version: int | None,
    reason: str = "",
) -> IntelligenceReport:
    check_version(report, version)
    report.version += 1
    report.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=report,
        reason=reason,
        before=before,
        after=_snapshot(report),
    )
    return report


@transaction.atomic
def report_grade(
    *,
    actor: User,
    context: AuditContext,
    report_id: int,
    version: int | None,
    scheme: str,
    source_code: str,
    information_code: str,
    handling_code: str,
    at: dt.datetime | None = None,
) -> IntelligenceReport:
    """Record the grade as coded fields with the scheme. A 5x5x5 grade (a legacy record
    entered as it was graded) is stored as recorded: never converted."""
    report = _lock(actor, report_id)
    source_code, information_code, handling_code = (
        (source_code or "").strip().upper(),
        (information_code or "").strip().upper(),
        (handling_code or "").strip().upper(),
    )
    validate_grading(scheme, source_code, information_code, handling_code)
    before = _snapshot(report)
    now = at or timezone.now()
    report.scheme = scheme
    report.source_code = source_code
    report.information_code = information_code
    report.handling_code = handling_code
    report.graded_by = actor
    report.graded_at = now
    _move(report, actor, ReportStatus.ASSESSED, now)
    return _save(context, report, before, version, reason="graded")


@transaction.atomic
def report_sanitise(
    *,
    actor: User,
    context: AuditContext,
    report_id: int,
    version: int | None,
    text: str,
    county: County | None = None,
    area: str | None = None,
    at: dt.datetime | None = None,
) -> IntelligenceReport:
    """Write the sanitised text (the original is kept apart, unchanged), and correct the
    place (county and area) if needed."""
    report = _lock(actor, report_id)
    clean, _marked = neutralise(text or "")
    if not clean:
        raise ValidationError({"text": _("Enter the sanitised text.")})
    if len(clean) > MAX_TEXT:
        raise ValidationError(
            {
                "text": _("The sanitised text must be %(max)s characters or fewer.")
                % {"max": MAX_TEXT}
            }
        )
    before = _snapshot(report)
    report.sanitised_text = clean
    report.sanitised_by = actor
    report.sanitised_at = at or timezone.now()
    if county is not None:
        report.county = county
    if area is not None:
        place, _m = neutralise(area)
        if len(place) > MAX_AREA:
            raise ValidationError(
                {"area": _("The place must be %(max)s characters or fewer.") % {"max": MAX_AREA}}
            )
        report.area = place
    return _save(context, report, before, version, reason="sanitised")


@transaction.atomic
def report_prioritise(
    *,
    actor: User,
    context: AuditContext,
    report_id: int,
    version: int | None,
    priority: str,
    reason: str,
) -> IntelligenceReport:
    report = _lock(actor, report_id)
    errors: dict[str, str] = {}
    if priority not in Priority.values:
        errors["priority"] = _("Choose high, medium or low.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the priority.")
    if errors:
        raise ValidationError(errors)
    before = _snapshot(report)
    report.priority = priority
    report.priority_reason, _m = neutralise(reason)
    return _save(context, report, before, version, reason="prioritised")


@transaction.atomic
def report_link_person(
    *, actor: User, context: AuditContext, report_id: int, person_id: int
) -> ReportPersonLink:
    report = _lock(actor, report_id)
    person = (
        restrict(Person.objects.filter(is_active=True), actor, "view").filter(pk=person_id).first()
    )
    if person is None:
        raise ValidationError({"person": _("No person record with that number that you may see.")})
    link, created = ReportPersonLink.objects.get_or_create(
        report=report, person=person, defaults={"linked_by": actor}
    )
    if created:
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            obj=link,
            person_id=person.pk,
            after=snapshot_fields(link),
        )
    return link


@transaction.atomic
def report_link_report(
    *, actor: User, context: AuditContext, report_id: int, other_reference: str
) -> IntelligenceReport:
    report = _lock(actor, report_id)
    other = (
        restrict(IntelligenceReport.objects.all(), actor, "view")
        .filter(reference=(other_reference or "").strip().upper())
        .exclude(pk=report.pk)
        .first()
    )
    if other is None:
        raise ValidationError(
            {"reference": _("No other report with that reference that you may see.")}
        )
    report.linked_reports.add(other)
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=report,
        reason=f"linked to report {other.pk}",
    )
    return other


@transaction.atomic
def action_record(
    *,
    actor: User,
    context: AuditContext,
    report_id: int,
    action: str,
    result: str = "",
    at: dt.datetime | None = None,
) -> ReportAction:
    """Record an action taken and its result (append-only); the report becomes "actioned"."""
    report = _lock(actor, report_id)
    if report.status == ReportStatus.RECEIVED:
        raise ValidationError({"action": _("Grade the report before recording an action on it.")})
    action_text, _m = neutralise(action or "")
    result_text, _m2 = neutralise(result or "")
    if not action_text:
        raise ValidationError({"action": _("Describe the action taken.")})
    if len(action_text) > MAX_TEXT or len(result_text) > MAX_TEXT:
        raise ValidationError(
            {
                "action": _("Keep the action and result to %(max)s characters each.")
                % {"max": MAX_TEXT}
            }
        )
    now = at or timezone.now()
    row = ReportAction.objects.create(
        report=report, action=action_text, result=result_text, recorded_by=actor, recorded_at=now
    )
    audit_record(context=context, action=AuditAction.CREATE, obj=row, after=snapshot_fields(row))
    if report.status != ReportStatus.ACTIONED:
        before = _snapshot(report)
        _move(report, actor, ReportStatus.ACTIONED, now)
        report.version += 1
        report.save()
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=report,
            reason="actioned",
            before=before,
            after=_snapshot(report),
        )
    return row
