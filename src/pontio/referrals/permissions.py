"""Who may do what with referrals. Which rows: ``referrals.policies`` (own, area, organisation)."""

from __future__ import annotations

from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES, PROVIDER_ROLES, REFERRING_ROLES, Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "referrals.create": REFERRING_ROLES,
    "referrals.view": REFERRING_ROLES | PROVIDER_ROLES,
    "referrals.withdraw": REFERRING_ROLES,
    "referrals.work": PROVIDER_ROLES,
    "referrals.allocate": frozenset({Role.PROVIDER_MANAGER}),
    "referrals.export": frozenset({Role.PROVIDER_MANAGER, *POLICE_SUPERVISOR_ROLES}),
    "referrals.view_metrics": frozenset(
        {Role.OPCC_ANALYST, Role.PROVIDER_MANAGER, *POLICE_SUPERVISOR_ROLES}
    ),
    # The provider's own count of referrals from every source (the police share's denominator).
    "referrals.report_totals": frozenset({Role.PROVIDER_MANAGER}),
}
