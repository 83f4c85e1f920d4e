"""Who may do what with stop and search. Which rows: ``stopsearch.policies`` (own, area,
assigned reviews)."""

from __future__ import annotations

from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES, Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "stopsearch.record": frozenset(POLICE_OPERATIONAL_ROLES),
    "stopsearch.view": frozenset(POLICE_OPERATIONAL_ROLES),
    "stopsearch.review": frozenset({Role.INSPECTOR}),
    "stopsearch.independent_review": frozenset({Role.PANEL_MEMBER}),
    "stopsearch.manage_audit": frozenset({Role.INSPECTOR, Role.ADMINISTRATOR}),
    "stopsearch.import": frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST}),
    # Rows leave Pontio only for those who may read them (inspectors: their area;
    # administrators: the force's police.uk publication). The OPCC analyst gets aggregates
    # only: the figures and their CSV (``stopsearch.analyse``).
    "stopsearch.export": frozenset({Role.INSPECTOR, Role.ADMINISTRATOR}),
    "stopsearch.analyse": frozenset(
        {Role.INSPECTOR, Role.OPCC_ANALYST, Role.OPERATIONS_LEAD, Role.PANEL_MEMBER}
    ),
}
