"""Writing to the audit log. Every personal-record read, export, write and denial calls here.

Callers that change data call ``audit_record`` inside their own ``transaction.atomic`` block,
so the change and its audit event commit together or not at all.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from pontio.audit.chain import GENESIS_HASH, digest, event_hash
from pontio.audit.models import AuditEvent, ChainHead, ChangeRecord
from pontio.core.http import normalised_ip
from pontio.core.recording import AuditContext, is_known_kind, subject_of_object

__all__ = ["AuditContext", "audit_record", "audit_request", "jsonable", "object_type_of"]

# Values never copied into a change record, whatever model they are on.
REDACTED_FIELDS = frozenset({"password", "session_salt", "key", "token", "bin_key"})
REDACTED = "[redacted]"


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def jsonable(value: Any) -> Any:
    """The value as it will read back from a JSON field (dates and decimals as text)."""
    return json.loads(json.dumps(value, default=str))


def _redact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (REDACTED if k in REDACTED_FIELDS else v) for k, v in values.items()}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    keys = set(before) | set(after)
    return sorted(k for k in keys if before.get(k) != after.get(k))


def _locked_head() -> ChainHead:
    """The chain head, locked until the caller's transaction ends (serialises appends)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # only on an empty database; the migration normally creates it
        head, _ = ChainHead.objects.get_or_create(pk=1, defaults={"hash": GENESIS_HASH})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def audit_record(
    *,
    context: AuditContext,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    person_id: str | int = "",
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain (and its change values, if any)."""
    if not is_known_kind(action):
        raise ValueError(f"Unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        # Every event about a person's data names them (core.recording.register_subject).
        person_id = person_id or subject_of_object(obj)

    fields: list[str] = []
    change: dict[str, Any] | None = None
    if before is not None or after is not None:
        before_j = jsonable(before or {})
        after_j = jsonable(after or {})
        fields = changed_fields(before_j, after_j)
        change = {
            "before": _redact({k: before_j[k] for k in fields if k in before_j}),
            "after": _redact({k: after_j[k] for k in fields if k in after_j}),
        }

    head = _locked_head()
    content: dict[str, Any] = {
        "sequence": head.sequence + 1,
        "occurred_at": timezone.now(),
        "actor_id": context.actor_id,
        "actor_organisation_id": context.actor_organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "person_id": str(person_id),
        "fields": fields,
        "change_digest": digest(change) if change is not None else "",
        "reason": reason,
        "ip_address": normalised_ip(context.ip_address),
        "request_id": context.request_id,
        "view_name": context.view_name,
    }
    event_hash_value = event_hash(head.hash, content)
    event = AuditEvent.objects.create(previous_hash=head.hash, hash=event_hash_value, **content)
    if change is not None:
        ChangeRecord.objects.create(event=event, before=change["before"], after=change["after"])
    head.sequence = event.sequence
    head.hash = event_hash_value
    head.save(update_fields=["sequence", "hash"])
    return event


def audit_request(request: HttpRequest, action: str, **kwargs: Any) -> AuditEvent:
    """``audit_record`` with the context taken from the request."""
    return audit_record(context=AuditContext.from_request(request), action=action, **kwargs)
