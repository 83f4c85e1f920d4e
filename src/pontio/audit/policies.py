"""Who may see the audit log: auditors (the data protection officer's team) only."""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import BreakGlassGrant, User
from pontio.accounts.roles import Role
from pontio.accounts.scopes import scope_policy
from pontio.audit.models import AuditEvent, ChangeRecord


@scope_policy(AuditEvent)
def audit_event_scope(user: User, action: str) -> Q | None:
    if action in {"view", "export"} and user.has_role(Role.AUDITOR):
        return Q()
    return None


@scope_policy(ChangeRecord)
def change_record_scope(user: User, action: str) -> Q | None:
    if action == "view" and user.has_role(Role.AUDITOR):
        return Q()
    return None


@scope_policy(BreakGlassGrant)
def break_glass_scope(user: User, action: str) -> Q | None:
    if action in {"view", "export"} and user.has_role(Role.AUDITOR):
        return Q()
    if action == "view":
        return Q(user_id=user.pk)
    return None
