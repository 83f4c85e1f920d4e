"""Who may do what with disposals and the diversion scheme. Which rows: ``disposals.policies``.

- read disposals, record a decision: officers, custody officers and sergeants, inspectors;
- authorise: custody sergeants and inspectors, and then only a role the disposal type names
  (``DisposalType.authoriser_roles``: sergeant or above for every type loaded);
- record compliance with a condition: the police for their conditions, the provider for the
  condition its referral carries (the scope policy says which rows);
- follow the breach route: custody sergeants and inspectors;
- the diversion scheme: navigators work their organisation's contracts; the police read the
  contracts of their area (the outcome comes back to them);
- outcomes (aggregate, never opened): inspectors, custody sergeants, the OPCC analyst and
  navigators (their scheme's);
- the scrutiny panel: panel members review the anonymised disposals assigned to them; the
  force (inspectors, custody sergeants) reads the panel's judgements; inspectors and
  administrators draw a quarter's sample;
- exports of rows: inspectors and custody sergeants (their area);
- the reference data: administrators.
"""

from __future__ import annotations

from pontio.accounts.roles import PROVIDER_ROLES, Role

POLICE_DECIDERS = frozenset(
    {Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR}
)
SUPERVISORS = frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    "disposals.view": frozenset({*POLICE_DECIDERS, Role.NAVIGATOR}),
    "disposals.decide": POLICE_DECIDERS,
    "disposals.authorise": SUPERVISORS,
    "disposals.record_compliance": frozenset({*POLICE_DECIDERS, *PROVIDER_ROLES}),
    "disposals.breach": SUPERVISORS,
    "disposals.export": SUPERVISORS,
    "disposals.outcomes": frozenset({*SUPERVISORS, Role.OPCC_ANALYST, Role.NAVIGATOR}),
    "disposals.diversion": frozenset({Role.NAVIGATOR}),
    "disposals.view_contracts": frozenset({*POLICE_DECIDERS, Role.NAVIGATOR}),
    "disposals.panel_review": frozenset({Role.PANEL_MEMBER}),
    "disposals.panel_feedback": SUPERVISORS,
    "disposals.draw_sample": frozenset({Role.INSPECTOR, Role.ADMINISTRATOR}),
    "disposals.manage_reference": frozenset({Role.ADMINISTRATOR}),
}
