"""Who may do what with the service directory. Which rows: ``directory.policies``."""

from __future__ import annotations

from pontio.accounts.roles import ALL_ROLES, Role

PERMISSIONS: dict[str, frozenset[str]] = {
    # Everyone searches it; providers keep their own entries.
    "directory.search": ALL_ROLES,
    "directory.manage": frozenset({Role.PROVIDER_MANAGER, Role.ADMINISTRATOR}),
}
