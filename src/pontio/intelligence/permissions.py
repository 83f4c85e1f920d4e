"""Who may do what with drug intelligence. Which rows: ``intelligence.policies``.

- submit intelligence (signed in): the police roles that deal with people (officers, custody
  officers and sergeants, inspectors, intelligence officers) and provider staff
  (caseworkers, managers, navigators) -- they meet the people and places concerned; the
  public submits through the open form, which needs no permission;
- assess (grade, sanitise, prioritise, link, record actions, share) and read the original
  text: intelligence officers only (College of Policing APP: the intelligence unit
  evaluates and sanitises);
- approve a "you said, we did" line: intelligence officers;
- accept or decline a share addressed to their organisation: provider managers, operations
  leads and inspectors (someone who can bind the recipient to the handling condition);
- count reports by county and month (never open them): the OPCC analyst and intelligence
  officers.
"""

from __future__ import annotations

from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES, PROVIDER_ROLES, Role

SUBMITTERS = frozenset({*POLICE_OPERATIONAL_ROLES, *PROVIDER_ROLES})
ASSESSORS = frozenset({Role.INTELLIGENCE_OFFICER})
SHARE_RECIPIENTS = frozenset({Role.PROVIDER_MANAGER, Role.OPERATIONS_LEAD, Role.INSPECTOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    "intelligence.submit": SUBMITTERS,
    "intelligence.assess": ASSESSORS,
    "intelligence.view_original": ASSESSORS,
    "intelligence.approve_summary": ASSESSORS,
    "intelligence.receive_share": SHARE_RECIPIENTS,
    "intelligence.count": frozenset({Role.OPCC_ANALYST, Role.INTELLIGENCE_OFFICER}),
}
