"""What every custody write shares: snapshots, the locked custody record, audit helpers.

Every change re-reads the custody record through ``restrict(..., "change")`` with a row
lock, so a user changes only what their scope lets them and two changes of one record queue
one behind the other; each then checks the version the page was shown with
(``core.concurrency.check_version``): a stale copy is refused, never silently overwritten.
Changes to the record's parts (offences, authorisations, the test, the assessment) bump the
record's version too, so a page opened before any of them is stale after it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.custody.models import CustodyRecord
from pontio.referrals.services.common import text_errors

SNAPSHOT_EXCLUDE = {"created_at", "updated_at", "pdf"}


def snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def lock_record(actor: User, record_id: int, permission: str) -> CustodyRecord:
    """The custody record, locked, if the actor has the permission and may change it."""
    require_permission(actor, permission)
    record = (
        restrict(CustodyRecord.objects.select_for_update(), actor, "change")
        .filter(pk=record_id)
        .select_related("suite", "person")
        .first()
    )
    if record is None:
        raise PermissionDenied
    return record


def start_change(record: CustodyRecord, expected_version: int | None) -> dict[str, Any]:
    """The record as it was (for the audit), once its version is checked (and bumped in
    memory: ``touch`` saves it)."""
    before = snapshot(record)
    check_version(record, expected_version)
    return before


def touch(
    context: AuditContext, record: CustodyRecord, before: dict[str, Any], reason: str
) -> None:
    """Save the record (its version already bumped) and audit what changed on it."""
    record.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=record,
        person_id=record.person_id,
        reason=reason,
        before=before,
        after=snapshot(record),
    )


def audit_created(
    context: AuditContext, obj: models.Model, person_id: int | str, reason: str = ""
) -> None:
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=obj,
        person_id=person_id,
        reason=reason,
        after=snapshot(obj),
    )


def audit_changed(
    context: AuditContext,
    obj: models.Model,
    person_id: int | str,
    before: dict[str, Any],
    reason: str = "",
) -> None:
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=obj,
        person_id=person_id,
        reason=reason,
        before=before,
        after=snapshot(obj),
    )


def too_long(**texts: str) -> dict[str, list[Any]]:
    # The referrals' limit and message, so a custody page and the referral it makes refuse
    # the same text alike.
    return text_errors(**texts)
