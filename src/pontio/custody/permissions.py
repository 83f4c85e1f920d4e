"""Who may do what in custody. Which rows: ``custody.policies`` (suites of the user's area).

- book a detainee, change the record: custody officers and sergeants (and inspectors);
- warn, request and record the test: custody officers and sergeants;
- ask an inspector for an authorisation: custody sergeants; authorise: inspectors (a lower
  rank is refused with the rule, PACE s63B(1A)(b), (2)(b));
- require the assessment and vary it: custody officers and sergeants;
- the assessor's follow-up decision (Drugs Act 2005 s13): provider staff, on their referral;
- decide on a failure to attend or remain: custody sergeants, inspectors and officers (the
  officer in the case);
- read custody records: custody roles, inspectors and officers (those they are the officer
  in the case of);
- the funnel (aggregate figures): inspectors, custody sergeants, the OPCC analyst and the
  operations lead;
- keep the reference data: administrators.
"""

from __future__ import annotations

from pontio.accounts.roles import PROVIDER_ROLES, Role

CUSTODY_ROLES = frozenset({Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT})

PERMISSIONS: dict[str, frozenset[str]] = {
    "custody.view": frozenset({*CUSTODY_ROLES, Role.INSPECTOR, Role.OFFICER}),
    "custody.book": frozenset({*CUSTODY_ROLES, Role.INSPECTOR}),
    "custody.test": CUSTODY_ROLES,
    "custody.request_authorisation": frozenset({Role.CUSTODY_SERGEANT}),
    "custody.authorise": frozenset({Role.INSPECTOR}),
    "custody.assess": CUSTODY_ROLES,
    "custody.assessor": frozenset(PROVIDER_ROLES),
    "custody.decide_breach": frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR, Role.OFFICER}),
    "custody.funnel": frozenset(
        {Role.INSPECTOR, Role.CUSTODY_SERGEANT, Role.OPCC_ANALYST, Role.OPERATIONS_LEAD}
    ),
    "custody.manage_reference": frozenset({Role.ADMINISTRATOR}),
    # The records behind a funnel step: those who count them and may open them.
    "custody.funnel_records": frozenset({Role.INSPECTOR, Role.CUSTODY_SERGEANT}),
    # A required assessment is read by the police on their record and by provider staff on
    # the referral sent to them (its scope policy says which), and moved by either.
    "custody.read_assessment": frozenset(
        {*CUSTODY_ROLES, Role.INSPECTOR, Role.OFFICER, *PROVIDER_ROLES}
    ),
    "custody.move_assessment": frozenset({*CUSTODY_ROLES, *PROVIDER_ROLES}),
}
