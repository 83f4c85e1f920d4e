"""Hash chain of the audit log: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
CHAINED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_organisation_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "fields",
    "change_digest",
    "reason",
    "ip_address",
    "request_id",
    "view_name",
)
# What exports and the API show of an event: the chained content and the two hashes, so a
# recipient can re-verify an exported range.
PUBLISHED_FIELDS = (*CHAINED_FIELDS, "previous_hash", "hash")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def event_hash(previous_hash: str, content: dict[str, Any]) -> str:
    material = {name: content.get(name) for name in CHAINED_FIELDS}
    occurred = material["occurred_at"]
    if occurred is not None and not isinstance(occurred, str):
        # Microsecond UTC ISO text: the same on SQLite and PostgreSQL after a round trip.
        material["occurred_at"] = occurred.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return hashlib.sha256((previous_hash + canonical_json(material)).encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the log in sequence order; report the first event whose link does not hold."""
    from pontio.audit.models import AuditEvent, ChangeRecord

    previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            break
        changes = {
            c.event_id: c for c in ChangeRecord.objects.filter(event_id__in=[e.pk for e in batch])
        }
        for event in batch:
            if event.sequence != expected_sequence:
                return ChainReport(checked, expected_sequence, "missing")
            if event.previous_hash != previous:
                return ChainReport(checked, event.sequence, "previous-hash")
            content = {name: getattr(event, name) for name in CHAINED_FIELDS}
            if event_hash(previous, content) != event.hash:
                return ChainReport(checked, event.sequence, "content")
            change = changes.get(event.pk)
            if change is not None and event.change_digest != digest(
                {"before": change.before, "after": change.after}
            ):
                return ChainReport(checked, event.sequence, "change-values")
            previous = event.hash
            expected_sequence += 1
            checked += 1
            last = event.sequence
    from pontio.audit.models import ChainHead

    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != last:
        # Events after the last one we saw were removed (the head remembers them).
        return ChainReport(checked, last + 1, "missing")
    return ChainReport(checked, None, "")
