"""Roles (DESIGN.md §1), which organisations may hold them, and what each may do.

One table says who may do what. Scope (which rows) is separate: see ``scopes.restrict``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from pontio.accounts.models import User


class OrganisationKind(models.TextChoices):
    FORCE = "force", _("Police force")
    PROVIDER = "provider", _("Support provider")
    OPCC = "opcc", _("Office of the Police and Crime Commissioner")
    PANEL = "panel", _("Scrutiny panel")


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    CUSTODY_OFFICER = "custody_officer", _("Custody officer")
    CUSTODY_SERGEANT = "custody_sergeant", _("Custody sergeant")
    INSPECTOR = "inspector", _("Inspector")
    INTELLIGENCE_OFFICER = "intelligence_officer", _("Intelligence officer")
    OPERATIONS_LEAD = "operations_lead", _("Operations lead")
    PROVIDER_CASEWORKER = "provider_caseworker", _("Provider caseworker")
    PROVIDER_MANAGER = "provider_manager", _("Provider manager")
    NAVIGATOR = "navigator", _("Diversion navigator")
    PANEL_MEMBER = "panel_member", _("Independent reviewer or panel member")
    OPCC_ANALYST = "opcc_analyst", _("OPCC analyst")
    AUDITOR = "auditor", _("Data protection officer or auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


FORCE_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.CUSTODY_OFFICER,
        Role.CUSTODY_SERGEANT,
        Role.INSPECTOR,
        Role.INTELLIGENCE_OFFICER,
        Role.OPERATIONS_LEAD,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }
)

# Which kind of organisation may hold each role: a provider's caseworker can never be
# given a police role by mistake, whatever an administrator ticks.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    **{role: frozenset({OrganisationKind.FORCE}) for role in FORCE_ROLES},
    Role.PROVIDER_CASEWORKER: frozenset({OrganisationKind.PROVIDER}),
    Role.PROVIDER_MANAGER: frozenset({OrganisationKind.PROVIDER}),
    Role.NAVIGATOR: frozenset({OrganisationKind.PROVIDER}),
    Role.PANEL_MEMBER: frozenset({OrganisationKind.PANEL, OrganisationKind.OPCC}),
    Role.OPCC_ANALYST: frozenset({OrganisationKind.OPCC}),
}

ALL_ROLES = frozenset(Role)

# Police roles that deal with people directly (custody, street, intelligence).
POLICE_OPERATIONAL_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.CUSTODY_OFFICER,
        Role.CUSTODY_SERGEANT,
        Role.INSPECTOR,
        Role.INTELLIGENCE_OFFICER,
    }
)

# Police roles that refer people to support, and the supervisors among them who see the
# referrals made in their area (DESIGN.md §1).
REFERRING_ROLES = frozenset(
    {Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR}
)
POLICE_SUPERVISOR_ROLES = frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR})
# Provider staff who work referrals addressed to their organisation.
PROVIDER_ROLES = frozenset({Role.PROVIDER_CASEWORKER, Role.PROVIDER_MANAGER, Role.NAVIGATOR})

# permission -> roles that hold it. Later capabilities add their rows here.
PERMISSIONS: dict[str, frozenset[str]] = {
    "accounts.manage_users": frozenset({Role.ADMINISTRATOR}),
    "accounts.manage_organisations": frozenset({Role.ADMINISTRATOR}),
    "accounts.view_team": frozenset({Role.ADMINISTRATOR, Role.PROVIDER_MANAGER}),
    "audit.view_log": frozenset({Role.AUDITOR}),
    "audit.export_log": frozenset({Role.AUDITOR}),
    "audit.verify_log": frozenset({Role.AUDITOR}),
    "core.manage_reference_data": frozenset({Role.ADMINISTRATOR}),
    "api.use": ALL_ROLES,
    # People (person records). Which rows: people.policies (area scope, break-glass).
    "people.view_person": frozenset(POLICE_OPERATIONAL_ROLES),
    "people.change_person": frozenset(POLICE_OPERATIONAL_ROLES),
    # Merging and unmerging duplicates is a supervisor's decision.
    "people.merge_person": frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR}),
    # Service directory: everyone searches it; providers keep their own entries.
    "directory.search": ALL_ROLES,
    "directory.manage": frozenset({Role.PROVIDER_MANAGER, Role.ADMINISTRATOR}),
    # Referrals. Which rows: referrals.policies (own / area / organisation).
    "referrals.create": REFERRING_ROLES,
    "referrals.view": REFERRING_ROLES | PROVIDER_ROLES,
    "referrals.withdraw": REFERRING_ROLES,
    "referrals.work": PROVIDER_ROLES,
    "referrals.allocate": frozenset({Role.PROVIDER_MANAGER}),
    "referrals.export": frozenset({Role.PROVIDER_MANAGER, *POLICE_SUPERVISOR_ROLES}),
    # Stop and search. Which rows: stopsearch.policies (own / area / assigned reviews).
    "stopsearch.record": frozenset(POLICE_OPERATIONAL_ROLES),
    "stopsearch.view": frozenset(POLICE_OPERATIONAL_ROLES),
    "stopsearch.review": frozenset({Role.INSPECTOR}),
    "stopsearch.independent_review": frozenset({Role.PANEL_MEMBER}),
    "stopsearch.manage_audit": frozenset({Role.INSPECTOR, Role.ADMINISTRATOR}),
    "stopsearch.import": frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST}),
    "stopsearch.export": frozenset({Role.INSPECTOR, Role.OPCC_ANALYST, Role.ADMINISTRATOR}),
    "stopsearch.analyse": frozenset(
        {Role.INSPECTOR, Role.OPCC_ANALYST, Role.OPERATIONS_LEAD, Role.PANEL_MEMBER}
    ),
    "referrals.view_metrics": frozenset(
        {Role.OPCC_ANALYST, Role.PROVIDER_MANAGER, *POLICE_SUPERVISOR_ROLES}
    ),
    # The provider's own count of referrals from every source (the police share's denominator).
    "referrals.report_totals": frozenset({Role.PROVIDER_MANAGER}),
}


def require_permission(user: User, permission: str) -> None:
    """Raise PermissionDenied unless the user's roles grant the permission (services, views)."""
    if not has_permission(user, permission):
        raise PermissionDenied(permission)


def has_permission(user: User, permission: str) -> bool:
    """Whether the user's roles grant a permission. Unknown permissions are refused."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return False
    allowed = PERMISSIONS.get(permission)
    if allowed is None:
        return False
    return bool(user.role_set & allowed)
