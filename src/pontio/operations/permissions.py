"""Who may do what with drug-disruption operations. Which rows: ``operations.policies``.

- run operations (create, edit, move the phases, engagement plan, forecast, results, links):
  operations leads (their counties; force-wide leads every one);
- read the results and the forecast-against-demand figures (``aggregate``, never a
  briefing or a code name): operations leads and the OPCC analyst (the dashboard tile);
- choose an operation to link a record to (its reference and code name only): intelligence
  officers and digital media examiners, and operations leads;
- link an intelligence report to an operation (from the report's assessment screen):
  intelligence officers;
- see the forecast shared with their organisation (county, week and numbers only: no
  operational detail) on the home page: provider caseworkers, managers and navigators;
- answer the partner evaluation after an operation closes: the staff of the partner
  organisations that were briefed (providers and the OPCC).
"""

from __future__ import annotations

from pontio.accounts.roles import PROVIDER_ROLES, Role

LEADS = frozenset({Role.OPERATIONS_LEAD})

PERMISSIONS: dict[str, frozenset[str]] = {
    "operations.view": LEADS,
    "operations.manage": LEADS,
    "operations.results": frozenset({*LEADS, Role.OPCC_ANALYST}),
    "operations.choose": frozenset(
        {*LEADS, Role.INTELLIGENCE_OFFICER, Role.DIGITAL_MEDIA_EXAMINER}
    ),
    "operations.link_intelligence": frozenset({Role.INTELLIGENCE_OFFICER}),
    "operations.forecast": frozenset(PROVIDER_ROLES),
    "operations.evaluate": frozenset({*PROVIDER_ROLES, Role.OPCC_ANALYST}),
}
