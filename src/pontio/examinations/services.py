"""Writes of device examinations: keyword-only, typed, atomic, audited (ids only).

- ``examination_request_create``: a request from one source in the requester's scope, with
  its legal basis (required: refused with ``legal_basis_required`` and nothing saved), the
  level, the priority (and its reason unless normal), the county and one to twenty devices
  each with an exhibit reference. The due date is the level's target in working days.
- ``examination_take``: an examiner takes a request from the queue (trained for its level).
- ``examination_assign``: a supervising examiner assigns a request to a trained examiner.
- ``examination_result``: the examiner holding it records each device's outcome and count
  of items of interest, a summary that is not content and the report reference.
- ``examination_withdraw``: the requester or an examiner withdraws an open request.
- ``examiner_profile_save``: an administrator sets up an examiner's profile.

Every move is a ``StatusChange`` and an audit event; a stale version is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.custody.models import CustodyRecord
from pontio.examinations import rules, timers
from pontio.examinations.models import (
    Device,
    ExaminationRequest,
    ExaminerProfile,
    StatusChange,
)
from pontio.examinations.vocab import (
    BASIS_NEEDS_REFERENCE,
    OPEN_STATUSES,
    PRIORITY_RANK,
    DeviceKind,
    LegalBasis,
    Level,
    Outcome,
    Priority,
    SourceKind,
    Status,
    Unit,
)
from pontio.intelligence.models import IntelligenceReport
from pontio.operations.models import Operation

MAX_DEVICES = 20
MAX_ITEMS = 1_000_000
SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}


@dataclass
class DeviceEntry:
    kind: str
    exhibit_reference: str


@dataclass
class RequestData:
    source_kind: str = ""
    source_reference: str = ""
    county: County | None = None
    legal_basis: str = ""
    legal_basis_reference: str = ""
    level: str = ""
    priority: str = ""
    priority_reason: str = ""
    devices: list[DeviceEntry] = field(default_factory=list)


@dataclass
class DeviceResult:
    device_id: int
    outcome: str
    items_of_interest: int | None


def snapshot(obj: Any) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def _person_of(row: ExaminationRequest) -> int | str:
    return row.custody_record.person_id if row.custody_record_id else ""  # type: ignore[union-attr]


def _move(
    context: AuditContext,
    actor: User,
    row: ExaminationRequest,
    before: dict[str, Any],
    to_status: str,
    reason: str,
) -> None:
    from_status = before.get("status", "")
    row.status = to_status
    row.save()
    StatusChange.objects.create(
        request=row, from_status=from_status, to_status=to_status, actor=actor, at=timezone.now()
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=row,
        person_id=_person_of(row),
        reason=reason,
        before=before,
        after=snapshot(row),
    )


def normalise(text: str) -> str:
    return " ".join((text or "").split())


# --- the request -------------------------------------------------------------------------


@dataclass
class Source:
    custody_record: CustodyRecord | None = None
    operation: Operation | None = None
    intelligence_report: IntelligenceReport | None = None
    counties: tuple[int, ...] = ()


def _source(actor: User, data: RequestData, errors: dict[str, list[Any]]) -> Source | None:
    """The source the request names, if the requester may see it (else "not found": a
    reference outside their scope is refused like one that does not exist)."""
    if data.source_kind not in SourceKind.values:
        errors["source_kind"] = [_("Choose what the request comes from")]
        return None
    reference = "".join((data.source_reference or "").split()).upper()
    if not reference:
        errors["source_reference"] = [_("Enter the reference of the source")]
        return None
    if data.source_kind == SourceKind.CUSTODY:
        record = (
            restrict(CustodyRecord.objects.select_related("suite"), actor, "view")
            .filter(custody_number=reference)
            .first()
        )
        if record is not None:
            return Source(custody_record=record, counties=(record.suite.county_id,))
        errors["source_reference"] = [_("Enter the custody number of a record you may see")]
    elif data.source_kind == SourceKind.OPERATION:
        operation = (
            restrict(Operation.objects.all(), actor, "view").filter(reference=reference).first()
        )
        if operation is not None:
            return Source(
                operation=operation,
                counties=tuple(operation.counties.values_list("pk", flat=True)),
            )
        errors["source_reference"] = [_("Enter the reference of an operation you may see")]
    else:
        report = (
            restrict(IntelligenceReport.objects.all(), actor, "view")
            .filter(reference=reference)
            .first()
        )
        if report is not None:
            return Source(intelligence_report=report, counties=(report.county_id,))
        errors["source_reference"] = [
            _("Enter the reference of an intelligence report you may see")
        ]
    return None


def check_request(actor: User, data: RequestData) -> tuple[dict[str, list[Any]], Source | None]:
    """Every problem of a request, by field (codes name the rule for the audit)."""
    errors: dict[str, list[Any]] = {}
    source = _source(actor, data, errors)
    if not data.legal_basis:
        errors["legal_basis"] = [
            ValidationError(
                _("Choose the legal basis on which the devices are held and may be examined"),
                code="legal_basis_required",
            )
        ]
    elif data.legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [
            ValidationError(_("Choose a legal basis from the list"), code="legal_basis_unknown")
        ]
    elif data.legal_basis in BASIS_NEEDS_REFERENCE:
        ref = normalise(data.legal_basis_reference)
        if not ref:
            errors["legal_basis_reference"] = [
                _("Enter the number of the warrant or the consent form")
            ]
        elif len(ref) > 40 or not rules.REFERENCE_OK.match(ref):
            errors["legal_basis_reference"] = [
                _("Enter a reference of up to 40 letters, digits, / - or .")
            ]
    if data.level not in Level.values:
        errors["level"] = [_("Choose the examination level")]
    if data.priority not in Priority.values:
        errors["priority"] = [_("Choose the priority")]
    elif data.priority != Priority.NORMAL and not normalise(data.priority_reason):
        errors["priority_reason"] = [_("Say why the request is urgent or high priority")]
    if len(normalise(data.priority_reason)) > 200:
        errors["priority_reason"] = [_("Enter a reason of 200 characters or fewer")]
    county = data.county
    if county is None and source is not None and len(source.counties) == 1:
        county = County.objects.get(pk=source.counties[0])
    if county is None:
        errors["county"] = [_("Choose the county the devices were seized in")]
    elif source is not None and source.operation is not None and county.pk not in source.counties:
        errors["county"] = [_("Choose one of the operation's counties")]
    data.county = county
    if not data.devices:
        errors["devices"] = [_("Add at least one device")]
    elif len(data.devices) > MAX_DEVICES:
        errors["devices"] = [_("Add at most 20 devices to one request")]
    seen: set[str] = set()
    for entry in data.devices:
        exhibit = normalise(entry.exhibit_reference).upper()
        if entry.kind not in DeviceKind.values:
            errors.setdefault("devices", []).append(_("Choose the type of each device"))
        if not exhibit:
            errors.setdefault("devices", []).append(_("Enter the exhibit reference of each device"))
        elif len(exhibit) > 30 or not rules.EXHIBIT_OK.match(exhibit):
            errors.setdefault("devices", []).append(
                _("Enter exhibit references of up to 30 letters, digits, / - or .")
            )
        elif exhibit in seen:
            errors.setdefault("devices", []).append(_("Give each device its own exhibit reference"))
        seen.add(exhibit)
    return errors, source


@transaction.atomic
def examination_request_create(
    *, context: AuditContext, actor: User, data: RequestData
) -> ExaminationRequest:
    require_permission(actor, "examinations.request")
    errors, source = check_request(actor, data)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    today = timezone.localdate(now)
    assert data.county is not None and source is not None  # noqa: S101 - checked above
    row = ExaminationRequest.objects.create(
        reference=f"TMP-{now.timestamp():.6f}"[:20],
        source_kind=data.source_kind,
        custody_record=source.custody_record,
        operation=source.operation,
        intelligence_report=source.intelligence_report,
        county=data.county,
        legal_basis=data.legal_basis,
        legal_basis_reference=(
            normalise(data.legal_basis_reference)
            if data.legal_basis in BASIS_NEEDS_REFERENCE
            else ""
        ),
        level=data.level,
        priority=data.priority,
        priority_rank=PRIORITY_RANK[data.priority],
        priority_reason=normalise(data.priority_reason),
        requested_by=actor,
        requested_at=now,
        requested_on=today,
        due_on=timers.due_on(today, data.level),
    )
    row.reference = f"DME-{today:%y}-{row.pk:05d}"
    row.save(update_fields=["reference"])
    Device.objects.bulk_create(
        Device(request=row, kind=e.kind, exhibit_reference=normalise(e.exhibit_reference).upper())
        for e in data.devices
    )
    StatusChange.objects.create(request=row, to_status=Status.REQUESTED, actor=actor, at=now)
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=row,
        person_id=_person_of(row),
        reason=f"examination requested: {len(data.devices)} devices",
        after=snapshot(row),
    )
    return row


# --- the examiner's moves ------------------------------------------------------------------


def profile_of(user: User) -> ExaminerProfile | None:
    return ExaminerProfile.objects.filter(user=user).select_related("user").first()


def _lock(
    actor: User, request_id: int, expected_version: int | None
) -> tuple[ExaminationRequest, dict[str, Any]]:
    row = (
        restrict(ExaminationRequest.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=request_id)
        .select_related("custody_record")
        .first()
    )
    if row is None:
        raise PermissionDenied
    before = snapshot(row)
    check_version(row, expected_version)
    return row, before


def _hold(
    context: AuditContext,
    actor: User,
    row: ExaminationRequest,
    before: dict[str, Any],
    profile: ExaminerProfile | None,
    reason: str,
) -> ExaminationRequest:
    if row.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is closed"), code="closed")
    today = timezone.localdate()
    refusals = rules.examiner_refusals(profile, row, today)
    if refusals:
        raise ValidationError({"examiner": refusals}, code="not_trained")
    row.assigned_to = profile
    row.assigned_at = timezone.now()
    _move(context, actor, row, before, Status.ASSIGNED, reason)
    return row


@transaction.atomic
def examination_take(
    *, context: AuditContext, actor: User, request_id: int, expected_version: int | None
) -> ExaminationRequest:
    """The examiner takes the request from the queue (or from another examiner's hands
    only through a supervisor: ``examination_assign``)."""
    require_permission(actor, "examinations.examine")
    row, before = _lock(actor, request_id, expected_version)
    if row.status != Status.REQUESTED:
        raise ValidationError(_("Someone has already taken this request"), code="taken")
    return _hold(context, actor, row, before, profile_of(actor), "examination taken")


@transaction.atomic
def examination_assign(
    *,
    context: AuditContext,
    actor: User,
    request_id: int,
    expected_version: int | None,
    examiner_id: int | None,
) -> ExaminationRequest:
    require_permission(actor, "examinations.examine")
    own = profile_of(actor)
    if own is None or not own.supervisor:
        raise PermissionDenied
    row, before = _lock(actor, request_id, expected_version)
    profile = (
        ExaminerProfile.objects.filter(
            pk=examiner_id, user__role_grants__role=Role.DIGITAL_MEDIA_EXAMINER
        )
        .select_related("user")
        .first()
        if examiner_id
        else None
    )
    if profile is None:
        raise ValidationError({"examiner": [_("Choose an examiner")]}, code="no_examiner")
    return _hold(context, actor, row, before, profile, "examination assigned")


@transaction.atomic
def examination_result(
    *,
    context: AuditContext,
    actor: User,
    request_id: int,
    expected_version: int | None,
    devices: list[DeviceResult],
    summary: str,
    report_reference: str,
) -> ExaminationRequest:
    """The result, without the extracted content (``rules``): by device, an outcome and a
    count; for the request, a summary and the report reference."""
    require_permission(actor, "examinations.examine")
    row, before = _lock(actor, request_id, expected_version)
    if (
        row.status != Status.ASSIGNED
        or row.assigned_to is None
        or row.assigned_to.user_id != actor.pk
    ):
        raise ValidationError(
            _("Only the examiner holding the request records its result"), code="not_holder"
        )
    errors: dict[str, list[Any]] = {}
    by_id = {d.pk: d for d in row.devices.all()}
    given = {d.device_id: d for d in devices}
    for pk, device in by_id.items():
        entry = given.get(pk)
        if entry is None or entry.outcome not in Outcome.values:
            errors.setdefault("devices", []).append(
                _("Choose the outcome for exhibit %(exhibit)s")
                % {"exhibit": device.exhibit_reference}
            )
            continue
        if entry.items_of_interest is not None and not (0 <= entry.items_of_interest <= MAX_ITEMS):
            errors.setdefault("devices", []).append(
                _("Enter a number of items from 0 to 1,000,000 for exhibit %(exhibit)s")
                % {"exhibit": device.exhibit_reference}
            )
        if entry.outcome == Outcome.ITEMS_FOUND and not entry.items_of_interest:
            errors.setdefault("devices", []).append(
                _("Enter how many items of interest were found on exhibit %(exhibit)s")
                % {"exhibit": device.exhibit_reference}
            )
    if set(given) - set(by_id):
        errors.setdefault("devices", []).append(_("Record results for this request's devices only"))
    text = normalise(summary)
    if not text:
        errors["summary"] = [_("Enter a short summary of the result")]
    elif len(text) > 300:
        errors["summary"] = [_("Enter a summary of 300 characters or fewer")]
    elif (message := rules.content_refusal(text)) is not None:
        errors["summary"] = [ValidationError(message, code="content_in_summary")]
    ref = normalise(report_reference)
    if not ref:
        errors["report_reference"] = [_("Enter the examination report's reference")]
    elif len(ref) > 40 or not rules.REFERENCE_OK.match(ref):
        errors["report_reference"] = [_("Enter a reference of up to 40 letters, digits, / - or .")]
    if errors:
        raise ValidationError(errors)
    for pk, device in by_id.items():
        entry = given[pk]
        device.outcome = entry.outcome
        # "Nothing of interest" is a count of 0; a device not examined has no count.
        device.items_of_interest = (
            0 if entry.outcome == Outcome.NOTHING_FOUND else entry.items_of_interest
        )
        device.save(update_fields=["outcome", "items_of_interest"])
    today = timezone.localdate()
    row.completed_on = today
    row.working_days_taken = timers.taken(row.requested_on, today)
    row.result_summary = text
    row.report_reference = ref
    _move(context, actor, row, before, Status.COMPLETED, "examination result recorded")
    return row


@transaction.atomic
def examination_withdraw(
    *,
    context: AuditContext,
    actor: User,
    request_id: int,
    expected_version: int | None,
    reason: str,
) -> ExaminationRequest:
    row, before = _lock(actor, request_id, expected_version)
    if not (row.requested_by_id == actor.pk or actor.has_role(Role.DIGITAL_MEDIA_EXAMINER)):
        raise PermissionDenied
    if row.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is closed"), code="closed")
    text = normalise(reason)
    if not text:
        raise ValidationError({"reason": [_("Say why the request is withdrawn")]})
    if len(text) > 200:
        raise ValidationError({"reason": [_("Enter a reason of 200 characters or fewer")]})
    row.withdrawn_reason = text
    _move(context, actor, row, before, Status.WITHDRAWN, "examination withdrawn")
    return row


# --- examiner profiles -----------------------------------------------------------------------


@transaction.atomic
def examiner_profile_save(
    *,
    context: AuditContext,
    actor: User,
    user_id: int,
    unit: str,
    county: County | None,
    levels: list[str],
    supervisor: bool = False,
    active_from: dt.date | None = None,
    expected_version: int | None = None,
) -> ExaminerProfile:
    """Set up (or change) an examiner's profile: administrators only. A change names the
    version it started from (``expected_version``; None only where the caller holds none,
    as the demo does)."""
    require_permission(actor, "examinations.manage_examiners")
    user = User.objects.filter(pk=user_id).first()
    errors: dict[str, list[str]] = {}
    if user is None or not user.has_role(Role.DIGITAL_MEDIA_EXAMINER):
        errors["user"] = [_("Choose a user with the digital media examiner role")]
    if unit not in Unit.values:
        errors["unit"] = [_("Choose the unit")]
    elif unit == Unit.LOCAL and county is None:
        errors["county"] = [_("Choose the county of a local investigator")]
    if not levels or set(levels) - set(Level.values):
        errors["levels"] = [_("Choose the levels the examiner is trained for")]
    if errors:
        raise ValidationError(errors)
    profile = ExaminerProfile.objects.select_for_update().filter(user_id=user_id).first()
    before = snapshot(profile) if profile else {}
    profile = profile or ExaminerProfile(user_id=user_id, active_from=timezone.localdate())
    profile.unit = unit
    profile.county = county if unit == Unit.LOCAL else None
    profile.trained_triage = Level.TRIAGE in levels
    profile.trained_logical = Level.LOGICAL in levels
    profile.trained_full = Level.FULL in levels
    profile.supervisor = supervisor
    if active_from is not None:
        profile.active_from = active_from
    if before:
        if expected_version is not None:
            check_version(profile, expected_version)
        else:
            profile.version += 1
    profile.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=profile,
        before=before or None,
        after=snapshot(profile),
    )
    return profile
