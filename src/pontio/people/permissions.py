"""Who may do what with person records. Which rows: ``people.policies``."""

from __future__ import annotations

from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES, Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "people.view_person": frozenset(POLICE_OPERATIONAL_ROLES),
    "people.change_person": frozenset(POLICE_OPERATIONAL_ROLES),
    # Merging and unmerging duplicates is a supervisor's decision.
    "people.merge_person": frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR}),
    # The matching model and de-duplication runs hold no personal data: administrators
    # estimate the model and start runs; the groups found are reviewed by those who merge.
    "people.manage_matching": frozenset({Role.ADMINISTRATOR}),
}
