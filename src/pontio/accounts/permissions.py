"""Permissions held by roles: the accounts' own, and those of the kernel and the audit log.

The kernel (``core``) and the audit app define permissions but know no roles, so the app that
defines the roles grants them here. Every other app grants its own in its ``permissions.py``.
"""

from __future__ import annotations

from pontio.accounts.roles import ALL_ROLES, Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "accounts.manage_users": frozenset({Role.ADMINISTRATOR}),
    "accounts.manage_organisations": frozenset({Role.ADMINISTRATOR}),
    "accounts.manage_tokens": frozenset({Role.ADMINISTRATOR}),
    "accounts.view_team": frozenset({Role.ADMINISTRATOR, Role.PROVIDER_MANAGER}),
    "api.use": ALL_ROLES,
    # The audit log is the data protection officer's team's alone.
    "audit.view_log": frozenset({Role.AUDITOR}),
    "audit.export_log": frozenset({Role.AUDITOR}),
    "audit.verify_log": frozenset({Role.AUDITOR}),
    "core.manage_reference_data": frozenset({Role.ADMINISTRATOR}),
}
