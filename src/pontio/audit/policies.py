"""Who may see the audit log: holders of the audit permissions (the data protection
officer's team; ``accounts.permissions`` says which role that is)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pontio.audit.models import AuditEvent, ChainHead, ChangeRecord
from pontio.core.permissions import has_permission
from pontio.core.scopes import scope_policy


@scope_policy(AuditEvent)
def audit_event_scope(user: Any, action: str) -> Q | None:
    if action == "view" and has_permission(user, "audit.view_log"):
        return Q()
    if action == "export" and has_permission(user, "audit.export_log"):
        return Q()
    return None


@scope_policy(ChangeRecord)
def change_record_scope(user: Any, action: str) -> Q | None:
    if action == "view" and has_permission(user, "audit.view_log"):
        return Q()
    return None


@scope_policy(ChainHead)
def chain_head_scope(user: Any, action: str) -> Q | None:
    """The chain's head is read and moved by the audit service only, never through a page."""
    return None
