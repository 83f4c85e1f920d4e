"""Who may do what with device examinations. Which rows: ``examinations.policies``.

- request an examination: intelligence officers, operations leads, officers, custody
  sergeants and inspectors (the people who seize devices or run the case; custody officers
  book detainees in but do not run investigations, so they ask their sergeant);
- read requests: those requesters (their own; supervisors and intelligence officers the
  requests of their area) and digital media examiners (the queue);
- take from the queue and record results: digital media examiners; assigning to another
  examiner is also theirs, and the service allows it only to a supervisor's profile;
- the capacity page (counts, medians and rates, suppressed for those who cannot open the
  requests): examiners, inspectors, operations leads and the OPCC analyst;
- examiner profiles (unit, county, levels trained for): administrators;
- the API's list and detail: as reading requests.
"""

from __future__ import annotations

from pontio.accounts.roles import Role

REQUESTERS = frozenset(
    {
        Role.INTELLIGENCE_OFFICER,
        Role.OPERATIONS_LEAD,
        Role.OFFICER,
        Role.CUSTODY_SERGEANT,
        Role.INSPECTOR,
    }
)
EXAMINERS = frozenset({Role.DIGITAL_MEDIA_EXAMINER})

PERMISSIONS: dict[str, frozenset[str]] = {
    "examinations.request": REQUESTERS,
    "examinations.view": REQUESTERS | EXAMINERS,
    "examinations.examine": EXAMINERS,
    # Examiner profiles (unit, county, levels trained for): administrators keep them.
    "examinations.manage_examiners": frozenset({Role.ADMINISTRATOR}),
    "examinations.capacity": frozenset(
        {Role.DIGITAL_MEDIA_EXAMINER, Role.INSPECTOR, Role.OPERATIONS_LEAD, Role.OPCC_ANALYST}
    ),
}
