"""Who may do what in oversight. Which rows: ``oversight.policies``.

- the tracker (reviews, recommendations, positions, boards and their packs): the OPCC
  analyst, and the force's inspectors and administrators (the owners report positions);
- record a position: the OPCC analyst (any recommendation) and inspectors (those their
  organisation owns); manage reviews and recommendations and edit the report's text: the
  OPCC analyst;
- produce and download Panel reports: the OPCC analyst;
- the facts and the dashboards (aggregates only, small numbers suppressed): the OPCC
  analyst, inspectors, and provider managers (the partners' view);
- the drug market picture (intelligence, operations and police.uk drug crime by county and
  month, suppressed): the OPCC analyst, intelligence officers and operations leads;
- commissioning awards: the OPCC analyst; quarterly returns: provider managers enter
  their own organisation's, the OPCC analyst reads them all.
"""

from __future__ import annotations

from pontio.accounts.roles import Role

TRACKER = frozenset({Role.OPCC_ANALYST, Role.INSPECTOR, Role.ADMINISTRATOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    "oversight.view_tracker": TRACKER,
    "oversight.record_position": frozenset({Role.OPCC_ANALYST, Role.INSPECTOR}),
    "oversight.manage_reviews": frozenset({Role.OPCC_ANALYST}),
    "oversight.produce_report": frozenset({Role.OPCC_ANALYST}),
    "oversight.view_dashboards": frozenset(
        {Role.OPCC_ANALYST, Role.INSPECTOR, Role.PROVIDER_MANAGER}
    ),
    "oversight.view_facts": frozenset({Role.OPCC_ANALYST, Role.INSPECTOR}),
    "oversight.view_market": frozenset(
        {Role.OPCC_ANALYST, Role.INTELLIGENCE_OFFICER, Role.OPERATIONS_LEAD}
    ),
    "oversight.manage_awards": frozenset({Role.OPCC_ANALYST}),
    "oversight.view_returns": frozenset({Role.OPCC_ANALYST, Role.PROVIDER_MANAGER}),
    "oversight.enter_returns": frozenset({Role.PROVIDER_MANAGER}),
}
