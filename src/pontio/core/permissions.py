"""Which roles may do what: one table, contributed to by every app, read by one check.

Each app lists its own permissions in its ``permissions.py`` (``PERMISSIONS = {name: roles}``);
the kernel discovers those modules at start-up (``core.registry``) and keeps the table here,
so the kernel never imports an app to learn what the app allows. Roles are plain codes: the
kernel knows a user only by the duck-typed attributes every Pontio user has (``role_set``,
``organisation_id``, ``is_active``). Which rows a permission reaches is a separate question,
answered by the scope policies (``core.scopes``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

_PERMISSIONS: dict[str, frozenset[str]] = {}


def register_permissions(rows: Mapping[str, Iterable[str]]) -> None:
    """Add an app's rows. A name given twice with different roles is a configuration error."""
    for name, roles in rows.items():
        holders = frozenset(str(role) for role in roles)
        known = _PERMISSIONS.get(name)
        if known is not None and known != holders:
            raise ImproperlyConfigured(f"Permission {name!r} is registered twice, differently")
        _PERMISSIONS[name] = holders


def registered_permissions() -> dict[str, frozenset[str]]:
    """A copy of the whole table (permission -> roles)."""
    return dict(_PERMISSIONS)


def roles_with(permission: str) -> frozenset[str]:
    return _PERMISSIONS.get(permission, frozenset())


def is_usable(user: Any) -> bool:
    """Signed in, active and in an organisation: only such a user holds any permission."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "organisation_id", None) is not None
    )


def has_permission(user: Any, permission: str) -> bool:
    """Whether the user's roles grant a permission. Unknown permissions are refused."""
    if not is_usable(user):
        return False
    allowed = _PERMISSIONS.get(permission)
    if allowed is None:
        return False
    return bool(set(user.role_set) & allowed)


def require_permission(user: Any, permission: str) -> None:
    """Raise PermissionDenied unless the user's roles grant the permission (services, views)."""
    if not has_permission(user, permission):
        raise PermissionDenied(permission)
