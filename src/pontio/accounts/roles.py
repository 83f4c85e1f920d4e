"""Roles (DESIGN.md §1), which organisations may hold them, and what each may do.

Each app says which of these roles hold its permissions, in its own ``permissions.py``
(the kernel's table, ``core.permissions``); this module holds the kernel's, the audit log's
and the accounts' rows too, because the kernel and the audit app know no roles. Scope
(which rows) is separate: see ``core.scopes.restrict``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    DIGITAL_MEDIA_EXAMINER = "digital_media_examiner", _("Digital media examiner")
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
        Role.DIGITAL_MEDIA_EXAMINER,
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
