"""Who may manage webhooks: administrators only (subscriptions, secrets, the delivery log).
Which rows: ``webhooks.policies``."""

from __future__ import annotations

from pontio.accounts.roles import Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "webhooks.manage": frozenset({Role.ADMINISTRATOR}),
}
